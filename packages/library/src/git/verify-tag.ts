/**
 * Checking that a tag in a clone is SSH-signed by an allowed key (D19b author signatures).
 *
 * What could make a check like this pass when it should not, and what stops it:
 * - The repository's own `.git/config` (or the user's) naming a verifier program
 *   (`gpg.ssh.program`, `gpg.program`, `gpg.x509.program`) or another allowed-signers file:
 *   every setting that matters is given on the command line, which wins over every config
 *   file. ssh-keygen is the only verifier; the others are pointed at `false`.
 * - A tag carrying an OpenPGP or X.509 signature: git picks its verifier from the signature
 *   itself, not from `gpg.format`, so such a tag is refused before git is asked.
 * - A signed tag replayed under another name (`v0.9`'s tag object stored as `refs/tags/v1`):
 *   the name the tag was signed under must be the one asked for.
 * - The tag pointing somewhere else than what was checked out: the tagged commit is returned,
 *   and callers compare it with the commit they installed.
 */
import { stat } from 'node:fs/promises';
import { sanitizeText } from '../core/sanitize.ts';
import { assertRefName, resolvePath } from './arguments.ts';
import { gitFailureError } from './classify.ts';
import { type GitErrorCode, gitError } from './errors.ts';
import { type CallOptions, execGit, execGitChecked, type GitContext, outputText } from './exec.ts';
import {
	classifySignatureFailure,
	parseGoodSignature,
	parseTagObject,
	parseUnlistedKey,
} from './tag-signature.ts';

/** Largest tag object read: a release message, not a payload. */
export const MAX_TAG_OBJECT_BYTES = 1024 * 1024;

export interface VerifyTagRequest {
	/** The clone holding the tag. */
	dir: string;
	/** The tag's name (without `refs/tags/`). */
	tag: string;
	/**
	 * An ssh-keygen allowed-signers file (see ssh-keygen(1), ALLOWED SIGNERS) listing the keys
	 * that may sign, for the `git` namespace.
	 */
	allowedSignersFile: string;
}

export interface VerifyTagResult {
	verified: true;
	/** The id of the tag object that was verified. */
	tagObject: string;
	/** The commit the tag points at. */
	commit: string;
	/** The allowed-signers principal whose key made the signature. */
	principal?: string;
	/** `SHA256:...` of the signing key. */
	keyFingerprint?: string;
}

/**
 * Configuration for `verify-tag`, given on the command line so that no config file can change
 * it: SSH signatures only, checked by ssh-keygen against `allowedSignersFile`, and a signature
 * counts only when its key is listed there (`fully` is the trust ssh gives a listed key).
 */
function signatureConfig(allowedSignersFile: string): string[] {
	return [
		'gpg.format=ssh',
		'gpg.ssh.program=ssh-keygen',
		`gpg.ssh.allowedSignersFile=${allowedSignersFile}`,
		'gpg.minTrustLevel=fully',
		'gpg.program=false',
		'gpg.x509.program=false',
	].flatMap((setting) => ['-c', setting]);
}

/** Throws a typed error unless `tag` in `dir` is an annotated tag SSH-signed by an allowed key. */
export async function verifyTagSignature(
	context: GitContext,
	request: VerifyTagRequest,
	call: CallOptions = {},
): Promise<VerifyTagResult> {
	const repo = resolvePath(request.dir, context.cwd);
	const tag = assertRefName(request.tag);
	const allowedSignersFile = await signersFile(request.allowedSignersFile, context.cwd);
	const shown = sanitizeText(tag, { maxLength: 200 });
	const action = `verifying the signature of tag ${shown}`;

	const ref = await readTagRef(context, repo, tag, action, call);
	if (ref.type !== 'tag') {
		throw gitError(
			'GIT_TAG_NOT_ANNOTATED',
			`Tag ${shown} is a lightweight tag: it carries no signature.`,
		);
	}
	const raw = await execGitChecked(
		context,
		{
			repo,
			args: ['cat-file', 'tag', ref.id],
			action,
			network: false,
			maxStdoutBytes: MAX_TAG_OBJECT_BYTES,
		},
		call,
	);
	const parsed = parseTagObject(raw.stdout.toString('utf8'));
	if (parsed === undefined) {
		throw gitError('GIT_SIGNATURE_INVALID', `Tag ${shown} is not a well-formed tag object.`);
	}
	if (parsed.tag !== tag) {
		throw gitError(
			'GIT_SIGNATURE_INVALID',
			`The tag stored as ${shown} was made as ${sanitizeText(parsed.tag, { maxLength: 200 })}: its signature is for another release.`,
			{ details: { signedAs: sanitizeText(parsed.tag, { maxLength: 200 }) } },
		);
	}
	if (parsed.type !== 'commit') {
		throw gitError(
			'GIT_SIGNATURE_INVALID',
			`Tag ${shown} points at a ${sanitizeText(parsed.type, { maxLength: 40 })}, not a commit.`,
		);
	}
	if (parsed.signature === 'none') {
		throw gitError('GIT_TAG_UNSIGNED', `Tag ${shown} is not signed.`);
	}
	if (parsed.signature === 'other') {
		throw gitError(
			'GIT_SIGNATURE_INVALID',
			`Tag ${shown} carries an OpenPGP or X.509 signature; only SSH signatures are accepted.`,
		);
	}

	const result = await execGit(
		context,
		{
			repo,
			args: [...signatureConfig(allowedSignersFile), 'verify-tag', '--raw', '--', ref.id],
			action,
			network: false,
		},
		call,
	);
	// verify-tag writes ssh-keygen's verdict to stderr; read both streams all the same.
	const output = `${result.stderr}\n${result.stdout.toString('utf8')}`;
	const good = parseGoodSignature(output);
	if (result.exitCode === 0 && good !== undefined) {
		return {
			verified: true,
			tagObject: ref.id,
			commit: parsed.object,
			principal: good.principal,
			keyFingerprint: good.keyFingerprint,
		};
	}
	if (result.exitCode === 0) {
		// Success without ssh-keygen's "Good ... for <principal>" line is not a verification.
		throw gitError('GIT_SIGNATURE_INVALID', `git did not confirm who signed tag ${shown}.`);
	}
	const code = classifySignatureFailure(output);
	if (code === undefined) throw gitFailureError(action, result);
	const unlisted = code === 'GIT_SIGNER_NOT_ALLOWED' ? parseUnlistedKey(output) : undefined;
	throw gitError(code, failureMessage(code, shown, unlisted, allowedSignersFile), {
		details: {
			exitCode: result.exitCode,
			...(unlisted === undefined ? {} : { keyFingerprint: unlisted }),
		},
	});
}

function failureMessage(
	code: GitErrorCode,
	shown: string,
	unlisted: string | undefined,
	allowedSignersFile: string,
): string {
	switch (code) {
		case 'GIT_SIGNER_NOT_ALLOWED':
			return `Tag ${shown} is signed by a key that is not an allowed signer${unlisted === undefined ? '' : ` (${unlisted})`}.`;
		case 'GIT_TAG_UNSIGNED':
			return `Tag ${shown} is not signed.`;
		case 'GIT_INVALID_ARGUMENT':
			return `The allowed-signers file ${sanitizeText(allowedSignersFile)} is missing.`;
		default:
			return `The signature of tag ${shown} does not verify: the tag was altered after signing, or the signature is broken.`;
	}
}

/** The tag ref's object id and type (`tag` for annotated, `commit` for lightweight). */
async function readTagRef(
	context: GitContext,
	repo: string,
	tag: string,
	action: string,
	call: CallOptions,
): Promise<{ id: string; type: string }> {
	const refname = `refs/tags/${tag}`;
	const result = await execGitChecked(
		context,
		{
			repo,
			args: ['for-each-ref', '--format=%(objecttype) %(objectname) %(refname)', refname],
			action,
			network: false,
		},
		call,
	);
	// The pattern also matches refs below `refname/`; only the exact name counts.
	for (const line of outputText(result).split('\n')) {
		const [type, id, name] = line.split(' ');
		if (name === refname && type !== undefined && id !== undefined) return { id, type };
	}
	throw gitError('GIT_REF_NOT_FOUND', `The clone has no tag ${sanitizeText(tag)}.`);
}

/**
 * The allowed-signers file as an absolute path with nothing git's config parsing could read
 * differently. It must exist: ssh-keygen reports a missing one as "no principal matched",
 * which would blame the tag for a fault of the caller.
 */
async function signersFile(path: string, cwd: string): Promise<string> {
	const absolute = resolvePath(path, cwd);
	for (let i = 0; i < absolute.length; i++) {
		const c = absolute.charCodeAt(i);
		if (c < 0x20 || c === 0x7f) {
			throw gitError(
				'GIT_INVALID_ARGUMENT',
				'The allowed-signers path contains control characters.',
			);
		}
	}
	const info = await stat(absolute).catch(() => undefined);
	if (info === undefined || !info.isFile()) {
		throw gitError(
			'GIT_INVALID_ARGUMENT',
			`The allowed-signers file ${sanitizeText(absolute)} does not exist.`,
		);
	}
	return absolute;
}

/**
 * D19b author signatures: a registry entry may list its authors' SSH public keys (`signers`).
 * Such a plugin installs or updates only to a tag signed by one of them, checked by
 * `git verify-tag` against an allowed-signers file written from the registry entry.
 *
 * - No signers: nothing to check.
 * - Signers, but the release is a branch or a commit: refused. Only a tag carries a signature.
 * - Signers from an unsigned registry: still checked (a forged key list can only add keys an
 *   attacker controls, so the check is weaker, never harmful), and the result says so.
 * - Any key line that is not a plain SSH public key is refused before git runs.
 * Refusals are AUTHOR_SIGNATURE_INVALID with exit code 3, like a pin mismatch.
 */
import { chmod, lstat, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { isVouchError, type VouchError } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { type LifecycleErrorCode, lifecycleError } from './errors.ts';
import type { RefType, TagVerifierPort } from './ports.ts';
import {
	allowedSignersText,
	parseSignerKey,
	type SignerKey,
	signerIndexOf,
} from './signer-keys.ts';

/** The words every view uses for signer keys an unsigned registry could not vouch for. */
export const UNSIGNED_SIGNERS_LABEL = 'unsigned registry: author keys not verified';

export interface AuthorSignatureInput {
	/** The registry id, for messages. */
	pluginId: string;
	/** The staged clone. */
	dir: string;
	/** The ref installed, and what kind it is. */
	ref: string | undefined;
	refType: RefType | undefined;
	/** The commit checked out in `dir`: the signed tag must point at it. */
	commit: string;
	/** The registry entry's `signers`: one SSH public key line each. */
	signers: readonly string[];
	/** Whether the registry entry came from a verified (TUF) registry. */
	signedRegistry: boolean;
}

export type AuthorSignatureCheck =
	| { state: 'not-required' }
	| {
			state: 'verified';
			tag: string;
			/** Position of the signing key in the registry entry's `signers`. */
			signerIndex: number;
			/** `SHA256:...` of the signing key. */
			keyFingerprint?: string;
			/** The key's comment from the registry (untrusted: sanitise before display). */
			signerComment?: string;
			/** False: the key list came from an unsigned registry (UNSIGNED_SIGNERS_LABEL). */
			signedRegistry: boolean;
	  };

/** Why a release was refused, for `--json` output and tests. */
export type AuthorSignatureRefusal =
	| 'invalid-signer-key'
	| 'not-a-tag'
	| 'tag-missing'
	| 'lightweight-tag'
	| 'unsigned-tag'
	| 'unknown-signer'
	| 'bad-signature'
	| 'commit-mismatch';

export interface AuthorSignatureDeps {
	git: TagVerifierPort;
	/** A fresh directory only this user can read (see `makePrivateTempDir`). */
	makeTempDir(): Promise<string>;
}

/** Git error codes that are a verdict on the tag (everything else is a failure to check). */
const REFUSALS: ReadonlyMap<string, AuthorSignatureRefusal> = new Map([
	['GIT_REF_NOT_FOUND', 'tag-missing'],
	['GIT_TAG_NOT_ANNOTATED', 'lightweight-tag'],
	['GIT_TAG_UNSIGNED', 'unsigned-tag'],
	['GIT_SIGNER_NOT_ALLOWED', 'unknown-signer'],
	['GIT_SIGNATURE_INVALID', 'bad-signature'],
]);

const SIGN_HINT =
	'Install a release tag signed by one of the keys the registry lists for this plugin, or report this to the registry maintainers.';

export async function checkAuthorSignature(
	input: AuthorSignatureInput,
	deps: AuthorSignatureDeps,
): Promise<AuthorSignatureCheck> {
	if (input.signers.length === 0) return { state: 'not-required' };
	const id = sanitizeText(input.pluginId, { maxLength: 200 });
	const keys = parseKeys(input.signers, id);
	if (input.refType !== 'tag' || input.ref === undefined) {
		const what =
			input.ref === undefined
				? 'the default branch'
				: `${input.refType ?? 'ref'} ${sanitizeText(input.ref, { maxLength: 200 })}`;
		throw refusal(
			'not-a-tag',
			`${id} must be installed from a release tag signed by its authors, not from ${what}.`,
			{ hint: 'Choose one of its signed release tags with --ref.' },
		);
	}
	const tag = input.ref;
	const dir = await deps.makeTempDir();
	let verified: Awaited<ReturnType<TagVerifierPort['verifyTag']>>;
	try {
		// The key list decides what passes: nobody else may write to (or swap) the file.
		const info = await lstat(dir);
		if (!info.isDirectory()) throw new Error('The signer key directory is not a directory.');
		await chmod(dir, 0o700);
		const allowedSignersFile = join(dir, 'allowed_signers');
		// 'wx': created here, never through a file or link someone put in its place.
		await writeFile(allowedSignersFile, allowedSignersText(keys), { flag: 'wx', mode: 0o600 });
		verified = await deps.git.verifyTag({ dir: input.dir, tag, allowedSignersFile });
	} catch (error) {
		const reason = isVouchError(error) ? REFUSALS.get(error.code) : undefined;
		if (reason === undefined) throw error;
		throw refusal(reason, `${id} ${sanitizeText(input.ref)}: ${(error as VouchError).message}`, {
			cause: error,
			hint: (error as VouchError).hint ?? SIGN_HINT,
		});
	} finally {
		await rm(dir, { recursive: true, force: true });
	}
	if (verified.commit.toLowerCase() !== input.commit.toLowerCase()) {
		throw refusal(
			'commit-mismatch',
			`The signed tag ${sanitizeText(tag)} of ${id} points at ${sanitizeText(verified.commit.slice(0, 12))}, not at the commit installed (${sanitizeText(input.commit.slice(0, 12))}).`,
		);
	}
	const signerIndex = signerIndexOf(verified.principal);
	const key = signerIndex === undefined ? undefined : keys[signerIndex];
	if (signerIndex === undefined || key === undefined) {
		throw refusal(
			'bad-signature',
			`git did not say which listed key signed ${id} ${sanitizeText(tag)}.`,
		);
	}
	return {
		state: 'verified',
		tag,
		signerIndex,
		...(verified.keyFingerprint === undefined ? {} : { keyFingerprint: verified.keyFingerprint }),
		...(key.comment === undefined ? {} : { signerComment: key.comment }),
		signedRegistry: input.signedRegistry,
	};
}

/**
 * The check on a fetched release, as install and update run it: the entry's signers against
 * the tag that was checked out. Reports the verified signer; an unsigned registry's key list is
 * named as such.
 */
export async function checkFetchedSignature(
	fetched: { dir: string; commit: string; candidate: { ref?: string; refType?: RefType } },
	entry: { id: string; signers: readonly string[] } | undefined,
	deps: {
		git: TagVerifierPort;
		snapshot: { signed: boolean };
		reporter: { info(text: string): void; warn(text: string): void };
	},
): Promise<AuthorSignatureCheck> {
	if (entry === undefined || entry.signers.length === 0) return { state: 'not-required' };
	const check = await checkAuthorSignature(
		{
			pluginId: entry.id,
			dir: fetched.dir,
			ref: fetched.candidate.ref,
			refType: fetched.candidate.refType,
			commit: fetched.commit,
			signers: entry.signers,
			signedRegistry: deps.snapshot.signed,
		},
		{ git: deps.git, makeTempDir: makePrivateTempDir },
	);
	if (check.state === 'verified') {
		const who =
			check.keyFingerprint === undefined ? `key ${check.signerIndex + 1}` : check.keyFingerprint;
		deps.reporter.info(
			`Tag ${sanitizeText(check.tag)} is signed by the author key ${sanitizeText(who)}.`,
		);
		if (!check.signedRegistry) deps.reporter.warn(`${UNSIGNED_SIGNERS_LABEL}.`);
	}
	return check;
}

/** Every key line, parsed; the first bad one refuses the plugin before git runs. */
function parseKeys(signers: readonly string[], id: string): SignerKey[] {
	return signers.map((line, index) => {
		const parsed = parseSignerKey(line);
		if (!parsed.ok) {
			throw refusal(
				'invalid-signer-key',
				`Signer key ${index + 1} of ${id} in the registry is not a usable SSH public key: ${parsed.problem}.`,
				{ hint: 'Report this to the registry maintainers: the entry needs fixing.' },
			);
		}
		return parsed.key;
	});
}

function refusal(
	reason: AuthorSignatureRefusal,
	message: string,
	options: { hint?: string; cause?: unknown } = {},
): VouchError<LifecycleErrorCode> {
	return lifecycleError('AUTHOR_SIGNATURE_INVALID', message, {
		hint: options.hint ?? SIGN_HINT,
		...(options.cause === undefined ? {} : { cause: options.cause }),
		details: { reason },
	});
}

/** A new directory under the system temp dir, mode 0700 (mkdtemp's own), for `makeTempDir`. */
export function makePrivateTempDir(): Promise<string> {
	return mkdtemp(join(tmpdir(), 'vouch-signers-'));
}

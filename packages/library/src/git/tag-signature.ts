/**
 * Pure reading of what a signed-tag check sees: the raw tag object, and what `git verify-tag`
 * reports for an SSH signature. Both texts come partly from the plugin's authors (the tag
 * object) and partly from ssh-keygen, so everything here is a forward scan with plain string
 * operations, and nothing trusts a line it did not expect.
 */
import type { GitErrorCode } from './errors.ts';

/** The line git looks for to find an SSH signature at the end of a tag. */
export const SSH_SIGNATURE_MARKER = '-----BEGIN SSH SIGNATURE-----';
/**
 * Any armour line. git picks the verifier (gpg, gpgsm or ssh-keygen) from the last armour line
 * it recognises, whatever `gpg.format` says; treating every `-----BEGIN ` line as a candidate
 * is a superset of git's list, so when the last candidate here is the SSH marker, git's
 * choice is that same line and ssh-keygen is what runs.
 */
const ARMOUR_PREFIX = '-----BEGIN ';

export type TagSignatureKind = 'none' | 'ssh' | 'other';

export interface TagObject {
	/** The tagged object's id (`object` header). */
	object: string;
	/** Its type (`type` header): `commit` for a release. */
	type: string;
	/** The name the tag was created (and signed) under (`tag` header). */
	tag: string;
	/** Which signature the tag ends with, as git would pick it. */
	signature: TagSignatureKind;
}

/**
 * The headers of a raw tag object (`git cat-file tag`) and the kind of its signature.
 * Returns undefined when a required header is missing or repeated.
 */
export function parseTagObject(text: string): TagObject | undefined {
	const lines = text.split('\n');
	const headers = new Map<string, string>();
	let index = 0;
	for (; index < lines.length; index++) {
		const line = lines[index] as string;
		if (line === '') break;
		const space = line.indexOf(' ');
		if (space <= 0) return undefined;
		const key = line.slice(0, space);
		if (['object', 'type', 'tag'].includes(key) && headers.has(key)) return undefined;
		headers.set(key, line.slice(space + 1));
	}
	const object = headers.get('object');
	const type = headers.get('type');
	const tag = headers.get('tag');
	if (object === undefined || type === undefined || tag === undefined) return undefined;
	return { object, type, tag, signature: signatureKind(lines) };
}

/** The kind of the last armour line, which is where git takes the signature from. */
function signatureKind(lines: readonly string[]): TagSignatureKind {
	let last: string | undefined;
	for (const line of lines) if (line.startsWith(ARMOUR_PREFIX)) last = line;
	if (last === undefined) return 'none';
	return last.startsWith(SSH_SIGNATURE_MARKER) ? 'ssh' : 'other';
}

export interface GoodSignature {
	/** The allowed-signers principal the key was found under. */
	principal: string;
	/** `SHA256:...` of the signing key. */
	keyFingerprint: string;
}

const GOOD_FOR = 'Good "git" signature for ';
const GOOD_WITHOUT_PRINCIPAL = 'Good "git" signature with ';

/**
 * The principal and key of a verified signature, from ssh-keygen's line
 * `Good "git" signature for <principal> with <TYPE> key <fingerprint>`; undefined without one.
 */
export function parseGoodSignature(output: string): GoodSignature | undefined {
	for (const raw of output.split('\n')) {
		const line = raw.trim();
		if (!line.startsWith(GOOD_FOR)) continue;
		const rest = line.slice(GOOD_FOR.length);
		const withAt = rest.lastIndexOf(' with ');
		if (withAt <= 0) continue;
		const principal = rest.slice(0, withAt);
		const keyFingerprint = fingerprintAfterKey(rest.slice(withAt + 6));
		if (keyFingerprint !== undefined) return { principal, keyFingerprint };
	}
	return undefined;
}

/** The fingerprint of a key ssh-keygen found sound but not allowed (`Good ... with <TYPE> key`). */
export function parseUnlistedKey(output: string): string | undefined {
	for (const raw of output.split('\n')) {
		const line = raw.trim();
		if (line.startsWith(GOOD_WITHOUT_PRINCIPAL)) {
			return fingerprintAfterKey(line.slice(GOOD_WITHOUT_PRINCIPAL.length));
		}
	}
	return undefined;
}

/** `<TYPE> key SHA256:<base64>` → the fingerprint, checked to be only base64 characters. */
function fingerprintAfterKey(text: string): string | undefined {
	const parts = text.split(' ');
	if (parts.length !== 3 || parts[1] !== 'key') return undefined;
	const fingerprint = parts[2] as string;
	if (!fingerprint.startsWith('SHA256:') || fingerprint.length > 100) return undefined;
	return /^[A-Za-z0-9+/=]+$/.test(fingerprint.slice('SHA256:'.length)) ? fingerprint : undefined;
}

/**
 * The code for a failed `verify-tag` of an SSH-signed tag, from its error output (LC_ALL=C),
 * or undefined when the failure is not about the signature (the general classifier applies).
 * A broken signature is named before "no principal matched": for an unknown key git prints
 * both when the signature does not verify either.
 */
export function classifySignatureFailure(output: string): GitErrorCode | undefined {
	const text = output.toLowerCase();
	if (
		text.includes('incorrect signature') ||
		text.includes('could not verify signature') ||
		text.includes('signature verification failed')
	) {
		return 'GIT_SIGNATURE_INVALID';
	}
	if (text.includes('no principal matched')) return 'GIT_SIGNER_NOT_ALLOWED';
	if (text.includes('no signature found')) return 'GIT_TAG_UNSIGNED';
	if (text.includes('allowedsignersfile needs to be configured')) return 'GIT_INVALID_ARGUMENT';
	return undefined;
}

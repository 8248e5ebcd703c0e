/**
 * Checks on every value that ends up in git's argv, done before git runs. git reads an argument
 * that starts with `-` as an option (`--upload-pack=<command>` runs a command), and a
 * `<name>::<address>` URL as "run git-remote-<name>" (`ext::` runs anything), so neither may
 * reach it from a registry, a manifest or a user's typing. Callers also put `--` in front of
 * URLs and refs wherever git allows it; these checks cover the places it does not.
 */
import { isAbsolute, resolve } from 'node:path';
import { MAX_URL_LENGTH } from '../core/canonical-url.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { checkTransport, gitTransportOf } from '../core/transport-policy.ts';
import { gitError } from './errors.ts';

/** Longest branch or tag name accepted; git allows more, no real project comes close. */
export const MAX_REF_LENGTH = 255;
/** Longest revision expression accepted by `revParse`. */
export const MAX_REVISION_LENGTH = 1024;
/** Longest filesystem path accepted for a repository or clone destination. */
export const MAX_PATH_LENGTH = 4096;
/** Deepest history fetched on request; 0 means the whole history. */
export const MAX_DEPTH = 1_000_000;

/** The transport git would use for `url` (the one rule, `core/transport-policy.ts`). */
export const urlProtocol = gitTransportOf;

const URL_SCHEME = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const COMMIT_ID = /^[0-9a-f]{7,64}$/;

function shown(value: string): string {
	return sanitizeText(value, { maxLength: 120 });
}

/** C0 controls, DEL and C1 controls: never part of a URL, ref or path git should see. */
function hasControlCharacter(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c < 0x20 || (c >= 0x7f && c <= 0x9f)) return true;
	}
	return false;
}

/** Throws GIT_TRANSPORT_REFUSED unless git may be given `url` under this policy. */
export function assertUrlAllowed(url: unknown, allowInsecureTransport: boolean): string {
	if (typeof url !== 'string' || url.length === 0) {
		throw gitError('GIT_TRANSPORT_REFUSED', 'The repository address is empty.');
	}
	if (url.length > MAX_URL_LENGTH) {
		throw gitError(
			'GIT_TRANSPORT_REFUSED',
			`The repository address is longer than ${MAX_URL_LENGTH} characters.`,
		);
	}
	if (hasControlCharacter(url)) {
		throw gitError(
			'GIT_TRANSPORT_REFUSED',
			`The repository address ${shown(url)} contains control characters.`,
		);
	}
	if (url.startsWith('-')) {
		throw gitError(
			'GIT_TRANSPORT_REFUSED',
			`The repository address ${shown(url)} starts with "-", which git would read as an option.`,
		);
	}
	// git's own last line of defence: the transport rule for a plugin address (D11). The
	// lifecycle has already applied the stricter registry rule where it applies.
	const decision = checkTransport(url, { kind: 'unregistered', allowInsecureTransport });
	if (decision.allowed) return url;
	if (decision.refusal === 'remote-helper') {
		throw gitError(
			'GIT_TRANSPORT_REFUSED',
			`${shown(url)} asks git to run a remote helper; Vouch never does.`,
		);
	}
	if (decision.refusal === 'insecure') {
		throw gitError(
			'GIT_TRANSPORT_REFUSED',
			`${shown(url)} is not encrypted: anyone on the network path could change what is fetched.`,
		);
	}
	const scheme = URL_SCHEME.exec(url)?.[1] ?? decision.transport;
	throw gitError('GIT_TRANSPORT_REFUSED', `Vouch never fetches over ${shown(scheme)}://.`);
}

/**
 * Why `name` is not a well-formed branch or tag name by git's own rules
 * (`git check-ref-format`), or undefined when it is. Such a name never starts with `-`.
 */
export function refNameProblem(name: string): string | undefined {
	if (name.length === 0) return 'it is empty';
	if (name.length > MAX_REF_LENGTH) return `it is longer than ${MAX_REF_LENGTH} characters`;
	if (hasControlCharacter(name)) return 'it contains control characters';
	if (name.startsWith('-')) return 'it starts with "-"';
	for (const bad of [' ', '~', '^', ':', '?', '*', '[', '\\', '..', '@{', '//']) {
		if (name.includes(bad)) return `it contains "${bad}"`;
	}
	if (name === '@' || name.startsWith('/') || name.endsWith('/') || name.endsWith('.')) {
		return 'it is not a valid ref';
	}
	for (const part of name.split('/')) {
		if (part.startsWith('.') || part.endsWith('.lock')) {
			return 'a component starts with "." or ends with ".lock"';
		}
	}
	return undefined;
}

/** Throws GIT_INVALID_ARGUMENT unless `name` is a well-formed branch or tag name. */
export function assertRefName(name: unknown): string {
	const text = typeof name === 'string' ? name : '';
	const problem = refNameProblem(text);
	if (problem !== undefined) {
		throw gitError(
			'GIT_INVALID_ARGUMENT',
			`Not a usable ref name ${shown(String(name))}: ${problem}.`,
		);
	}
	return text;
}

/** Whether `id` is a full commit id (SHA-1 or SHA-256), which a server can be asked for. */
export function isFullCommitId(id: string): boolean {
	return COMMIT_ID.test(id) && (id.length === 40 || id.length === 64);
}

/** Lowercases and checks a commit id, full or abbreviated (at least 7 hex digits). */
export function assertCommitId(id: unknown): string {
	const text = typeof id === 'string' ? id.toLowerCase() : '';
	if (!COMMIT_ID.test(text)) {
		throw gitError(
			'GIT_INVALID_ARGUMENT',
			`Not a commit id: ${shown(String(id))} (expected 7 to 64 hexadecimal digits).`,
		);
	}
	return text;
}

/** A revision expression (`HEAD`, `v1.2^{commit}`, `origin/main`...) for rev-parse. */
export function assertRevision(rev: unknown): string {
	if (typeof rev !== 'string' || rev.length === 0 || rev.length > MAX_REVISION_LENGTH) {
		throw gitError('GIT_INVALID_ARGUMENT', 'The revision is empty or too long.');
	}
	if (hasControlCharacter(rev) || rev.startsWith('-')) {
		throw gitError('GIT_INVALID_ARGUMENT', `Not a usable revision: ${shown(rev)}.`);
	}
	return rev;
}

/** A history depth: a whole number, 0 meaning everything. */
export function assertDepth(depth: unknown): number {
	if (typeof depth !== 'number' || !Number.isInteger(depth) || depth < 0 || depth > MAX_DEPTH) {
		throw gitError(
			'GIT_INVALID_ARGUMENT',
			`The clone depth must be a whole number from 0 (full history) to ${MAX_DEPTH}.`,
		);
	}
	return depth;
}

/** An absolute, normalised filesystem path, resolved against `cwd` when relative. */
export function resolvePath(path: unknown, cwd: string): string {
	if (typeof path !== 'string' || path.length === 0 || path.length > MAX_PATH_LENGTH) {
		throw gitError('GIT_INVALID_ARGUMENT', 'The directory path is empty or too long.');
	}
	if (path.includes('\0')) {
		throw gitError('GIT_INVALID_ARGUMENT', 'The directory path contains a NUL character.');
	}
	return isAbsolute(path) ? resolve(path) : resolve(cwd, path);
}

/**
 * The address handed to git: local paths made absolute against `cwd` (git runs elsewhere, see
 * `run.ts`), with `~` expanded against `home`; every other address unchanged.
 */
export function resolveUrlForGit(url: string, cwd: string, home: string | undefined): string {
	if (urlProtocol(url) !== 'file' || URL_SCHEME.test(url)) return url;
	if (home !== undefined && (url === '~' || url.startsWith('~/'))) {
		return resolve(home, url.slice(2));
	}
	return isAbsolute(url) ? url : resolve(cwd, url);
}

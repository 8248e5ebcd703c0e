/**
 * Canonical URLs (D2). One function serves the blacklist, trust binding, redirects,
 * duplicate checks and local metadata, so that no two comparisons disagree about
 * whether two spellings name the same repository.
 */
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { coreError } from './errors.ts';

/** Longer inputs are refused outright: no real repository URL comes near it. */
export const MAX_URL_LENGTH = 4096;

const DEFAULT_PORTS: Readonly<Record<string, string>> = {
	http: '80',
	https: '443',
	ssh: '22',
	git: '9418',
	ftp: '21',
	ftps: '990',
};

export interface CanonicalUrlContext {
	/** Base for relative local paths. Default: the process working directory. */
	cwd?: string;
	/** Expansion of a leading `~`. Default: the user's home directory. */
	home?: string;
}

export type SourceKind = 'local' | 'remote';

/** Whether a user-supplied source names a local path or a remote repository. */
export function sourceKind(raw: string): SourceKind {
	const text = raw.trim();
	if (text.toLowerCase().startsWith('file://')) return 'local';
	if (text.startsWith('/') || text.startsWith('~') || text.startsWith('.')) return 'local';
	if (text.includes('://')) return 'remote';
	return scpParts(text) ? 'remote' : 'local';
}

/** `[user@]host:path`, git's scp-like syntax. The host part may not contain a slash. */
function scpParts(text: string): { host: string; path: string } | undefined {
	const colon = text.indexOf(':');
	if (colon <= 0) return undefined;
	const before = text.slice(0, colon);
	const path = text.slice(colon + 1);
	if (before.includes('/') || before.includes('\\') || path.length === 0) return undefined;
	const at = before.lastIndexOf('@');
	const host = at === -1 ? before : before.slice(at + 1);
	if (host.length === 0) return undefined;
	return { host, path };
}

/**
 * The canonical form of a git URL or local path.
 * - remote: scheme and host lowercased, userinfo and default port dropped, dot segments and
 *   repeated slashes removed, unreserved percent-escapes decoded, trailing `/` and `.git` dropped;
 * - scp-like `git@host:o/r` becomes `ssh://host/o/r`;
 * - local paths and `file://` URLs become absolute, resolved paths with `~` expanded.
 */
/** git's own test: a run of scheme characters followed by `::`. */
const REMOTE_HELPER_SYNTAX = /^[A-Za-z0-9][A-Za-z0-9+.-]*::/;

export function canonicalUrl(raw: string, context: CanonicalUrlContext = {}): string {
	if (typeof raw !== 'string') throw coreError('INVALID_URL', 'A URL must be a string.');
	const text = raw.trim();
	if (text.length === 0) throw coreError('INVALID_URL', 'The URL is empty.');
	if (text.length > MAX_URL_LENGTH) {
		throw coreError('INVALID_URL', `The URL is longer than ${MAX_URL_LENGTH} characters.`);
	}
	// git reads `<name>::<address>` as "run the remote helper git-remote-<name>" (`ext::` runs
	// any command), whatever else the text looks like. No plugin source may take that form.
	if (REMOTE_HELPER_SYNTAX.test(text)) {
		throw coreError(
			'INVALID_URL',
			'Remote-helper addresses (such as ext:: or fd::) are never used.',
			{
				hint: 'Use an https or ssh URL, or a local path such as ./plugin.',
			},
		);
	}
	if (sourceKind(text) === 'local') return canonicalLocalPath(text, context);
	if (text.includes('://')) return canonicalRemote(text);
	const scp = scpParts(text) as { host: string; path: string };
	const path = scp.path.startsWith('/') ? scp.path : `/${scp.path}`;
	return canonicalRemote(`ssh://${scp.host}${path}`);
}

/** Like `canonicalUrl`, but returns undefined instead of throwing. */
export function tryCanonicalUrl(raw: string, context?: CanonicalUrlContext): string | undefined {
	try {
		return canonicalUrl(raw, context);
	} catch {
		return undefined;
	}
}

function canonicalLocalPath(text: string, context: CanonicalUrlContext): string {
	let path = text;
	if (path.toLowerCase().startsWith('file://')) {
		path = path.slice('file://'.length);
		if (path.toLowerCase().startsWith('localhost/')) path = path.slice('localhost'.length);
		path = safeDecode(path);
	}
	const home = context.home ?? homedir();
	if (path === '~') path = home;
	else if (path.startsWith('~/')) path = home + path.slice(1);
	const absolute = isAbsolute(path) ? resolve(path) : resolve(context.cwd ?? process.cwd(), path);
	return absolute;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function canonicalRemote(text: string): string {
	const sep = text.indexOf('://');
	const scheme = text.slice(0, sep).toLowerCase();
	if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) {
		throw coreError('INVALID_URL', 'The URL scheme is not valid.', {
			hint: 'Use a form such as https://host/owner/repo.',
		});
	}
	const rest = text.slice(sep + 3);
	let authorityEnd = rest.length;
	for (const stop of ['/', '?', '#']) {
		const at = rest.indexOf(stop);
		if (at !== -1 && at < authorityEnd) authorityEnd = at;
	}
	const authority = rest.slice(0, authorityEnd);
	const afterAuthority = rest.slice(authorityEnd);
	const hostPort = authority.slice(authority.lastIndexOf('@') + 1);
	const { host, port } = splitHostPort(hostPort);
	if (host.length === 0) throw coreError('INVALID_URL', 'The URL has no host.');

	let suffixStart = afterAuthority.length;
	for (const stop of ['?', '#']) {
		const at = afterAuthority.indexOf(stop);
		if (at !== -1 && at < suffixStart) suffixStart = at;
	}
	const path = canonicalPath(afterAuthority.slice(0, suffixStart));
	const suffix = afterAuthority.slice(suffixStart);
	const keepPort = port !== '' && DEFAULT_PORTS[scheme] !== port;
	return `${scheme}://${host}${keepPort ? `:${port}` : ''}${path}${suffix}`;
}

function splitHostPort(hostPort: string): { host: string; port: string } {
	let host = hostPort;
	let port = '';
	if (hostPort.startsWith('[')) {
		const close = hostPort.indexOf(']');
		if (close !== -1) {
			host = hostPort.slice(0, close + 1);
			const tail = hostPort.slice(close + 1);
			if (tail.startsWith(':')) port = tail.slice(1);
		}
	} else {
		const colon = hostPort.lastIndexOf(':');
		if (colon !== -1) {
			host = hostPort.slice(0, colon);
			port = hostPort.slice(colon + 1);
		}
	}
	if (port !== '') {
		if (!/^\d{1,5}$/.test(port) || Number(port) > 65535) {
			throw coreError('INVALID_URL', 'The URL port is not a number from 0 to 65535.');
		}
		port = String(Number(port));
	}
	host = host.toLowerCase();
	while (host.endsWith('.')) host = host.slice(0, -1);
	return { host, port };
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;

function normalisePercentEscapes(segment: string): string {
	let out = '';
	for (let i = 0; i < segment.length; i++) {
		const ch = segment.charAt(i);
		const hex = segment.slice(i + 1, i + 3);
		if (ch === '%' && /^[0-9A-Fa-f]{2}$/.test(hex)) {
			const decoded = String.fromCharCode(Number.parseInt(hex, 16));
			out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
			i += 2;
		} else {
			out += ch;
		}
	}
	return out;
}

/** Decodes unreserved escapes, drops empty and `.` segments, and applies `..`. */
function normaliseSegments(rawSegments: readonly string[]): string[] {
	const segments: string[] = [];
	for (const segment of rawSegments) {
		const part = normalisePercentEscapes(segment);
		if (part === '' || part === '.') continue;
		if (part === '..') {
			segments.pop();
			continue;
		}
		segments.push(part);
	}
	return segments;
}

function canonicalPath(rawPath: string): string {
	// Trailing `/` is gone with the empty segments. Stripping `.git` may expose another
	// one (`repo.git.git`) or a dot segment (`..git`), so repeat until the path is stable:
	// canonicalUrl must be idempotent.
	let segments = normaliseSegments(rawPath.split('/'));
	for (;;) {
		const last = segments[segments.length - 1];
		if (last === undefined || !last.endsWith('.git')) break;
		segments = normaliseSegments([...segments.slice(0, -1), last.slice(0, -'.git'.length)]);
	}
	return segments.length === 0 ? '' : `/${segments.join('/')}`;
}

/** The scheme of a canonical URL (`file` for a local path). */
export function urlScheme(canonical: string): string {
	if (canonical.startsWith('/')) return 'file';
	const sep = canonical.indexOf('://');
	return sep === -1 ? 'file' : canonical.slice(0, sep);
}

/**
 * A transport-independent key: `//host[:port]/path` for network URLs, the path for local ones.
 * The blacklist compares on this too, so switching `https` to `ssh` or `http` cannot dodge a
 * `url` entry.
 */
export function locationKey(canonical: string): string {
	const sep = canonical.indexOf('://');
	return sep === -1 ? canonical : canonical.slice(sep + 1);
}

/**
 * Canonical URLs (D2): the one home of URL canonicalisation and comparison. The blacklist,
 * trust binding, redirects, duplicate checks and local state all compare through here, so
 * that no two comparisons disagree about whether two spellings name the same repository: a
 * disagreement would be a blacklist bypass or a borrowed trust level.
 */
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { coreError } from './errors.ts';
import {
	canonicalHost,
	canonicalPath,
	canonicalScheme,
	foldedPath,
	forgeSshHost,
	portSuffix,
	splitHostPort,
} from './url-parts.ts';

/** Longer inputs are refused outright: no real repository URL comes near it. */
export const MAX_URL_LENGTH = 4096;

/**
 * Forges whose repository paths are case-insensitive: `github.com/BadOrg/Plugin` is the same
 * repository as `github.com/badorg/plugin`, and git clones it either way. They always fold: a
 * host's own list only adds to them, since leaving one out would let a capital letter step
 * around every blacklist entry for a repository there.
 */
export const DEFAULT_CASE_INSENSITIVE_PATH_HOSTS: readonly string[] = [
	'github.com',
	'gitlab.com',
	'codeberg.org',
	'bitbucket.org',
];

export interface CanonicalUrlContext {
	/** Base for relative local paths. Default: the process working directory. */
	cwd?: string;
	/** Expansion of a leading `~`. Default: the user's home directory. */
	home?: string;
	/**
	 * Further hosts whose repository paths are compared without case (the host profile's
	 * `case_insensitive_path_hosts`). `DEFAULT_CASE_INSENSITIVE_PATH_HOSTS` always fold as
	 * well, whatever the list says, an empty list included.
	 */
	caseInsensitivePathHosts?: readonly string[];
}

/**
 * The URL context held in a wider options object, with only the keys that are set: every
 * caller hands its cwd, home and case-insensitive host list on through this one shape.
 */
export function pickUrlContext(from: CanonicalUrlContext): CanonicalUrlContext {
	return {
		...(from.cwd === undefined ? {} : { cwd: from.cwd }),
		...(from.home === undefined ? {} : { home: from.home }),
		...(from.caseInsensitivePathHosts === undefined
			? {}
			: { caseInsensitivePathHosts: from.caseInsensitivePathHosts }),
	};
}

/** Whether a host name can be made canonical (for validating a profile's host list). */
export function isCanonicalHostName(text: string): boolean {
	return tryHost(text).length === 1 && !text.includes('/');
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

/** Whether text is git's scp-like `[user@]host:path` (what git would read as ssh). */
export function isScpLikeAddress(text: string): boolean {
	const trimmed = text.trim();
	return !trimmed.includes('://') && scpParts(trimmed) !== undefined;
}

/** Whether text names a git repository by URL (`file://` included) rather than by local path. */
export function isUrlSpelling(text: string): boolean {
	const trimmed = text.trim();
	return trimmed.toLowerCase().startsWith('file://') || sourceKind(trimmed) === 'remote';
}

/** `[user@]host:path`, git's scp-like syntax. The host part may not contain a slash. */
function scpParts(text: string): { host: string; path: string } | undefined {
	const colon = text.indexOf(':');
	if (colon <= 0) return undefined;
	const before = text.slice(0, colon);
	const path = text.slice(colon + 1);
	if (before.includes('/') || before.includes('\\') || path.length === 0) return undefined;
	// ssh reads `a@b@host` as user `a@b` at `host`: the last `@` ends the user.
	const at = before.lastIndexOf('@');
	const host = at === -1 ? before : before.slice(at + 1);
	if (host.length === 0) return undefined;
	return { host, path };
}

/** git's own test: a run of scheme characters followed by `::`. */
const REMOTE_HELPER_SYNTAX = /^[A-Za-z0-9][A-Za-z0-9+.-]*::/;
/** C0 controls and DEL: curl refuses them, WHATWG drops some, and a terminal may act on them. */
function hasControlCharacter(text: string): boolean {
	for (let i = 0; i < text.length; i++) {
		const code = text.charCodeAt(i);
		if (code < 0x20 || code === 0x7f) return true;
	}
	return false;
}

/** A remote URL in its two comparable forms (D2, D3). */
export interface CanonicalForms {
	/** Decoded, ASCII host, no credentials or default port, path case as written. */
	caseKept: string;
	/** `caseKept` with the path lowercased on a case-insensitive host: the comparison form. */
	canonical: string;
	/**
	 * Present when the path holds an encoded slash (`%2F`): both forms with it decoded, as a
	 * server that decodes the path before routing it reads them (nginx in front of
	 * git-http-backend does). The blacklist compares these too; trust never does.
	 */
	slashesDecoded?: { caseKept: string; canonical: string };
}

/**
 * The transport-independent keys the blacklist compares a URL under: its location, and the
 * location with encoded slashes decoded, so `badorg%2Fplugin` cannot step around an entry for
 * `badorg/plugin` on a server that decodes it. Over-matching here costs nothing: no forge
 * lets a repository name hold a slash.
 */
export function blacklistLocations(forms: CanonicalForms): string[] {
	const primary = locationKey(forms.canonical);
	const decoded = forms.slashesDecoded;
	return decoded === undefined ? [primary] : [primary, locationKey(decoded.canonical)];
}

/**
 * The canonical form of a git URL or local path, the one every comparison uses (D2).
 * - remote: scheme and host lowercased, host percent-decoded and in ASCII (punycode) form with
 *   no trailing dot, userinfo and default port dropped, dot segments and repeated slashes
 *   removed, unreserved percent-escapes decoded, trailing `/` and one `.git` dropped (a path
 *   whose rest still ends in `.git` is kept whole: `r.git.git` names `r.git`, never `r`), and the path
 *   lowercased on hosts whose repository paths are case-insensitive;
 * - scp-like `git@host:o/r` becomes `ssh://host/o/r`;
 * - local paths and `file://` URLs become absolute, resolved paths with `~` expanded.
 * Throws INVALID_URL or INVALID_HOST for what it cannot make canonical.
 */
export function canonicalUrl(raw: string, context: CanonicalUrlContext = {}): string {
	return canonicalForms(raw, context).canonical;
}

/** Like `canonicalUrl`, but returns undefined instead of throwing. */
export function tryCanonicalUrl(raw: string, context?: CanonicalUrlContext): string | undefined {
	try {
		return canonicalUrl(raw, context);
	} catch {
		return undefined;
	}
}

/** Both forms of a URL; for a local path they are the same. Throws like `canonicalUrl`. */
export function canonicalForms(raw: string, context: CanonicalUrlContext = {}): CanonicalForms {
	if (typeof raw !== 'string') throw coreError('INVALID_URL', 'A URL must be a string.');
	const text = raw.trim();
	if (text.length === 0) throw coreError('INVALID_URL', 'The URL is empty.');
	if (text.length > MAX_URL_LENGTH) {
		throw coreError('INVALID_URL', `The URL is longer than ${MAX_URL_LENGTH} characters.`);
	}
	if (hasControlCharacter(text)) {
		throw coreError('INVALID_URL', 'The URL contains control characters (tab, newline...).');
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
	if (sourceKind(text) === 'local') {
		const path = canonicalLocalPath(text, context);
		return { caseKept: path, canonical: path };
	}
	if (text.includes('://')) return canonicalRemote(text, context);
	const scp = scpParts(text) as { host: string; path: string };
	// `git@[::1]:o/r` and `[host:port]:o/r` are read differently by git and by this parser;
	// the ssh:// form says the same without the doubt.
	if (scp.host.includes('[') || scp.host.includes(']')) {
		throw coreError('INVALID_URL', 'Bracketed hosts in scp-like addresses are not used.', {
			hint: 'Write it as ssh://user@[host]:port/path.',
		});
	}
	const path = scp.path.startsWith('/') ? scp.path : `/${scp.path}`;
	return canonicalRemote(`ssh://${scp.host}${path}`, context);
}

/**
 * The texts a `url_regex` is searched in (D3): the URL as written, and its case-kept and
 * canonical forms, without repeats. A match on any of them blocks, so neither an encoded
 * host nor a change of path case can step around an organisation-wide pattern. A URL that
 * cannot be made canonical is still searched as written: odd is not clean.
 */
export function urlPatternTexts(raw: string, context: CanonicalUrlContext = {}): string[] {
	return patternTextsOf(raw, tryCanonicalForms(raw, context));
}

/** `urlPatternTexts` for a caller that already has the forms (undefined: not canonical). */
export function patternTextsOf(raw: string, forms: CanonicalForms | undefined): string[] {
	const texts: string[] = [];
	const add = (text: string) => {
		if (!texts.includes(text)) texts.push(text);
	};
	if (forms !== undefined) {
		add(forms.canonical);
		add(forms.caseKept);
		// Registry patterns are written for the https address. The same repository fetched over
		// ssh (`git@github.com:badorg/x`), git:// or http is searched in its https spelling too,
		// so a change of transport cannot step around an organisation-wide pattern.
		add(httpsSpelling(forms.canonical));
		add(httpsSpelling(forms.caseKept));
		const decoded = forms.slashesDecoded;
		if (decoded !== undefined) {
			add(decoded.canonical);
			add(decoded.caseKept);
			add(httpsSpelling(decoded.canonical));
			add(httpsSpelling(decoded.caseKept));
		}
	}
	add(raw);
	return texts;
}

/** Network transports that reach the same repository as its https address on a forge. */
const NETWORK_SCHEMES: ReadonlySet<string> = new Set([
	'http',
	'https',
	'ssh',
	'git',
	'git+ssh',
	'ssh+git',
	'ftp',
	'ftps',
]);

/** A network URL in canonical form with its scheme made `https`; other forms as they are. */
function httpsSpelling(canonical: string): string {
	return NETWORK_SCHEMES.has(urlScheme(canonical)) ? `https:${locationKey(canonical)}` : canonical;
}

/** Like `canonicalForms`, but returns undefined instead of throwing. */
export function tryCanonicalForms(
	raw: string,
	context?: CanonicalUrlContext,
): CanonicalForms | undefined {
	try {
		return canonicalForms(raw, context);
	} catch {
		return undefined;
	}
}

/**
 * Whether two URLs (any spelling, or forms stored earlier) are one in canonical form. Both
 * are canonicalised afresh, so a form recorded by an older release still compares right;
 * a URL that cannot be made canonical equals nothing.
 */
export function sameUrl(a: string, b: string, context?: CanonicalUrlContext): boolean {
	const left = tryCanonicalUrl(a, context);
	return left !== undefined && left === tryCanonicalUrl(b, context);
}

function canonicalLocalPath(text: string, context: CanonicalUrlContext): string {
	let path = text;
	if (path.toLowerCase().startsWith('file://')) {
		path = path.slice('file://'.length);
		// git ignores the host of a file:// URL: `file://anyhost/srv/p` opens /srv/p.
		const slash = path.indexOf('/');
		if (slash === -1) {
			throw coreError('INVALID_URL', 'The file:// URL names no path.', {
				hint: 'Write it as file:///absolute/path, or give the path itself.',
			});
		}
		path = path.slice(slash);
		path = safeDecode(path);
	}
	const home = context.home ?? homedir();
	if (path === '~') path = home;
	else if (path.startsWith('~/')) path = home + path.slice(1);
	const absolute = isAbsolute(path) ? resolve(path) : resolve(context.cwd ?? process.cwd(), path);
	// `/srv/p/.git` is the repository of the working copy `/srv/p`: git fetches the same from
	// both. Stripped once, and only when the working copy is not itself named `.git`:
	// `/srv/p/.git/.git` is another repository (nested in the first), and a second pass over a
	// once-stripped `/srv/p/.git` would strip again, so such a path is kept whole (idempotent).
	if (basename(absolute) !== '.git') return absolute;
	const parent = dirname(absolute);
	return basename(parent) === '.git' || parent === absolute ? absolute : parent;
}

function safeDecode(text: string): string {
	try {
		return decodeURIComponent(text);
	} catch {
		return text;
	}
}

function canonicalRemote(text: string, context: CanonicalUrlContext): CanonicalForms {
	const sep = text.indexOf('://');
	const scheme = canonicalScheme(text.slice(0, sep).toLowerCase());
	if (!/^[a-z][a-z0-9+.-]*$/.test(scheme)) {
		throw coreError('INVALID_URL', 'The URL scheme is not valid.', {
			hint: 'Use a form such as https://host/owner/repo.',
		});
	}
	const rest = text.slice(sep + 3);
	// Spaces and backslashes are where URL parsers disagree (WHATWG reads `\` as `/`; curl
	// refuses both). A URL that parsers read differently is refused. Other Unicode spaces are
	// left to IDNA in the host (it drops the invisible ones) and encoded in the path.
	if (/[ \\]/.test(rest)) {
		throw coreError('INVALID_URL', 'The URL contains spaces or backslashes.', {
			hint: 'Percent-encode them, or check the URL for a copying mistake.',
		});
	}
	let authorityEnd = rest.length;
	for (const stop of ['/', '?', '#']) {
		const at = rest.indexOf(stop);
		if (at !== -1 && at < authorityEnd) authorityEnd = at;
	}
	const authority = rest.slice(0, authorityEnd);
	const afterAuthority = rest.slice(authorityEnd);
	const at = authority.indexOf('@');
	// `https://github.com@evil.example/x` fetches from evil.example; with two `@` parsers
	// disagree about where the host starts, so that is refused.
	if (at !== authority.lastIndexOf('@')) {
		throw coreError('INVALID_URL', 'The URL has more than one "@" before its host.', {
			hint: 'Percent-encode an "@" inside a user name or password as %40.',
		});
	}
	const { host: rawHost, port: rawPort } = splitHostPort(authority.slice(at + 1));
	const { host, port } = forgeSshHost(scheme, canonicalHost(rawHost), rawPort);

	let suffixStart = afterAuthority.length;
	for (const stop of ['?', '#']) {
		const found = afterAuthority.indexOf(stop);
		if (found !== -1 && found < suffixStart) suffixStart = found;
	}
	const rawPath = afterAuthority.slice(0, suffixStart);
	// git url-decodes an ssh:// or git:// address whole before using it, so there an encoded
	// slash is a slash. curl sends an http(s) path as written: the server decides.
	const folds = caseInsensitiveHosts(context).has(host);
	const path = canonicalPath(
		GIT_DECODED_SCHEMES.has(scheme) ? rawPath.replace(/%2F/gi, '/') : rawPath,
		folds,
	);
	const suffix = afterAuthority.slice(suffixStart);
	const origin = `${scheme}://${host}${portSuffix(scheme, port)}`;
	const caseKept = `${origin}${path}${suffix}`;
	const forms = { caseKept, canonical: folds ? `${origin}${foldedPath(path)}${suffix}` : caseKept };
	// Escapes are uppercase by now. The decoded path has no `%2F` left, so this recurses once.
	if (!path.includes('%2F')) return forms;
	const decoded = canonicalRemote(`${origin}${path.replaceAll('%2F', '/')}${suffix}`, context);
	return { ...forms, slashesDecoded: { caseKept: decoded.caseKept, canonical: decoded.canonical } };
}

/** Transports whose whole address git percent-decodes itself (connect.c), path included. */
const GIT_DECODED_SCHEMES: ReadonlySet<string> = new Set(['ssh', 'git']);

/** The profile's list with the forges, in canonical host form, computed once per list. */
const normalisedLists = new WeakMap<readonly string[], ReadonlySet<string>>();

function caseInsensitiveHosts(context: CanonicalUrlContext): ReadonlySet<string> {
	const list = context.caseInsensitivePathHosts ?? DEFAULT_CASE_INSENSITIVE_PATH_HOSTS;
	let set = normalisedLists.get(list);
	if (set === undefined) {
		// The forges come first and cannot be taken out: a list only adds hosts (D2).
		const hosts = [...DEFAULT_CASE_INSENSITIVE_PATH_HOSTS, ...list];
		set = new Set(hosts.flatMap((entry) => tryHost(entry)));
		normalisedLists.set(list, set);
	}
	return set;
}

function tryHost(entry: string): string[] {
	try {
		return [canonicalHost(entry.trim())];
	} catch {
		return [];
	}
}

/**
 * Whether a canonical URL's host compares repository paths without case (D2): then a
 * `url_regex` written with capitals must not be dodged by writing the path in other letters.
 */
export function foldsPathCase(canonical: string, context: CanonicalUrlContext = {}): boolean {
	const sep = canonical.indexOf('://');
	if (sep === -1) return false;
	const rest = canonical.slice(sep + 3);
	const end = rest.search(/[/?#]/);
	const hostPort = end === -1 ? rest : rest.slice(0, end);
	// A canonical host is ASCII and has no userinfo; an IPv6 literal never folds.
	const host = hostPort.startsWith('[') ? hostPort : (hostPort.split(':')[0] as string);
	return caseInsensitiveHosts(context).has(host);
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

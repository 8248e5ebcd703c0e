/**
 * The pieces of a remote URL in canonical form (D2): host, port and path. Kept apart from
 * `canonical-url.ts`, which decides what kind of source a text is and puts the pieces together.
 *
 * The guiding test: two spellings that git (through curl or ssh) fetches from the same place
 * must come out equal, and a spelling whose meaning is unclear is refused rather than guessed.
 */
import { domainToASCII } from 'node:url';
import { coreError } from './errors.ts';

/** Default ports are dropped: `https://h:443/r` is `https://h/r`. */
const DEFAULT_PORTS: Readonly<Record<string, string>> = {
	http: '80',
	https: '443',
	ssh: '22',
	git: '9418',
	ftp: '21',
	ftps: '990',
};

/** Schemes git reads as another: `git+ssh://` and `ssh+git://` are plain ssh to it. */
const SCHEME_ALIASES: Readonly<Record<string, string>> = {
	'git+ssh': 'ssh',
	'ssh+git': 'ssh',
};

/** The scheme (already lowercase) as git's transport sees it. */
export function canonicalScheme(scheme: string): string {
	return SCHEME_ALIASES[scheme] ?? scheme;
}

/**
 * Hosts the forges document for ssh on port 443, for networks that block port 22: the same
 * repositories as the forge itself (`ssh://git@ssh.github.com:443/o/r` is `git@github.com:o/r`).
 * Only over ssh, and only on 22 or 443; anything else at those names is another service.
 */
const FORGE_SSH_ALIASES: Readonly<Record<string, string>> = {
	'ssh.github.com': 'github.com',
	'altssh.gitlab.com': 'gitlab.com',
	'altssh.bitbucket.org': 'bitbucket.org',
};

/** Host and port of an ssh address on a forge's alternative ssh host, as the forge itself. */
export function forgeSshHost(
	scheme: string,
	host: string,
	port: string,
): { host: string; port: string } {
	const forge = FORGE_SSH_ALIASES[host];
	if (scheme !== 'ssh' || forge === undefined || !['', '22', '443'].includes(port)) {
		return { host, port };
	}
	return { host: forge, port: '' };
}

/**
 * The host in ASCII form: percent-escapes decoded (curl decodes them, so `%67ithub.com` is
 * github.com), IDNA mapping applied (full-width letters, soft hyphens, ideographic dots fold
 * away), punycode for what remains, IPv4 in any numeric spelling (`0x7f.1`, `2130706433`,
 * an IPv4-mapped IPv6 literal) as dotted decimal, other IPv6 compressed, lowercase, and one
 * trailing dot dropped. Anything this cannot turn into a plain host name is refused: a host
 * that cannot be compared cannot be checked against the blacklist.
 */
export function canonicalHost(raw: string): string {
	if (raw.length === 0) throw coreError('INVALID_URL', 'The URL has no host.');
	// node:url applies the WHATWG host parser: percent-decoding, UTS #46 mapping and
	// punycode, IPv4 and IPv6 parsing. It answers '' for anything it cannot convert. A plain
	// lowercase name (letters, digits, hyphens; no punycode, not a number) maps to itself, so
	// the parser is skipped for it: most URLs are plain, and the blacklist canonicalises many.
	const lower = raw.toLowerCase();
	let host = isPlainName(lower) ? lower : domainToASCII(raw);
	if (host === '') throw invalidHost();
	if (host.startsWith('[')) return ipv4Mapped(host) ?? host;
	if (host.endsWith('.')) host = host.slice(0, -1);
	// An empty label (`a..b`, a leading dot, two trailing dots) names no host DNS resolves.
	if (host.length === 0 || host.split('.').some((label) => label.length === 0)) {
		throw invalidHost();
	}
	return host;
}

/** An IPv4-mapped IPv6 literal as the parser writes it (`[::ffff:10.0.0.5]` as `[::ffff:a00:5]`). */
const IPV4_MAPPED = /^\[::ffff:([0-9a-f]{1,4}):([0-9a-f]{1,4})\]$/;

/**
 * The IPv4 address an IPv4-mapped IPv6 literal names: a socket to `[::ffff:a00:5]` reaches
 * 10.0.0.5, so git fetches from the same place and the two spellings must compare equal.
 */
function ipv4Mapped(host: string): string | undefined {
	const match = IPV4_MAPPED.exec(host);
	if (match === null) return undefined;
	const high = Number.parseInt(match[1] as string, 16);
	const low = Number.parseInt(match[2] as string, 16);
	return [high >> 8, high & 0xff, low >> 8, low & 0xff].join('.');
}

const PLAIN_NAME = /^[a-z0-9-]+(\.[a-z0-9-]+)*\.?$/;
/** A last label WHATWG reads as a number, which makes the host an IPv4 address. */
const NUMERIC_LABEL = /^(\d+|0x[0-9a-f]*)$/;

function isPlainName(host: string): boolean {
	if (!PLAIN_NAME.test(host)) return false;
	const labels = host.split('.').filter((label) => label !== '');
	const last = labels[labels.length - 1] ?? '';
	return !NUMERIC_LABEL.test(last) && labels.every((label) => !label.startsWith('xn--'));
}

/** Exported for the test that holds the shortcut to the parser's answer. */
export const plainNameShortcut = isPlainName;

function invalidHost(): Error {
	return coreError('INVALID_HOST', 'The URL host cannot be turned into a plain host name.', {
		hint: 'Write the host in plain ASCII, such as github.com.',
	});
}

/** `host[:port]` from an authority whose userinfo is already gone. */
export function splitHostPort(hostPort: string): { host: string; port: string } {
	let host = hostPort;
	let port = '';
	if (hostPort.startsWith('[')) {
		const close = hostPort.indexOf(']');
		if (close === -1) throw coreError('INVALID_URL', 'The IPv6 host has no closing bracket.');
		host = hostPort.slice(0, close + 1);
		const tail = hostPort.slice(close + 1);
		if (tail.startsWith(':')) port = tail.slice(1);
		else if (tail !== '') throw coreError('INVALID_URL', 'Text follows the IPv6 host.');
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
	return { host, port };
}

/** `:port`, or '' when there is none or it is the scheme's default. */
export function portSuffix(scheme: string, port: string): string {
	return port === '' || DEFAULT_PORTS[scheme] === port ? '' : `:${port}`;
}

const UNRESERVED = /^[A-Za-z0-9\-._~]$/;
/** Characters a path may hold as they are (RFC 3986 pchar, less the percent sign). */
const PATH_LITERAL = /^[A-Za-z0-9\-._~!$&'()*+,;=:@]$/;
const HEX_PAIR = /^[0-9A-Fa-f]{2}$/;

/**
 * One path segment with percent-escapes in one spelling: unreserved characters decoded (a
 * server reads `%72epo` as `repo`), every other escape kept with uppercase hex. `%2F` in
 * particular stays encoded: decoding it would move a segment boundary, so `a%2Fb` and `a/b`
 * are different paths to git and curl. Other characters a path cannot hold literally
 * (non-ASCII, `"`, `<`...) are written as UTF-8 escapes, the form a server compares.
 */
function normaliseSegment(segment: string): string {
	let out = '';
	for (let i = 0; i < segment.length; i++) {
		const ch = segment.charAt(i);
		if (ch === '%') {
			const hex = segment.slice(i + 1, i + 3);
			if (!HEX_PAIR.test(hex)) {
				throw coreError('INVALID_URL', 'The URL path has a "%" that starts no escape.', {
					hint: 'Write a literal "%" as %25.',
				});
			}
			const decoded = String.fromCharCode(Number.parseInt(hex, 16));
			out += UNRESERVED.test(decoded) ? decoded : `%${hex.toUpperCase()}`;
			i += 2;
		} else if (PATH_LITERAL.test(ch)) {
			out += ch;
		} else {
			const code = segment.codePointAt(i) as number;
			const text = String.fromCodePoint(code);
			for (const byte of Buffer.from(text, 'utf8')) {
				out += `%${byte.toString(16).toUpperCase().padStart(2, '0')}`;
			}
			i += text.length - 1;
		}
	}
	return out;
}

/** Decodes and re-encodes each segment, drops empty and `.` segments, and applies `..`. */
function normaliseSegments(rawSegments: readonly string[]): string[] {
	const segments: string[] = [];
	for (const segment of rawSegments) {
		// `%2e%2e` is `..` once decoded, and curl or the server resolves it the same way.
		const part = normaliseSegment(segment);
		if (part === '' || part === '.') continue;
		if (part === '..') {
			segments.pop();
			continue;
		}
		segments.push(part);
	}
	return segments;
}

/**
 * Drops one trailing `.git` (`repo.git` is `repo`: forges and git's own servers append it), but
 * only when what is left is not itself `.git`-ended: `repo.git.git` names the repository
 * `repo.git`, never `repo`, so stripping twice would let one blacklist entry speak for another
 * repository. Keeping such a path whole (rather than stripping once) keeps the result
 * idempotent: `repo.git` could not be told from a stripped `repo.git.git` on a second pass.
 * On a host with case-insensitive paths the suffix is found whatever its case.
 */
function withoutGitSuffix(segments: string[], anyCase: boolean): string[] {
	const stripped = strippedOnce(segments, anyCase);
	if (stripped === undefined) return segments;
	return strippedOnce(stripped, anyCase) === undefined ? stripped : segments;
}

/** The path with one `.git` ending taken off, or undefined when it has none. */
function strippedOnce(segments: string[], anyCase: boolean): string[] | undefined {
	const last = segments[segments.length - 1];
	if (last === undefined) return undefined;
	const ending = last.slice(-'.git'.length);
	if ((anyCase ? ending.toLowerCase() : ending) !== '.git') return undefined;
	// Stripping may leave a dot segment (`..git` is `.`), which is then resolved.
	return normaliseSegments([...segments.slice(0, -1), last.slice(0, -'.git'.length)]);
}

/**
 * The path of a remote URL in canonical form: `/a/b`, or '' for the root. `anyCase`: the host
 * compares repository paths without case, so `.GIT` is a `.git` ending too.
 */
export function canonicalPath(rawPath: string, anyCase = false): string {
	const segments = withoutGitSuffix(normaliseSegments(rawPath.split('/')), anyCase);
	return segments.length === 0 ? '' : `/${segments.join('/')}`;
}

/**
 * The path as a host with case-insensitive repository paths sees it: letters lowercased,
 * escapes left as they are (their hex is already uppercase and their case means nothing).
 * The path given was made canonical with `anyCase`, so its `.git` ending is already settled.
 */
export function foldedPath(path: string): string {
	return path.replace(/%[0-9A-F]{2}|[^%]+/g, (part) =>
		part.startsWith('%') ? part : part.toLowerCase(),
	);
}

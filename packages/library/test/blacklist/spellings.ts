/**
 * fast-check generators for the many ways of writing one repository address that git fetches
 * from the same place (D2): scheme and host case, percent-encoded host and path characters,
 * IDNA look-alikes that map to the same ASCII, invisible characters IDNA drops, a trailing
 * dot, default ports, userinfo, dot segments, repeated and trailing slashes, `.git`, path
 * case on hosts whose paths are case-insensitive, and the scp form for ssh.
 */
import fc from 'fast-check';

export interface Repository {
	host: string;
	/** Segments, lowercase ASCII, as the forge names them. */
	path: readonly string[];
}

const DEFAULT_PORT: Readonly<Record<string, string>> = {
	https: '443',
	http: '80',
	ssh: '22',
	git: '9418',
};

const hexCase = fc.boolean();

function percent(ch: string, upper: boolean): string {
	return [...Buffer.from(ch, 'utf8')]
		.map((byte) => {
			const hex = byte.toString(16).padStart(2, '0');
			return `%${upper ? hex.toUpperCase() : hex}`;
		})
		.join('');
}

/** The full-width form (U+FF01..U+FF5E) of a printable ASCII character. */
function fullWidth(ch: string): string {
	return String.fromCodePoint((ch.codePointAt(0) as number) - 0x21 + 0xff01);
}

/**
 * One host character as curl reads it after percent-decoding and IDNA mapping: case, escapes,
 * full-width forms (and the ideographic full stop for a dot), escaped UTF-8 of those.
 */
const hostChar = (ch: string) =>
	fc.constantFrom('plain', 'upper', 'escaped', 'wide', 'wide-escaped').chain((form) =>
		hexCase.map((upper) => {
			switch (form) {
				case 'upper':
					return ch.toUpperCase();
				case 'escaped':
					return percent(ch, upper);
				case 'wide':
					return ch === '.' ? '\u3002' : fullWidth(upper ? ch.toUpperCase() : ch);
				case 'wide-escaped':
					return percent(ch === '.' ? '\uFF0E' : fullWidth(ch), upper);
				default:
					return ch;
			}
		}),
	);

/** Characters IDNA maps to nothing: a soft hyphen, zero-width space and friends. */
const invisible = fc.constantFrom('', '', '', '\u00AD', '\u200B', '\u2060', '\uFEFF', '%C2%AD');

/** A host spelled for curl (https, http): every character in any of its forms. */
function webHost(host: string): fc.Arbitrary<string> {
	return fc
		.tuple(fc.tuple(...[...host].map((ch) => fc.tuple(hostChar(ch), invisible))), fc.boolean())
		.map(([chars, dot]) => chars.map(([c, gap]) => c + gap).join('') + (dot ? '.' : ''));
}

/** A host spelled for ssh, which does no decoding or IDNA: case and a trailing dot only. */
function sshHost(host: string): fc.Arbitrary<string> {
	return fc
		.tuple(fc.array(fc.boolean(), { minLength: host.length, maxLength: host.length }), fc.boolean())
		.map(
			([upper, dot]) =>
				[...host].map((c, i) => (upper[i] ? c.toUpperCase() : c)).join('') + (dot ? '.' : ''),
		);
}

/** A path segment: case (the hosts here fold it), and unreserved characters escaped. */
function segment(text: string): fc.Arbitrary<string> {
	return fc
		.tuple(...[...text].map(() => fc.tuple(fc.constantFrom('plain', 'upper', 'escaped'), hexCase)))
		.map((forms) =>
			forms
				.map(([form, upper], i) => {
					const ch = text.charAt(i);
					if (form === 'upper') return ch.toUpperCase();
					if (form === 'escaped') return percent(ch, upper);
					return ch;
				})
				.join(''),
		);
}

/** Detours that end where they began: `./`, `x/../`, their escaped forms, repeated slashes. */
const detour = fc.constantFrom(
	'',
	'',
	'/',
	'./',
	'%2e/',
	'%2E/',
	'zz/../',
	'zz/%2e%2e/',
	'zz/.%2E/',
);

const gitSuffix = fc.constantFrom('', '', '.git', '.GIT', '.Git', '%2Egit', '.%67it', '%2egit');
const trailing = fc.constantFrom('', '', '/', '//');

function pathText(path: readonly string[]): fc.Arbitrary<string> {
	return fc
		.tuple(fc.tuple(...path.map((s) => fc.tuple(detour, segment(s)))), gitSuffix, trailing)
		.map(([parts, suffix, tail]) => parts.map(([d, s]) => `${d}${s}`).join('/') + suffix + tail);
}

const userinfo = fc.constantFrom('', '', 'git@', 'user:secret@', 'x-token:ghp_abc@', '%41@');

/** Any spelling of `repository` that git fetches from the same place. */
export function spellingOf(repository: Repository): fc.Arbitrary<string> {
	const scheme = fc.constantFrom('https', 'http', 'ssh', 'git');
	const url = fc
		.record({
			scheme,
			schemeUpper: fc.boolean(),
			user: userinfo,
			port: fc.constantFrom('none', 'default', 'padded'),
			slashes: fc.constantFrom('/', '//'),
		})
		.chain(({ scheme: s, schemeUpper, user, port, slashes }) =>
			fc
				// Only curl decodes and maps hosts; ssh and git-daemon take them as written.
				.tuple(
					s === 'https' || s === 'http' ? webHost(repository.host) : sshHost(repository.host),
					pathText(repository.path),
				)
				.map(([host, path]) => {
					const p = DEFAULT_PORT[s] as string;
					const portText = port === 'none' ? '' : `:${port === 'padded' ? `0${p}` : p}`;
					const written = schemeUpper ? s.toUpperCase() : s;
					return `${written}://${user}${host}${portText}${slashes}${path}`;
				}),
		);
	const scp = fc
		.tuple(fc.constantFrom('', 'git@'), sshHost(repository.host), fc.constantFrom('', '/'))
		.chain(([user, host, lead]) =>
			pathText(repository.path).map((path) => `${user}${host}:${lead}${path}`),
		)
		// `host://path` would read as a URL with a scheme, not as the scp form.
		.filter((text) => !text.includes('://'));
	return fc.oneof({ weight: 4, arbitrary: url }, { weight: 1, arbitrary: scp });
}

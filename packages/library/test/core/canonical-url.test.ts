import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
	canonicalUrl,
	locationKey,
	MAX_URL_LENGTH,
	sameUrl,
	sourceKind,
	tryCanonicalUrl,
	urlScheme,
} from '../../src/core/canonical-url.ts';
import { isVouchError } from '../../src/core/errors.ts';

const ctx = { cwd: '/srv/projects', home: '/home/u' };

function throwsCode(fn: () => unknown, code: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code);
}

describe('canonicalUrl: remote URLs (D2)', () => {
	it('collapses the common spellings of one repository', () => {
		const variants = [
			'https://github.com/owner/repo',
			'https://github.com/owner/repo.git',
			'https://github.com/owner/repo/',
			'https://github.com/owner/repo.git/',
			'HTTPS://GitHub.COM/owner/repo',
			'https://github.com:443/owner/repo',
			'https://user:token@github.com/owner/repo.git',
			'https://github.com//owner/./repo',
			'https://github.com/owner/x/../repo',
			'https://github.com./owner/repo',
			'  https://github.com/owner/repo  ',
		];
		for (const url of variants)
			assert.equal(canonicalUrl(url), 'https://github.com/owner/repo', url);
	});

	it('turns scp-like syntax into ssh:// and collapses it with ssh URLs', () => {
		const variants = [
			'git@github.com:owner/repo.git',
			'git@GitHub.com:owner/repo',
			'github.com:owner/repo',
			'ssh://git@github.com/owner/repo',
			'ssh://github.com:22/owner/repo/',
		];
		for (const url of variants) assert.equal(canonicalUrl(url), 'ssh://github.com/owner/repo', url);
	});

	it('keeps the path case, non-default ports and a query', () => {
		assert.equal(canonicalUrl('https://host:8443/Owner/Repo'), 'https://host:8443/Owner/Repo');
		assert.equal(canonicalUrl('http://host:443/r'), 'http://host:443/r');
		assert.equal(canonicalUrl('https://host:0443/r'), 'https://host/r');
		assert.equal(canonicalUrl('https://host/r.git?x=1'), 'https://host/r?x=1');
	});

	it('handles IPv6 hosts', () => {
		assert.equal(canonicalUrl('https://[::1]:443/o/r.git'), 'https://[::1]/o/r');
		assert.equal(canonicalUrl('https://[FE80::1]:8080/o/r'), 'https://[fe80::1]:8080/o/r');
	});

	it('decodes unreserved percent escapes only, and uppercases the others', () => {
		assert.equal(canonicalUrl('https://host/%7Euser/%72epo'), 'https://host/~user/repo');
		assert.equal(canonicalUrl('https://host/a%2fb'), 'https://host/a%2Fb');
		assert.equal(canonicalUrl('https://host/a%20b'), 'https://host/a%20b');
		assert.equal(canonicalUrl('https://host/a/%2E%2E/b'), 'https://host/b');
	});

	it('strips one .git suffix, never a second: repo.git.git is not repo', () => {
		assert.equal(canonicalUrl('https://host/o/repo.git'), 'https://host/o/repo');
		assert.equal(canonicalUrl('https://host/o/repo.git/'), 'https://host/o/repo');
		assert.equal(canonicalUrl('https://host/o/..git'), 'https://host/o');
		// `repo.git.git` is the repository `repo.git`: it must not compare equal to `repo`.
		assert.equal(sameUrl('https://host/o/repo.git.git', 'https://host/o/repo'), false);
		assert.equal(sameUrl('https://host/o/repo.git.git', 'https://host/o/repo.git'), false);
		assert.equal(sameUrl('git@host:o/repo.git.git', 'https://host/o/repo'), false);
		assert.equal(sameUrl('https://github.com/o/Repo.GIT.git', 'https://github.com/o/repo'), false);
		assert.equal(sameUrl('https://github.com/o/Repo.GIT', 'https://github.com/o/repo'), true);
		assert.equal(sameUrl('https://host/o/repo.git.git/', 'https://host/o/repo.git.git'), true);
		// Kept whole rather than stripped once, so that a second pass gives the same answer.
		const once = canonicalUrl('https://host/o/repo.git.git');
		assert.equal(canonicalUrl(once), once);
		const nested = canonicalUrl('https://host/o/x.git/..git');
		assert.equal(canonicalUrl(nested), nested);
		assert.notEqual(nested, 'https://host/o/x');
	});

	it('strips one /.git from a local path, never a second', () => {
		assert.equal(canonicalUrl('/srv/p/.git'), '/srv/p');
		assert.equal(sameUrl('/srv/p/.git/.git', '/srv/p'), false);
		assert.equal(canonicalUrl(canonicalUrl('/srv/p/.git/.git')), canonicalUrl('/srv/p/.git/.git'));
	});

	it('refuses empty, over-long and malformed URLs', () => {
		throwsCode(() => canonicalUrl(''), 'INVALID_URL');
		throwsCode(() => canonicalUrl('   '), 'INVALID_URL');
		throwsCode(() => canonicalUrl(`https://h/${'a'.repeat(MAX_URL_LENGTH)}`), 'INVALID_URL');
		throwsCode(() => canonicalUrl('https:///path'), 'INVALID_URL');
		throwsCode(() => canonicalUrl('https://host:99999/r'), 'INVALID_URL');
		throwsCode(() => canonicalUrl('https://host:port/r'), 'INVALID_URL');
		throwsCode(() => canonicalUrl('1http://host/r'), 'INVALID_URL');
		throwsCode(() => canonicalUrl(42 as unknown as string), 'INVALID_URL');
		assert.equal(tryCanonicalUrl(''), undefined);
	});
});

describe('canonicalUrl: local paths', () => {
	it('resolves relative paths against the injected cwd, and ~ against home', () => {
		assert.equal(canonicalUrl('./plugin', ctx), '/srv/projects/plugin');
		assert.equal(canonicalUrl('../plugin/', ctx), '/srv/plugin');
		assert.equal(canonicalUrl('plugin', ctx), '/srv/projects/plugin');
		assert.equal(canonicalUrl('~', ctx), '/home/u');
		assert.equal(canonicalUrl('~/src/p', ctx), '/home/u/src/p');
		assert.equal(canonicalUrl('/abs//x/./y/', ctx), '/abs/x/y');
	});

	it('turns file:// URLs into absolute paths, decoding escapes', () => {
		assert.equal(canonicalUrl('file:///srv/my%20plugin', ctx), '/srv/my plugin');
		assert.equal(canonicalUrl('FILE:///srv/p', ctx), '/srv/p');
		assert.equal(canonicalUrl('file://localhost/srv/p', ctx), '/srv/p');
	});

	it('classifies sources', () => {
		assert.equal(sourceKind('https://h/r'), 'remote');
		assert.equal(sourceKind('git@h:o/r'), 'remote');
		assert.equal(sourceKind('file:///x'), 'local');
		assert.equal(sourceKind('./x'), 'local');
		assert.equal(sourceKind('dir/with:colon'), 'local');
	});

	it('refuses git remote-helper addresses, which would run a command', () => {
		for (const text of ['ext::sh -c touch% /tmp/pwned', 'fd::3', 'EXT::ssh', 'x+y::z', 'a::b/c']) {
			throwsCode(() => canonicalUrl(text, ctx), 'INVALID_URL');
		}
		// A path that merely contains "::" further on is still a path.
		assert.equal(canonicalUrl('./dir::name', ctx), '/srv/projects/dir::name');
	});
});

describe('urlScheme and locationKey', () => {
	it('reads the scheme and a transport-free key', () => {
		assert.equal(urlScheme('https://h/r'), 'https');
		assert.equal(urlScheme('/srv/p'), 'file');
		assert.equal(locationKey('https://h/o/r'), '//h/o/r');
		assert.equal(locationKey(canonicalUrl('http://h:80/o/r.git')), '//h/o/r');
		assert.equal(locationKey('/srv/p'), '/srv/p');
	});
});

// A label with `--` in its 3rd and 4th places is reserved by IDNA (`xn--` marks punycode, and
// `xn--0` is not valid punycode): such a host is refused, rightly, so none is generated here.
const plainLabel = (text: string) => text.slice(2, 4) !== '--';
const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,8}[a-z0-9])?$/).filter(plainLabel);
// A last label that is all digits makes the host an IPv4 address (WHATWG, curl): `a.0` is
// refused, so generated names end in a letter label.
const topLabel = fc.stringMatching(/^[a-z]([a-z0-9-]{0,8}[a-z0-9])?$/).filter(plainLabel);
const host = fc
	.tuple(fc.array(label, { maxLength: 2 }), topLabel)
	.map(([parts, top]) => [...parts, top])
	.chain((parts) =>
		fc
			.array(fc.boolean(), { minLength: parts.join('.').length, maxLength: parts.join('.').length })
			.map((upper) =>
				[...parts.join('.')].map((ch, i) => (upper[i] ? ch.toUpperCase() : ch)).join(''),
			),
	);
const segment = fc.oneof(
	fc.stringMatching(/^[A-Za-z0-9_~-]{1,10}$/),
	fc.constantFrom(
		'.',
		'..',
		'',
		'x.git',
		'.git',
		'..git',
		'a%2e',
		'%41b',
		'%2F',
		'sp%20ace',
		'a.git.git',
	),
);
const pathText = fc
	.array(segment, { maxLength: 5 })
	.map((parts) => parts.map((p) => `/${p}`).join(''));
const scheme = fc.constantFrom('https', 'http', 'ssh', 'git', 'HTTPS', 'Ssh');
const port = fc.option(fc.constantFrom('22', '80', '443', '9418', '8080', '0022'), {
	nil: undefined,
});
const trailer = fc.constantFrom('', '/', '.git', '.git/', '//');

const remoteUrl = fc
	.tuple(scheme, host, port, pathText, trailer)
	.map(([s, h, p, path, t]) => `${s}://${h}${p === undefined ? '' : `:${p}`}${path}${t}`);
const scpUrl = fc
	.tuple(fc.constantFrom('git@', ''), host, pathText, trailer)
	.map(([user, h, path, t]) => `${user}${h}:${path.slice(1) || 'repo'}${t}`);
const localPath = fc
	.tuple(fc.constantFrom('/', './', '../', '~/', '~', 'file:///', 'rel/'), pathText)
	.map(([start, path]) => `${start}${path.slice(1)}`);

describe('canonicalUrl properties', () => {
	it('is idempotent over remote URLs, scp forms and local paths', () => {
		fc.assert(
			fc.property(fc.oneof(remoteUrl, scpUrl, localPath), (url) => {
				const once = tryCanonicalUrl(url, ctx);
				if (once === undefined) return;
				assert.equal(canonicalUrl(once, ctx), once);
			}),
			{ numRuns: 1000 },
		);
	});

	it('never keeps credentials', () => {
		const credentials = fc
			.tuple(fc.nat({ max: 999 }), fc.option(fc.nat({ max: 999 }), { nil: undefined }))
			.map(([user, pass]) => `zzsecret${user}${pass === undefined ? '' : `:zzsecret${pass}`}@`);
		fc.assert(
			fc.property(scheme, credentials, host, port, pathText, (s, cred, h, p, path) => {
				const url = `${s}://${cred}${h}${p === undefined ? '' : `:${p}`}${path}`;
				const out = tryCanonicalUrl(url);
				if (out === undefined) return;
				assert.equal(out.includes('zzsecret'), false, out);
				assert.equal(out.includes('@'), false, out);
			}),
			{ numRuns: 500 },
		);
	});

	it('collapses .git, trailing /, host case, default port and userinfo to one value', () => {
		const plainPath = fc
			.array(fc.stringMatching(/^[a-z0-9_-]{1,8}$/), { minLength: 1, maxLength: 3 })
			.map((parts) => `/${parts.join('/')}`);
		fc.assert(
			fc.property(host, plainPath, trailer, fc.boolean(), (h, path, t, withPort) => {
				const reference = canonicalUrl(`https://${h.toLowerCase()}${path}`);
				const variant = `HTTPS://git:pw@${h.toUpperCase()}${withPort ? ':443' : ''}${path}${t}`;
				assert.equal(canonicalUrl(variant), reference);
				const scp = canonicalUrl(`git@${h}:${path.slice(1)}${t}`);
				assert.equal(canonicalUrl(`ssh://${h.toLowerCase()}:22${path}`), scp);
			}),
			{ numRuns: 300 },
		);
	});
});

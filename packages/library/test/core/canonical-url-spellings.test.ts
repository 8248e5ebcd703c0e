/**
 * D2 as an attacker reads it: each spelling below is one git and curl fetch from the same
 * place as the plain form, so it must canonicalise to the same value; and each text whose
 * meaning parsers disagree on is refused, never compared as something else.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { domainToASCII } from 'node:url';
import fc from 'fast-check';
import {
	type CanonicalUrlContext,
	canonicalForms,
	canonicalUrl,
	sameUrl,
	tryCanonicalUrl,
	urlPatternTexts,
} from '../../src/core/canonical-url.ts';
import { isVouchError } from '../../src/core/errors.ts';
import { plainNameShortcut } from '../../src/core/url-parts.ts';

function throwsCode(fn: () => unknown, code: string, label?: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code, label);
}

function allEqual(expected: string, variants: readonly string[], context?: CanonicalUrlContext) {
	for (const url of variants) assert.equal(canonicalUrl(url, context), expected, url);
}

describe('canonical hosts (D2)', () => {
	it('decodes a percent-encoded host, as curl does', () => {
		allEqual('https://github.com/badorg/x', [
			'https://%67ithub.com/badorg/x',
			'https://%67%69%74%68%75%62.%63%6f%6d/badorg/x',
			'https://github%2Ecom/badorg/x',
		]);
		assert.equal(canonicalUrl('git@%67ithub.com:badorg/x'), 'ssh://github.com/badorg/x');
	});

	it('folds international look-alikes to the ASCII host they map to', () => {
		allEqual('https://github.com/badorg/x', [
			'https://ｇｉｔｈｕｂ.com/badorg/x', // full-width letters
			'https://ｇithub.ｃｏｍ/badorg/x',
			'https://git\u00ADhub.com/badorg/x', // soft hyphen
			'https://git\u200Bhub.com/badorg/x', // zero-width space
			'https://github\u3002com/badorg/x', // ideographic full stop
			'https://%EF%BD%87ithub.com/badorg/x', // full-width g, percent-encoded UTF-8
		]);
		assert.equal(canonicalUrl('https://bücher.example/o/r'), 'https://xn--bcher-kva.example/o/r');
		assert.equal(
			canonicalUrl('https://xn--bcher-kva.example/o/r'),
			'https://xn--bcher-kva.example/o/r',
		);
	});

	it('drops one trailing dot', () => {
		allEqual('https://github.com/badorg/x', [
			'https://github.com./badorg/x',
			'https://GITHUB.COM.:443/badorg/x',
			'https://github.com%2E/badorg/x',
		]);
		assert.equal(canonicalUrl('git@github.com.:badorg/x'), 'ssh://github.com/badorg/x');
	});

	it('writes IPv4 in dotted decimal whatever the numeric spelling, and IPv6 compressed', () => {
		allEqual('http://127.0.0.1:8080/o/r', [
			'http://0x7f.1:8080/o/r',
			'http://2130706433:8080/o/r',
			'http://0177.0.0.1:8080/o/r',
			'http://127.1:8080/o/r',
			'http://127.0.0.1.:8080/o/r',
		]);
		allEqual('https://[::1]/o/r', ['https://[0:0::1]/o/r', 'https://[0000::0001]:443/o/r']);
	});

	it('reads an IPv4-mapped IPv6 literal as the IPv4 address it reaches', () => {
		allEqual('https://10.0.0.5/o/r', [
			'https://[::ffff:10.0.0.5]/o/r',
			'https://[::FFFF:a00:5]/o/r',
			'https://[0:0:0:0:0:ffff:10.0.0.5]:443/o/r',
		]);
		allEqual('ssh://10.0.0.5/o/r', ['ssh://git@[::ffff:10.0.0.5]/o/r']);
		// Only the mapped prefix: other IPv6 addresses that embed the same bits stay IPv6.
		for (const other of ['https://[::a00:5]/o/r', 'https://[64:ff9b::a00:5]/o/r']) {
			assert.notEqual(canonicalUrl(other), canonicalUrl('https://10.0.0.5/o/r'), other);
		}
	});

	it('refuses hosts that cannot be made canonical', () => {
		for (const url of [
			'https://xn--zz/o/r', // punycode that decodes to nothing
			'https://github.com\u200D/o/r', // a joiner IDNA rejects
			'https://git%2Fhub.com/o/r', // an encoded slash in a host
			'https://%FFgithub.com/o/r', // not UTF-8
			'https://a..b/o/r',
			'https://github.com../o/r',
			'https://1.2.3.4.5/o/r',
			'https://example.0/o/r',
		]) {
			throwsCode(() => canonicalUrl(url), 'INVALID_HOST', url);
			assert.equal(tryCanonicalUrl(url), undefined, url);
		}
	});
});

describe('authority tricks (D2)', () => {
	it('takes the host after the userinfo, which is dropped', () => {
		assert.equal(
			canonicalUrl('https://github.com@evil.example/badorg/x'),
			'https://evil.example/badorg/x',
		);
		assert.equal(
			canonicalUrl('https://u:p%40ss@github.com/badorg/x'),
			'https://github.com/badorg/x',
		);
	});

	it('refuses two "@", where parsers disagree on the host', () => {
		throwsCode(() => canonicalUrl('https://a@github.com@evil.example/x'), 'INVALID_URL');
		throwsCode(() => canonicalUrl('ssh://a@b@github.com/x'), 'INVALID_URL');
	});

	it('refuses tabs, newlines, spaces and backslashes inside a remote URL', () => {
		for (const url of [
			'https://git\thub.com/badorg/x',
			'https://github.com/bad\norg/x',
			'https://github.com/bad\rorg/x',
			'https://github.com/bad org/x',
			'https://github.com\\badorg\\x',
			'https://github.com/badorg\\x',
			'https://github.com/bad\u0000org/x',
		]) {
			throwsCode(() => canonicalUrl(url), 'INVALID_URL', JSON.stringify(url));
		}
	});

	it('refuses bracketed scp-like hosts, which git and this parser read differently', () => {
		throwsCode(() => canonicalUrl('git@[::1]:o/r'), 'INVALID_URL');
		throwsCode(() => canonicalUrl('[github.com:22]:o/r'), 'INVALID_URL');
	});
});

describe('canonical paths (D2)', () => {
	it('applies dot segments, plain or percent-encoded', () => {
		allEqual('https://example.org/badorg/x', [
			'https://example.org/badorg/y/../x',
			'https://example.org/badorg/y/%2e%2e/x',
			'https://example.org/badorg/y/%2E%2E/x',
			'https://example.org/badorg/%2e/x',
			'https://example.org/badorg/y/.%2E/x',
			'https://example.org//badorg///x//',
		]);
	});

	it('strips .git also when it was percent-encoded', () => {
		allEqual('https://example.org/badorg/x', [
			'https://example.org/badorg/x%2Egit',
			'https://example.org/badorg/x.%67it',
			'https://example.org/badorg/x%2egit/',
		]);
	});

	it('never decodes an encoded slash, whatever its case', () => {
		assert.equal(canonicalUrl('https://example.org/a%2fb'), 'https://example.org/a%2Fb');
		assert.equal(canonicalUrl('https://example.org/a%2Fb'), 'https://example.org/a%2Fb');
		assert.notEqual(
			canonicalUrl('https://example.org/a%2Fb'),
			canonicalUrl('https://example.org/a/b'),
		);
	});

	it('spells non-ASCII path characters one way', () => {
		assert.equal(
			canonicalUrl('https://example.org/o/é'),
			canonicalUrl('https://example.org/o/%c3%a9'),
		);
		assert.equal(canonicalUrl('https://example.org/o/é'), 'https://example.org/o/%C3%A9');
	});

	it('refuses a "%" that starts no escape', () => {
		throwsCode(() => canonicalUrl('https://example.org/o/%zz'), 'INVALID_URL');
		throwsCode(() => canonicalUrl('https://example.org/o/r%'), 'INVALID_URL');
	});
});

describe('path case on case-insensitive hosts (D2)', () => {
	it('lowercases the path on the default forges, in every transport', () => {
		allEqual('https://github.com/badorg/plugin', [
			'https://github.com/BadOrg/Plugin',
			'https://GitHub.com/BADORG/PLUGIN.GIT',
			'https://github.com/%42adOrg/Plugin',
		]);
		allEqual('ssh://gitlab.com/badorg/plugin', [
			'git@gitlab.com:BadOrg/Plugin.git',
			'ssh://git@GITLAB.com/BadOrg/Plugin',
		]);
		assert.equal(canonicalUrl('https://codeberg.org/A/B'), 'https://codeberg.org/a/b');
		assert.equal(canonicalUrl('https://bitbucket.org/A/B'), 'https://bitbucket.org/a/b');
	});

	it('keeps path case elsewhere, and escapes keep their uppercase hex', () => {
		assert.equal(
			canonicalUrl('https://example.org/BadOrg/Plugin'),
			'https://example.org/BadOrg/Plugin',
		);
		assert.equal(canonicalUrl('https://github.com/A%2FB'), 'https://github.com/a%2Fb');
	});

	it('adds the hosts the caller lists to the forges, which always fold', () => {
		const context = { caseInsensitivePathHosts: ['Git.Example.ORG.'] };
		assert.equal(
			canonicalUrl('https://git.example.org/A/B', context),
			'https://git.example.org/a/b',
		);
		assert.equal(canonicalUrl('https://github.com/A/B', context), 'https://github.com/a/b');
		assert.equal(
			canonicalUrl('https://github.com/A/B', { caseInsensitivePathHosts: [] }),
			'https://github.com/a/b',
		);
		assert.equal(canonicalUrl('https://example.org/A/B', context), 'https://example.org/A/B');
	});

	it('gives both forms, and url_regex texts with the raw URL', () => {
		const raw = 'https://%67ithub.com/BadOrg/Plugin.git';
		assert.deepEqual(canonicalForms(raw), {
			caseKept: 'https://github.com/BadOrg/Plugin',
			canonical: 'https://github.com/badorg/plugin',
		});
		assert.deepEqual(urlPatternTexts(raw), [
			'https://github.com/badorg/plugin',
			'https://github.com/BadOrg/Plugin',
			raw,
		]);
		assert.deepEqual(urlPatternTexts('https://xn--zz/x'), ['https://xn--zz/x']);
		assert.deepEqual(urlPatternTexts('git@github.com:BadOrg/Plugin.git'), [
			'ssh://github.com/badorg/plugin',
			'ssh://github.com/BadOrg/Plugin',
			'https://github.com/badorg/plugin',
			'https://github.com/BadOrg/Plugin',
			'git@github.com:BadOrg/Plugin.git',
		]);
	});

	it('compares stored forms of older releases by canonicalising them again', () => {
		assert.equal(sameUrl('https://github.com/BadOrg/X', 'https://GitHub.com/badorg/x.git'), true);
		assert.equal(sameUrl('https://github.com/badorg/x', 'https://github.com/badorg/y'), false);
		assert.equal(sameUrl('https://xn--zz/x', 'https://xn--zz/x'), false);
	});
});

describe('the plain-name shortcut in canonical hosts', () => {
	it('answers what the WHATWG host parser answers', () => {
		const name = fc.stringMatching(/^[a-zA-Z0-9-]{1,6}(\.[a-zA-Z0-9x-]{1,6}){0,3}\.?$/);
		fc.assert(
			fc.property(name, (host) => {
				if (!plainNameShortcut(host.toLowerCase())) return;
				assert.equal(host.toLowerCase(), domainToASCII(host), host);
			}),
			{ numRuns: 3000 },
		);
		for (const host of ['a.0x1f', 'a.123', 'xn--zz.com', 'a.xn--zz']) {
			assert.equal(plainNameShortcut(host), false, host);
		}
	});
});

describe('spellings a second review found (D2)', () => {
	it('reads git+ssh:// and ssh+git:// as the ssh:// they are to git, default port included', () => {
		// git runs `ssh -p 22 git@github.com git-upload-pack '/badorg/plugin'` for each of these.
		allEqual('ssh://github.com/badorg/plugin', [
			'git+ssh://git@github.com:22/badorg/plugin',
			'ssh+git://github.com:22/badorg/plugin.git',
			'GIT+SSH://github.com/BadOrg/Plugin',
			'ssh+git://git@github.com:0022/badorg/plugin/',
		]);
		assert.notEqual(
			canonicalUrl('git+ssh://github.com:2222/badorg/plugin'),
			'ssh://github.com/badorg/plugin',
		);
	});

	it('reads the forges’ documented ssh-over-443 hosts as the forge itself', () => {
		allEqual('ssh://github.com/badorg/plugin', [
			'ssh://git@ssh.github.com:443/badorg/plugin.git',
			'ssh://git@SSH.GitHub.com:443/BadOrg/Plugin',
			'ssh://ssh.github.com/badorg/plugin',
			'git@ssh.github.com:badorg/plugin.git',
		]);
		assert.equal(
			canonicalUrl('ssh://git@altssh.gitlab.com:443/badorg/plugin.git'),
			'ssh://gitlab.com/badorg/plugin',
		);
		assert.equal(
			canonicalUrl('ssh://git@altssh.bitbucket.org:443/badorg/plugin.git'),
			'ssh://bitbucket.org/badorg/plugin',
		);
		// Only for ssh, and only on the ports the forge serves: elsewhere it is another address.
		assert.equal(
			canonicalUrl('https://ssh.github.com/badorg/plugin'),
			'https://ssh.github.com/badorg/plugin',
		);
		assert.equal(
			canonicalUrl('ssh://ssh.github.com:2222/badorg/plugin'),
			'ssh://ssh.github.com:2222/badorg/plugin',
		);
	});

	it('decodes an encoded slash in ssh:// and git:// paths, which git itself decodes', () => {
		// git url-decodes a scheme:// address before it splits it: ssh is asked for '/badorg/plugin'.
		allEqual('ssh://github.com/badorg/plugin', [
			'ssh://github.com/badorg%2Fplugin',
			'ssh://git@github.com/badorg%2fplugin.git',
			'git+ssh://github.com/x%2F..%2Fbadorg/plugin',
		]);
		assert.equal(canonicalUrl('git://example.org/a%2Fb'), 'git://example.org/a/b');
		// curl sends an https path as written; the server decides (see blacklistLocations).
		assert.equal(canonicalUrl('https://example.org/a%2Fb'), 'https://example.org/a%2Fb');
		const forms = canonicalForms('https://github.com/BadOrg%2FPlugin');
		assert.deepEqual(forms.slashesDecoded, {
			caseKept: 'https://github.com/BadOrg/Plugin',
			canonical: 'https://github.com/badorg/plugin',
		});
		assert.equal(canonicalForms('https://github.com/badorg/plugin').slashesDecoded, undefined);
	});

	it('ignores the host of a file:// URL, as git does', () => {
		// `git ls-remote file://anything/srv/p` opens /srv/p.
		const ctx = { cwd: '/srv/projects', home: '/home/u' };
		for (const url of [
			'file://anyhost/srv/p',
			'file://127.0.0.1/srv/p',
			'file://LOCALHOST/srv/p',
		]) {
			assert.equal(canonicalUrl(url, ctx), '/srv/p', url);
		}
		assert.equal(canonicalUrl('file:///srv/p', ctx), '/srv/p');
		// `git ls-remote file://host` says "no path specified".
		throwsCode(() => canonicalUrl('file://host', ctx), 'INVALID_URL');
	});

	it('reads a local repository’s .git directory as the repository', () => {
		const ctx = { cwd: '/srv/projects', home: '/home/u' };
		for (const url of ['/srv/p/.git', '/srv/p/.git/', 'file:///srv/p/.git', './p/../../p/.git']) {
			assert.equal(canonicalUrl(url, ctx), '/srv/p', url);
		}
		// A directory merely named like one is kept.
		assert.equal(canonicalUrl('/srv/p.git', ctx), '/srv/p.git');
		assert.equal(canonicalUrl('/srv/.git', ctx), '/srv');
	});
});

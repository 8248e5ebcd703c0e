import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import {
	assertCommitId,
	assertDepth,
	assertRevision,
	resolvePath,
	resolveUrlForGit,
} from '../../src/git/arguments.ts';
import {
	assertRefName,
	assertUrlAllowed,
	isFullCommitId,
	refNameProblem,
	urlProtocol,
} from '../../src/git/index.ts';

function throwsCode(fn: () => unknown, code: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code);
}

describe('urlProtocol', () => {
	const cases: [string, string][] = [
		['https://example.com/o/r.git', 'https'],
		['HTTPS://example.com/o/r', 'https'],
		['ssh://git@example.com/o/r', 'ssh'],
		['git+ssh://example.com/o/r', 'ssh'],
		['ssh+git://example.com/o/r', 'ssh'],
		['git@example.com:o/r.git', 'ssh'],
		['example.com:o/r', 'ssh'],
		['file:///srv/r', 'file'],
		['/srv/plugins/r', 'file'],
		['./r', 'file'],
		['../a:b', 'file'],
		['C:\\plugins\\r', 'file'],
		['http://127.0.0.1/r', 'http'],
		['git://example.com/r', 'git'],
		['ftp://example.com/r', 'other'],
		['ext::sh -c x', 'remote-helper'],
	];
	for (const [url, protocol] of cases) {
		it(`${url} → ${protocol}`, () => assert.equal(urlProtocol(url), protocol));
	}
});

describe('assertUrlAllowed', () => {
	it('allows https, ssh, scp-like, file and local paths', () => {
		for (const url of [
			'https://example.com/o/r',
			'ssh://example.com/o/r',
			'git@example.com:o/r.git',
			'file:///srv/r',
			'/srv/r',
			'./relative dir/r',
		]) {
			assert.equal(assertUrlAllowed(url, false), url);
		}
	});

	it('allows http and git only with allowInsecureTransport (D11)', () => {
		for (const url of ['http://example.com:8080/r', 'git://example.com/r']) {
			throwsCode(() => assertUrlAllowed(url, false), 'GIT_TRANSPORT_REFUSED');
			assert.equal(assertUrlAllowed(url, true), url);
		}
	});

	it('allows plain http to loopback without the flag: git then may not leave it (D27)', () => {
		assert.equal(assertUrlAllowed('http://127.0.0.1:8080/r', false), 'http://127.0.0.1:8080/r');
		throwsCode(() => assertUrlAllowed('http://127.0.0.1.nip.io/r', false), 'GIT_TRANSPORT_REFUSED');
	});

	it('refuses remote helpers and other transports always', () => {
		for (const url of [
			'ext::sh -c touch% pwned',
			'fd::17',
			'EXT::sh',
			'foo::bar',
			'ftp://example.com/r',
			'ftps://example.com/r',
			'javascript://x',
		]) {
			throwsCode(() => assertUrlAllowed(url, true), 'GIT_TRANSPORT_REFUSED');
		}
	});

	it('refuses a URL git would read as an option', () => {
		throwsCode(() => assertUrlAllowed('--upload-pack=touch x', true), 'GIT_TRANSPORT_REFUSED');
		throwsCode(() => assertUrlAllowed('-oProxyCommand=x', true), 'GIT_TRANSPORT_REFUSED');
	});

	it('refuses control characters, empty and overlong URLs', () => {
		for (const url of [
			'https://example.com/r\n',
			'https://example.com/\0r',
			'https://example.com/\u001b[2Jr',
			'https://example.com/\u0085r',
			'',
			`https://example.com/${'a'.repeat(5000)}`,
		]) {
			throwsCode(() => assertUrlAllowed(url, true), 'GIT_TRANSPORT_REFUSED');
		}
		throwsCode(() => assertUrlAllowed(undefined, true), 'GIT_TRANSPORT_REFUSED');
	});

	it('does not echo credentials from a refused URL', () => {
		assert.throws(
			() => assertUrlAllowed('http://alice:s3cret@example.com/r', false),
			(error: unknown) => isVouchError(error) && !error.message.includes('s3cret'),
		);
	});
});

describe('assertRefName', () => {
	it('accepts ordinary branch and tag names', () => {
		for (const name of [
			'main',
			'v1.2.3',
			'release/2.0',
			'feature/a-b_c',
			'v1.0+build',
			'2024.01',
		]) {
			assert.equal(assertRefName(name), name);
		}
	});

	it("refuses what git's ref rules refuse, leading dashes first of all", () => {
		for (const name of [
			'',
			'-b',
			'--upload-pack=x',
			'a b',
			'a..b',
			'a~1',
			'a^',
			'a:b',
			'a?',
			'a*',
			'a[',
			'a\\b',
			'a@{1}',
			'@',
			'a/',
			'/a',
			'a.',
			'a//b',
			'.hidden',
			'a/.b',
			'x.lock',
			'a\tb',
			'a\u007fb',
			'x'.repeat(256),
		]) {
			assert.notEqual(refNameProblem(name), undefined, JSON.stringify(name));
			throwsCode(() => assertRefName(name), 'GIT_INVALID_ARGUMENT');
		}
		throwsCode(() => assertRefName(42), 'GIT_INVALID_ARGUMENT');
	});
});

describe('commit ids, revisions, depth and paths', () => {
	it('accepts 7 to 64 hex digits, lowercased', () => {
		assert.equal(assertCommitId('ABCDEF1'), 'abcdef1');
		assert.equal(assertCommitId('a'.repeat(64)), 'a'.repeat(64));
		for (const id of ['abc123', 'g234567', '-abcdef1', 'a'.repeat(65), '', 'HEAD']) {
			throwsCode(() => assertCommitId(id), 'GIT_INVALID_ARGUMENT');
		}
	});

	it('knows which ids a server can be asked for', () => {
		assert.equal(isFullCommitId('a'.repeat(40)), true);
		assert.equal(isFullCommitId('a'.repeat(64)), true);
		assert.equal(isFullCommitId('a'.repeat(41)), false);
		assert.equal(isFullCommitId('abcdef1'), false);
	});

	it('accepts revision syntax but not options or controls', () => {
		assert.equal(assertRevision('v1.0^{commit}'), 'v1.0^{commit}');
		assert.equal(assertRevision('HEAD~2'), 'HEAD~2');
		for (const rev of ['', '--all', '-n', 'a\nb', 'x'.repeat(1025)]) {
			throwsCode(() => assertRevision(rev), 'GIT_INVALID_ARGUMENT');
		}
	});

	it('accepts whole depths from 0', () => {
		assert.equal(assertDepth(0), 0);
		assert.equal(assertDepth(1), 1);
		for (const depth of [-1, 1.5, Number.NaN, Number.POSITIVE_INFINITY, '1', 2_000_000]) {
			throwsCode(() => assertDepth(depth), 'GIT_INVALID_ARGUMENT');
		}
	});

	it('resolves paths against the given directory and refuses NUL', () => {
		assert.equal(resolvePath('b/c', '/a'), '/a/b/c');
		assert.equal(resolvePath('/x/../y', '/a'), '/y');
		throwsCode(() => resolvePath('a\0b', '/a'), 'GIT_INVALID_ARGUMENT');
		throwsCode(() => resolvePath('', '/a'), 'GIT_INVALID_ARGUMENT');
	});

	it('makes local addresses absolute for git, leaving remote ones alone', () => {
		assert.equal(resolveUrlForGit('./plugin', '/base', '/home/u'), '/base/plugin');
		assert.equal(resolveUrlForGit('~/plugin', '/base', '/home/u'), '/home/u/plugin');
		assert.equal(resolveUrlForGit('/srv/p', '/base', '/home/u'), '/srv/p');
		assert.equal(resolveUrlForGit('file:///srv/p', '/base', '/home/u'), 'file:///srv/p');
		assert.equal(resolveUrlForGit('git@h:o/r', '/base', '/home/u'), 'git@h:o/r');
		assert.equal(resolveUrlForGit('https://h/o/r', '/base', '/home/u'), 'https://h/o/r');
	});
});

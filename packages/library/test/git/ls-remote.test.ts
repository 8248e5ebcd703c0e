import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { parseLsRemote } from '../../src/git/index.ts';

// `git ls-remote --symref` against a repository with branches main and dev, a lightweight tag
// v1 and an annotated tag v2 (git 2.39).
const REAL_OUTPUT = [
	'ref: refs/heads/main\tHEAD',
	'33559c9a8072dca7d61418779cd15481849accb3\tHEAD',
	'33559c9a8072dca7d61418779cd15481849accb3\trefs/heads/dev',
	'965765e53724b31a7be4e0616dfeae336afb2e56\trefs/heads/main',
	'33559c9a8072dca7d61418779cd15481849accb3\trefs/pull/1/head',
	'33559c9a8072dca7d61418779cd15481849accb3\trefs/tags/v1',
	'fcd6f8a6a57a9d432aee12eec1c826657fdf8313\trefs/tags/v2',
	'33559c9a8072dca7d61418779cd15481849accb3\trefs/tags/v2^{}',
	'',
].join('\n');

const A = 'a'.repeat(40);
const B = 'b'.repeat(40);
const C = 'c'.repeat(40);

describe('parseLsRemote', () => {
	it('reads HEAD, branches and tags, peeling annotated tags to their commit', () => {
		const refs = parseLsRemote(REAL_OUTPUT);
		assert.deepEqual(refs.head, {
			target: 'refs/heads/main',
			commit: '33559c9a8072dca7d61418779cd15481849accb3',
		});
		assert.deepEqual(
			[...refs.branches],
			[
				['dev', '33559c9a8072dca7d61418779cd15481849accb3'],
				['main', '965765e53724b31a7be4e0616dfeae336afb2e56'],
			],
		);
		// v1 is lightweight (its own id is the commit); v2's tag object is replaced by its commit.
		assert.deepEqual(
			[...refs.tags],
			[
				['v1', '33559c9a8072dca7d61418779cd15481849accb3'],
				['v2', '33559c9a8072dca7d61418779cd15481849accb3'],
			],
		);
	});

	it('keeps the tag object id when no peeled line follows', () => {
		const refs = parseLsRemote(`${A}\trefs/tags/v3\n`);
		assert.equal(refs.tags.get('v3'), A);
	});

	it('peels whatever the order of the lines', () => {
		const refs = parseLsRemote(`${B}\trefs/tags/v1^{}\n${A}\trefs/tags/v1\n`);
		assert.equal(refs.tags.get('v1'), B);
	});

	it('ignores a peeled line without its tag line', () => {
		assert.equal(parseLsRemote(`${B}\trefs/tags/v1^{}\n`).tags.size, 0);
	});

	it('keeps nested branch and tag names whole', () => {
		const refs = parseLsRemote(`${A}\trefs/heads/feature/x\n${B}\trefs/tags/release/1.0\n`);
		assert.equal(refs.branches.get('feature/x'), A);
		assert.equal(refs.tags.get('release/1.0'), B);
	});

	it('has a HEAD without target when the server does not report the symref', () => {
		assert.deepEqual(parseLsRemote(`${A}\tHEAD\n${A}\trefs/heads/main\n`).head, { commit: A });
	});

	it('has no HEAD for an empty repository or empty output', () => {
		assert.equal(parseLsRemote('').head, undefined);
		assert.equal(parseLsRemote('ref: refs/heads/main\tHEAD\n').head, undefined);
		assert.equal(parseLsRemote('').branches.size, 0);
	});

	it('accepts CRLF line ends, SHA-256 ids and uppercase hex', () => {
		const long = 'd'.repeat(64);
		const refs = parseLsRemote(`${long}\trefs/heads/main\r\n${C.toUpperCase()}\trefs/tags/v1\r\n`);
		assert.equal(refs.branches.get('main'), long);
		assert.equal(refs.tags.get('v1'), C);
	});

	it('drops refs other than branches and tags', () => {
		const refs = parseLsRemote(
			`${A}\trefs/pull/1/head\n${A}\trefs/remotes/origin/HEAD\n${A}\trefs/notes/commits\n`,
		);
		assert.equal(refs.branches.size + refs.tags.size, 0);
	});

	it('drops lines that are not ref lines', () => {
		const refs = parseLsRemote(
			`warning: redirecting\nnot-an-id\trefs/heads/x\n${A.slice(1)}\trefs/heads/y\n${A} refs/heads/z\n`,
		);
		assert.equal(refs.branches.size, 0);
	});

	it('drops names git would refuse, so no option-like or control text gets through', () => {
		const refs = parseLsRemote(
			[
				`${A}\trefs/heads/-upload-pack=evil`,
				`${A}\trefs/heads/bad\u001b[31mred`,
				`${A}\trefs/tags/a..b`,
				`${A}\trefs/tags/x.lock`,
				`${A}\trefs/heads/ok`,
				'ref: refs/heads/\u0007bell\tHEAD',
				`${A}\tHEAD`,
			].join('\n'),
		);
		assert.deepEqual([...refs.branches.keys()], ['ok']);
		assert.equal(refs.tags.size, 0);
		assert.deepEqual(refs.head, { commit: A });
	});

	it('refuses a listing with more lines than the bound', () => {
		const text = Array.from({ length: 11 }, (_, i) => `${A}\trefs/heads/b${i}`).join('\n');
		assert.equal(parseLsRemote(text, 11).branches.size, 11);
		assert.throws(
			() => parseLsRemote(text, 10),
			(error: unknown) => isVouchError(error) && error.code === 'GIT_OUTPUT_TOO_LARGE',
		);
	});
});

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { compilePythonPattern, MAX_PATTERN_LENGTH, patternError } from '../../src/core/pyregex.ts';

function throwsCode(fn: () => unknown, code: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code);
}

describe('compilePythonPattern (D3)', () => {
	it('search matches anywhere, matchStart only at the start', () => {
		const pattern = compilePythonPattern('v\\d+');
		assert.ok(pattern.search('xv1'));
		assert.equal(pattern.matchStart('xv1'), false);
		assert.ok(pattern.matchStart('v1x'));
		assert.equal(pattern.search('nothing'), false);
	});

	it('gives the same answer on repeated calls (no lastIndex carry-over)', () => {
		const pattern = compilePythonPattern('a');
		for (let i = 0; i < 3; i++) {
			assert.ok(pattern.search('xa'));
			assert.ok(pattern.matchStart('ab'));
		}
	});

	it('supports url_regex style anchors (spec item 18)', () => {
		const pattern = compilePythonPattern('/malicious-repo\\.git$');
		assert.ok(pattern.search('https://github.com/x/malicious-repo.git'));
		assert.ok(pattern.search('ssh://other.host/y/malicious-repo.git'));
		assert.equal(pattern.search('https://github.com/x/not-malicious-repo.git'), false);
		assert.equal(pattern.search('https://github.com/x/malicious-repo.git/extra'), false);
	});

	it('understands Python syntax: (?P<name>...), (?i) and \\Z', () => {
		assert.ok(compilePythonPattern('(?P<major>\\d+)\\.(?P<minor>\\d+)').matchStart('3.1'));
		assert.ok(compilePythonPattern('(?i)EVIL').search('https://host/evil'));
		const end = compilePythonPattern('repo\\Z');
		assert.ok(end.search('https://host/repo'));
		assert.equal(end.search('https://host/repo\n'), false);
		assert.equal(end.search('https://host/repoZ'), false);
		assert.ok(compilePythonPattern('a\\\\Z').search('a\\Z'));
	});

	it('rejects backreferences and lookaround with INVALID_REGEX', () => {
		for (const source of ['(a)\\1', '(?P<x>a)(?P=x)', '(?=a)a', '(?<!a)b', '[z-a]', '(']) {
			throwsCode(() => compilePythonPattern(source), 'INVALID_REGEX');
			assert.equal(typeof patternError(source), 'string');
		}
		assert.equal(patternError('ok'), undefined);
	});

	it('refuses empty and over-long patterns before compiling', () => {
		throwsCode(() => compilePythonPattern(''), 'INVALID_REGEX');
		throwsCode(() => compilePythonPattern('a'.repeat(MAX_PATTERN_LENGTH + 1)), 'INVALID_REGEX');
		assert.ok(
			compilePythonPattern('a'.repeat(MAX_PATTERN_LENGTH)).search('a'.repeat(MAX_PATTERN_LENGTH)),
		);
	});

	it('runs a catastrophic-backtracking pattern on a long input to completion', () => {
		const pattern = compilePythonPattern('(a+)+$');
		const input = `${'a'.repeat(50_000)}!`;
		assert.equal(pattern.search(input), false);
		assert.equal(pattern.matchStart(input), false);
		assert.ok(pattern.search('a'.repeat(50_000)));
	});
});

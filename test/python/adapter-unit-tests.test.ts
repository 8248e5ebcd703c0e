/**
 * The Python adapter's own unit tests (python/tests), run by `npm test` so that they cannot be
 * forgotten. python3 is required: without it this test fails, it does not skip.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeRun, runPython } from './python.ts';

describe('the Python adapter', () => {
	it('python3 is 3.9 or later', async () => {
		const run = await runPython(['-c', 'import sys; print(sys.version_info >= (3, 9))']);
		assert.equal(run.spawnError, undefined, 'python3 is required to test the Python adapter');
		assert.equal(run.stdout.trim(), 'True', describeRun(run));
	});

	it('passes its unit tests, the shared vectors included', async () => {
		const run = await runPython(['-m', 'unittest', 'discover', '-v']);
		assert.equal(run.code, 0, describeRun(run));
		// unittest reports on stderr; make sure it found the tests rather than nothing.
		const ran = /Ran (\d+) tests?/.exec(run.stderr);
		assert.ok(ran !== null && Number(ran[1]) >= 30, describeRun(run));
		assert.match(run.stderr, /test_committed_vectors/);
	});
});

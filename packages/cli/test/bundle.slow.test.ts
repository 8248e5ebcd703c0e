/**
 * The bundle the `vouch` bin loads (scripts/bundle.mjs). Its modules are no longer where the
 * library's sources say they are, so what the library finds relative to itself is checked here:
 * the scanner's worker entry, and the grammars that entry loads.
 */
import assert from 'node:assert/strict';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Worker } from 'node:worker_threads';
import { REPO_ROOT } from './helpers/built-cli.ts';

const BUNDLE = join(REPO_ROOT, 'packages/cli/dist/bundle');

describe('the bundled CLI', () => {
	it('keeps the worker entry beside every module that starts it', () => {
		const entries = readdirSync(BUNDLE, { withFileTypes: true });
		assert.deepEqual(
			entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name),
			[],
			'every chunk is in the one directory',
		);
		const files = entries.map((entry) => entry.name);
		assert.ok(files.includes('scan-worker.js'), 'scan-worker.js is in the bundle');
		// The pool resolves `./scan-worker.js` against the module it was bundled into.
		const starters = files.filter(
			(name) =>
				name.endsWith('.js') &&
				readFileSync(join(BUNDLE, name), 'utf8').includes('`./scan-worker$'),
		);
		assert.ok(starters.length > 0, 'some bundled module starts the worker');
	});

	it('runs the bundled worker: it loads the grammars and scans a file', async () => {
		const worker = new Worker(join(BUNDLE, 'scan-worker.js'));
		try {
			const replies: unknown[] = [];
			const answered = new Promise<void>((resolve, reject) => {
				worker.on('error', reject);
				worker.on('message', (reply: { kind: string }) => {
					replies.push(reply);
					if (reply.kind === 'ready') {
						worker.postMessage({
							kind: 'scan',
							id: 7,
							request: {
								path: 'plugin.py',
								language: 'python',
								text: 'import subprocess\nsubprocess.run(["ls"])\n',
								timeoutMs: 60_000,
								maxNestingDepth: 200,
							},
						});
					} else resolve();
				});
			});
			await answered;
			const [ready, result] = replies as [
				{ kind: string },
				{ kind: string; id: number; result: { status: string; findings: { ruleId: string }[] } },
			];
			assert.equal(ready.kind, 'ready');
			assert.equal(result.kind, 'result', JSON.stringify(result));
			assert.equal(result.id, 7);
			assert.equal(result.result.status, 'scanned');
			assert.ok(result.result.findings.length > 0, 'the subprocess call is found');
		} finally {
			await worker.terminate();
		}
	});
});

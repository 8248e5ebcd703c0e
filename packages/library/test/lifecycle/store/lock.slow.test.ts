/**
 * The store lock between real `node` processes: concurrent writers lose no update and readers
 * never see a torn file; a live holder makes others wait and give up with STATE_LOCKED; a
 * holder killed with SIGKILL is taken over; and processes racing to take over one stale lock
 * never hold it together.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore, type StoreState } from '../../../src/lifecycle/store/index.ts';
import {
	DEAD_PID,
	pluginRecord,
	rejectsWithCode,
	runWorker,
	startWorker,
	storeWorld,
	waitForFile,
} from './helpers.ts';

describe('the store lock between processes', () => {
	it('loses no update when two processes write at once, and readers see whole files', async () => {
		const world = storeWorld();
		// A larger file makes a torn write easier to catch.
		await world.store.transaction(async (state) => {
			for (let i = 0; i < 200; i++) state.plugins[`seed-${i}`] = pluginRecord(`seed-${i}`);
		});
		const count = 25;
		const writers = ['left', 'right'].map((prefix) =>
			runWorker({ kind: 'add-plugins', dataDir: world.dataDir, prefix, count }),
		);
		let done = false;
		const finished = Promise.all(writers).finally(() => {
			done = true;
		});
		let reads = 0;
		const reader = openStore({ dataDir: world.dataDir });
		let last: StoreState | undefined;
		while (!done) {
			// Lock-free reads: each must parse as a complete state, old or new.
			last = await reader.read();
			assert.ok(Object.keys(last.plugins).length >= 200);
			reads++;
			await new Promise((resolve) => setImmediate(resolve));
		}
		for (const exit of await finished) assert.equal(exit.code, 0, exit.stderr);
		assert.ok(reads > 0);
		const state = await world.store.read();
		const expected = ['left', 'right'].flatMap((prefix) =>
			Array.from({ length: count }, (_, i) => `${prefix}-${i}`),
		);
		const added = Object.keys(state.plugins).filter((uuid) => !uuid.startsWith('seed-'));
		assert.deepEqual(added.sort(), [...expected].sort());
		assert.deepEqual([...state.enabled].sort(), [...expected].sort());
		assert.equal(existsSync(join(world.dataDir, 'lock')), false);
	});

	it('makes others give up with STATE_LOCKED while a live process holds it, and takes it over once that process is SIGKILLed', async (t) => {
		const world = storeWorld({ lockTimeoutMs: 300 });
		await world.store.transaction(async (state) => {
			state.plugins.before = pluginRecord('before');
		});
		const stateBytes = readFileSync(world.statePath);
		const readyFile = join(world.root, 'holding');
		const holder = startWorker({ kind: 'hold', dataDir: world.dataDir, readyFile });
		t.after(() => holder.kill('SIGKILL'));
		await waitForFile(readyFile, holder);
		const lock = JSON.parse(readFileSync(join(world.dataDir, 'lock'), 'utf8')) as { pid: number };
		assert.equal(lock.pid, holder.pid);

		let workRan = false;
		await rejectsWithCode(
			world.store.transaction(async () => {
				workRan = true;
			}),
			'STATE_LOCKED',
		);
		assert.equal(workRan, false);
		assert.deepEqual(readFileSync(world.statePath), stateBytes);

		holder.kill('SIGKILL');
		assert.equal((await holder.exit).signal, 'SIGKILL');
		// The dead holder's lock is still there; nobody released it.
		assert.ok(existsSync(join(world.dataDir, 'lock')));
		const patient = openStore({ dataDir: world.dataDir, lockTimeoutMs: 60_000 });
		await patient.transaction(async (state) => {
			state.plugins.after = pluginRecord('after');
		});
		assert.deepEqual(Object.keys((await patient.read()).plugins).sort(), ['after', 'before']);
		assert.equal(existsSync(join(world.dataDir, 'lock')), false);
	});

	it('lets exactly one of several processes racing for a stale lock hold it at a time', async (t) => {
		const world = storeWorld();
		const workers = 4;
		const turns = 3;
		// Each round is one race; several, because a broken takeover loses only some of them.
		// The same workers run every round (starting a process is the slow part); each waits,
		// idle and holding nothing, until the test has planted that round's stale lock.
		const rounds = Array.from({ length: 5 }, (_, round) => ({
			log: join(world.root, `log-${round}`),
			goFile: join(world.root, `go-${round}`),
			ready: (worker: number) => join(world.root, `ready-${round}-${worker}`),
		}));
		for (const round of rounds) writeFileSync(round.log, '');
		const started = Array.from({ length: workers }, (_, i) => {
			const worker = startWorker({
				kind: 'log-turns',
				dataDir: world.dataDir,
				turns,
				rounds: rounds.map(({ log, goFile, ready }) => ({ log, goFile, readyFile: ready(i) })),
			});
			t.after(() => worker.kill('SIGKILL'));
			return worker;
		});
		for (const [index, round] of rounds.entries()) {
			// Every worker is done with the round before (or has not raced yet).
			for (const [i, worker] of started.entries()) await waitForFile(round.ready(i), worker);
			assert.equal(existsSync(join(world.dataDir, 'lock')), false);
			// A lock left by a dead holder, which every worker finds on its first try.
			mkdirSync(world.dataDir, { recursive: true });
			writeFileSync(
				join(world.dataDir, 'lock'),
				JSON.stringify({
					pid: DEAD_PID,
					host: hostname(),
					token: `stale-${index}`,
					startedAt: new Date().toISOString(),
				}),
			);
			// All start together, so they race for the stale lock.
			writeFileSync(round.goFile, '');
		}
		for (const worker of started) {
			const exit = await worker.exit;
			assert.equal(exit.code, 0, exit.stderr);
		}
		for (const round of rounds) {
			const lines = readFileSync(round.log, 'utf8').trim().split('\n');
			assert.equal(lines.length, 2 * workers * turns);
			let holder: string | undefined;
			for (const [index, line] of lines.entries()) {
				const [event, pid] = line.split(' ');
				if (event === 'enter') {
					assert.equal(holder, undefined, `two holders at line ${index}: ${lines.join(' | ')}`);
					holder = pid;
				} else {
					assert.equal(pid, holder, `leave by a non-holder at line ${index}`);
					holder = undefined;
				}
			}
			const pids = new Set(lines.map((line) => line.split(' ')[1]));
			assert.equal(pids.size, workers);
		}
		assert.equal(existsSync(join(world.dataDir, 'lock')), false);
	});
});

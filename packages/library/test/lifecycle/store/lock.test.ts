/**
 * The store lock as seen from one process, with lock files laid down by hand: which holders
 * are waited for (STATE_LOCKED after `lockTimeoutMs`) and which are stale and taken over.
 * Real competing processes are in `lock.slow.test.ts`.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { openStore } from '../../../src/lifecycle/store/index.ts';
import {
	DEAD_PID,
	FIXED_NOW,
	pluginRecord,
	rejectsWithCode,
	type StoreWorld,
	storeWorld,
} from './helpers.ts';

const A = '11111111-1111-4111-8111-111111111111';

/** A lock file as a holder writes it. */
function forgeLock(world: StoreWorld, holder: { pid: number; host?: string }): string {
	mkdirSync(world.dataDir, { recursive: true });
	const path = join(world.dataDir, 'lock');
	writeFileSync(
		path,
		JSON.stringify({
			pid: holder.pid,
			host: holder.host ?? hostname(),
			token: 'forged-token',
			startedAt: FIXED_NOW.toISOString(),
		}),
	);
	age(path, 0);
	return path;
}

/** Dates a file `ms` before the store's clock (the kernel's stamp is the real time). */
function age(path: string, ms: number): void {
	const at = new Date(FIXED_NOW.getTime() - ms);
	utimesSync(path, at, at);
}

async function addsPlugin(world: StoreWorld): Promise<void> {
	await world.store.transaction(async (state) => {
		state.plugins[A] = pluginRecord(A);
	});
	assert.ok((await world.store.read()).plugins[A]);
	assert.equal(existsSync(join(world.dataDir, 'lock')), false, 'lock not released');
}

describe('store lock', () => {
	it('takes over a lock whose holder no longer runs on this host', async () => {
		const world = storeWorld({ lockTimeoutMs: 60_000 });
		forgeLock(world, { pid: DEAD_PID });
		await addsPlugin(world);
	});

	it('waits for a live holder, then gives up with STATE_LOCKED and leaves its lock', async () => {
		const world = storeWorld({ lockTimeoutMs: 150 });
		// This very process is alive: its pid in someone else's lock must be respected.
		const lock = forgeLock(world, { pid: process.pid });
		const content = readFileSync(lock);
		let workRan = false;
		await rejectsWithCode(
			world.store.transaction(async () => {
				workRan = true;
			}),
			'STATE_LOCKED',
		);
		assert.equal(workRan, false);
		assert.deepEqual(readFileSync(lock), content);
		assert.equal(existsSync(world.statePath), false);
	});

	it('never judges a holder on another host dead by its pid', async () => {
		const world = storeWorld({ lockTimeoutMs: 150 });
		const lock = forgeLock(world, { pid: DEAD_PID, host: `not-${hostname()}` });
		const content = readFileSync(lock);
		await rejectsWithCode(world.store.recover(), 'STATE_LOCKED');
		assert.deepEqual(readFileSync(lock), content);
	});

	it('serialises two stores of one process on the same directory', async () => {
		const world = storeWorld();
		const other = openStore({ dataDir: world.dataDir, lockTimeoutMs: 100 });
		let release: () => void = () => undefined;
		const holding = new Promise<void>((done) => {
			release = done;
		});
		let entered: () => void = () => undefined;
		const inside = new Promise<void>((done) => {
			entered = done;
		});
		const first = world.store.transaction(async (state) => {
			entered();
			await holding;
			state.plugins[A] = pluginRecord(A);
		});
		await inside;
		await rejectsWithCode(
			other.transaction(async () => undefined),
			'STATE_LOCKED',
		);
		release();
		await first;
		assert.ok((await other.read()).plugins[A]);
		await other.transaction(async (state) => {
			delete state.plugins[A];
		});
		assert.deepEqual((await world.store.read()).plugins, {});
	});

	describe('a lock file without readable content', () => {
		for (const [label, content] of [
			['empty', ''],
			['half written', '{"pid": 12'],
			['not a lock', '{"hello": "world"}'],
		] as const) {
			it(`${label}: respected while young, taken over once old`, async () => {
				const world = storeWorld({ lockTimeoutMs: 150 });
				mkdirSync(world.dataDir, { recursive: true });
				const lock = join(world.dataDir, 'lock');
				writeFileSync(lock, content);
				age(lock, 0);
				// Young: its writer may be between creating and writing it.
				await rejectsWithCode(world.store.recover(), 'STATE_LOCKED');
				assert.equal(readFileSync(lock, 'utf8'), content);
				// Old: its writer was killed in between; it must not block the store for good.
				age(lock, 60_000);
				await addsPlugin(world);
			});
		}
	});

	describe('a takeover in progress', () => {
		it('is not interfered with while young', async () => {
			const world = storeWorld({ lockTimeoutMs: 150 });
			const lock = forgeLock(world, { pid: DEAD_PID });
			const takeover = join(world.dataDir, 'lock.takeover');
			writeFileSync(takeover, 'someone else is deciding');
			age(takeover, 0);
			await rejectsWithCode(world.store.recover(), 'STATE_LOCKED');
			assert.ok(existsSync(lock));
			assert.equal(readFileSync(takeover, 'utf8'), 'someone else is deciding');
		});

		it('is left alone while its maker runs, however old its file looks (clocks may differ)', async () => {
			const world = storeWorld({ lockTimeoutMs: 150 });
			const lock = forgeLock(world, { pid: DEAD_PID });
			const takeover = join(world.dataDir, 'lock.takeover');
			const maker = { pid: process.pid, host: hostname(), token: 'live', startedAt: 'x' };
			writeFileSync(takeover, JSON.stringify(maker));
			// The file system's clock says an hour ago; the maker is still deciding.
			age(takeover, 3_600_000);
			await rejectsWithCode(world.store.recover(), 'STATE_LOCKED');
			assert.ok(existsSync(lock));
			assert.equal(JSON.parse(readFileSync(takeover, 'utf8')).token, 'live');
		});

		it('is cleared at once when its maker on this host is gone', async () => {
			const world = storeWorld({ lockTimeoutMs: 60_000 });
			forgeLock(world, { pid: DEAD_PID });
			const takeover = join(world.dataDir, 'lock.takeover');
			const maker = { pid: DEAD_PID, host: hostname(), token: 'dead', startedAt: 'x' };
			writeFileSync(takeover, JSON.stringify(maker));
			age(takeover, 0);
			await addsPlugin(world);
			assert.equal(existsSync(takeover), false);
		});

		it('is cleared once old: its process was killed mid-takeover', async () => {
			const world = storeWorld({ lockTimeoutMs: 60_000 });
			forgeLock(world, { pid: DEAD_PID });
			const takeover = join(world.dataDir, 'lock.takeover');
			writeFileSync(takeover, '');
			age(takeover, 60_000);
			await addsPlugin(world);
			assert.equal(existsSync(takeover), false);
		});
	});
});

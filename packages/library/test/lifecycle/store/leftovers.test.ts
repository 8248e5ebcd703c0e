/**
 * Which staging directories `clean` may take: those of a process that is gone, whatever their
 * age; never those of a live one, whatever their age; and, for a directory whose name does not
 * say who made it, those older than the threshold on the store's clock. Every file time here is
 * set from that clock (FIXED_NOW), so the verdicts hold on any real date.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, utimesSync } from 'node:fs';
import { basename, join } from 'node:path';
import { describe, it } from 'node:test';
import {
	createPluginFiles,
	STAGING_DIR,
	stagingName,
	stagingOwner,
} from '../../../src/lifecycle/store/index.ts';
import { DEAD_PID, FIXED_NOW, storeWorld, writeTree } from './helpers.ts';

const HOUR = 60 * 60 * 1000;

/** Whole seconds, which every file system keeps exactly. */
function dated(path: string, ageMs: number): Date {
	const at = new Date(Math.floor((FIXED_NOW.getTime() - ageMs) / 1000) * 1000);
	utimesSync(path, at, at);
	return at;
}

describe('staging leftovers', () => {
	it('names each staging directory after the process that made it', async () => {
		const world = storeWorld();
		const staged = await world.files.createStaging();
		assert.deepEqual(stagingOwner(basename(staged)), { pid: process.pid, sameHost: true });
		// Ours, and we are alive: not a leftover, however old it looks.
		dated(staged, 48 * HOUR);
		assert.deepEqual(await world.store.transaction(() => world.files.removeLeftovers()), []);
		assert.ok(existsSync(staged));
	});

	it("takes a dead process's staging at once, and keeps a live one's at any age", async () => {
		const world = storeWorld();
		const staging = join(world.pluginsDir, STAGING_DIR);
		const dead = join(staging, stagingName(DEAD_PID));
		const live = join(staging, stagingName(process.pid));
		writeTree(dead, { 'x.py': 'x' });
		writeTree(live, { 'y.py': 'y' });
		dated(dead, 0);
		dated(live, 30 * 24 * HOUR);
		const verdicts = await world.files.leftovers();
		assert.deepEqual(
			verdicts.map((leftover) => leftover.verdict).sort(),
			['in-use', 'removable'].sort(),
		);
		const removed = await world.store.transaction(() => world.files.removeLeftovers());
		assert.deepEqual(removed, [join(STAGING_DIR, basename(dead))]);
		assert.equal(existsSync(dead), false);
		assert.ok(existsSync(live));
	});

	it('asks the pid of its maker through the injected liveness check', async () => {
		const world = storeWorld();
		const files = createPluginFiles({
			pluginsDir: world.pluginsDir,
			dataDir: world.dataDir,
			now: () => FIXED_NOW,
			isAlive: (pid) => pid === 4242,
		});
		const busy = join(world.pluginsDir, STAGING_DIR, stagingName(4242));
		mkdirSync(busy, { recursive: true });
		dated(busy, 0);
		assert.deepEqual(await files.leftovers(), [
			{ path: join(STAGING_DIR, basename(busy)), verdict: 'in-use', pid: 4242 },
		]);
	});

	it('judges staging of another host, or of unknown origin, by its age on the store clock', async () => {
		const world = storeWorld();
		const staging = join(world.pluginsDir, STAGING_DIR);
		// A dead pid, but on another host: the pid says nothing here.
		const elsewhere = join(staging, `p${DEAD_PID}-000000000000-0123456789ab`);
		const unknown = join(staging, 'made-by-hand');
		writeTree(elsewhere, { 'a.py': 'a' });
		writeTree(unknown, { 'b.py': 'b' });
		const stamped = dated(elsewhere, 5 * 60 * 1000);
		dated(unknown, 5 * 60 * 1000);
		const young = await world.files.leftovers(10 * 60 * 1000);
		const at = new Date(stamped.getTime() + 10 * 60 * 1000);
		assert.deepEqual(
			young,
			[elsewhere, unknown]
				.map((path) => ({
					path: join(STAGING_DIR, basename(path)),
					verdict: 'young',
					removableAt: at,
				}))
				.sort((a, b) => a.path.localeCompare(b.path)),
		);
		dated(elsewhere, 11 * 60 * 1000);
		dated(unknown, 11 * 60 * 1000);
		const removed = await world.store.transaction(() =>
			world.files.removeLeftovers(10 * 60 * 1000),
		);
		assert.deepEqual(
			removed.sort(),
			[elsewhere, unknown].map((p) => join(STAGING_DIR, basename(p))).sort(),
		);
	});
});

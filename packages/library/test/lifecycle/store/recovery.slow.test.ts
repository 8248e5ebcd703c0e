/**
 * Journal recovery after a crash at every step of `place`, `remove` and `quarantine`: a child
 * process runs the change and SIGKILLs itself at one checkpoint; then `recover()` must leave
 * the plugin directory and the state entirely old or entirely new (and which one is fixed by
 * the step), with no staging copy, backup, journal or lock left behind.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
	digestTree,
	type InstalledPlugin,
	type StoreState,
} from '../../../src/lifecycle/store/index.ts';
import type { FileStep } from '../../../src/lifecycle/store/plugin-files.ts';
import {
	assertNoLeftovers,
	entries,
	FIXED_NOW,
	pluginRecord,
	readTree,
	runWorker,
	type StoreWorld,
	storeWorld,
	withDigestOf,
	writeTree,
} from './helpers.ts';

const A = '11111111-1111-4111-8111-111111111111';
const B = '22222222-2222-4222-8222-222222222222';
const OLD_FILES = { 'MANIFEST.toml': 'version = "1"', 'plugin.py': 'print("old")' };
const NEW_FILES = { 'MANIFEST.toml': 'version = "2"', 'lib/added.py': 'print("new")' };

/** Installs `files` as plugin A (enabled) without any journal, and plugin B as a bystander. */
async function installed(world: StoreWorld, files = OLD_FILES): Promise<InstalledPlugin> {
	const record = pluginRecord(A);
	const dir = join(world.pluginsDir, record.directory);
	writeTree(dir, files);
	const withDigest = await withDigestOf(record, dir);
	writeTree(join(world.pluginsDir, pluginRecord(B).directory), { 'b.py': 'b' });
	await world.store.transaction(async (state) => {
		state.plugins[A] = withDigest;
		state.plugins[B] = pluginRecord(B);
		state.enabled.push(A, B);
	});
	return withDigest;
}

/** Runs the change in a child that kills itself at `crashAt`; fails if it did not get there. */
async function crashAt(job: Parameters<typeof runWorker>[0]): Promise<void> {
	const exit = await runWorker(job);
	assert.equal(exit.signal, 'SIGKILL', `the worker did not stop at the step: ${exit.stderr}`);
}

/** The directory matches the record the state holds for it, byte for byte. */
async function assertConsistent(world: StoreWorld, record: InstalledPlugin): Promise<void> {
	const digest = await digestTree(join(world.pluginsDir, record.directory));
	assert.equal(digest.treeDigest, record.treeDigest);
}

async function recoverOnce(world: StoreWorld, expected: 'rolled back' | 'completed') {
	const actions = await world.store.recover();
	assert.deepEqual(
		actions.map(({ outcome, uuid }) => ({ outcome, uuid })),
		[{ outcome: expected, uuid: A }],
	);
	const state = await world.store.read();
	// Settled once and for all: a second recovery finds nothing and changes nothing.
	assert.deepEqual(await world.store.recover(), []);
	assert.deepEqual(await world.store.read(), state);
	assertNoLeftovers(world);
	return state;
}

function enabledWithout(state: StoreState, uuid: string): string[] {
	return state.enabled.filter((item) => item !== uuid);
}

describe('recovery of an update (place over an installed plugin)', () => {
	const cases: [FileStep, 'old' | 'new'][] = [
		['place:journal-written', 'old'],
		['place:old-moved-aside', 'old'],
		['place:new-moved-in', 'new'],
		['place:committed', 'new'],
		['place:backup-removed', 'new'],
	];
	for (const [step, result] of cases) {
		it(`after ${step}: the ${result} plugin, whole`, async () => {
			const world = storeWorld();
			const old = await installed(world);
			const staged = await world.files.createStaging();
			writeTree(staged, NEW_FILES);
			const updated = await withDigestOf(
				{ ...pluginRecord(A), version: '2', updatedAt: '2030-03-03T00:00:00.000Z' },
				staged,
			);
			await crashAt({
				kind: 'place',
				dataDir: world.dataDir,
				pluginsDir: world.pluginsDir,
				crashAt: step,
				staged,
				record: updated,
				// The update also turns the plugin off, so a mix of old and new would show.
				enabled: false,
			});
			const state = await recoverOnce(world, result === 'old' ? 'rolled back' : 'completed');
			const dir = join(world.pluginsDir, old.directory);
			if (result === 'old') {
				assert.deepEqual(readTree(dir), OLD_FILES);
				assert.deepEqual(state.plugins[A], old);
				assert.ok(state.enabled.includes(A));
			} else {
				assert.deepEqual(readTree(dir), NEW_FILES);
				assert.deepEqual(state.plugins[A], updated);
				assert.ok(!state.enabled.includes(A));
			}
			await assertConsistent(world, state.plugins[A] as InstalledPlugin);
			// The bystander is untouched either way.
			assert.deepEqual(state.plugins[B], pluginRecord(B));
			assert.deepEqual(enabledWithout(state, A), [B]);
			assert.deepEqual(
				entries(world.pluginsDir).filter((name) => !name.startsWith('.')),
				[old.directory, pluginRecord(B).directory].sort(),
			);
		});
	}
});

describe('recovery of a first install (place with nothing there)', () => {
	const cases: [FileStep, 'absent' | 'new'][] = [
		['place:journal-written', 'absent'],
		['place:new-moved-in', 'new'],
		['place:committed', 'new'],
		['place:backup-removed', 'new'],
	];
	for (const [step, result] of cases) {
		it(`after ${step}: ${result === 'absent' ? 'not installed at all' : 'installed, whole'}`, async () => {
			const world = storeWorld();
			const staged = await world.files.createStaging();
			writeTree(staged, NEW_FILES);
			const record = await withDigestOf(pluginRecord(A), staged);
			await crashAt({
				kind: 'place',
				dataDir: world.dataDir,
				pluginsDir: world.pluginsDir,
				crashAt: step,
				staged,
				record,
				enabled: true,
			});
			const state = await recoverOnce(world, result === 'absent' ? 'rolled back' : 'completed');
			const dir = join(world.pluginsDir, record.directory);
			if (result === 'absent') {
				assert.equal(existsSync(dir), false);
				assert.deepEqual(state.plugins, {});
				assert.deepEqual(state.enabled, []);
			} else {
				assert.deepEqual(readTree(dir), NEW_FILES);
				assert.deepEqual(state, { version: 1, plugins: { [A]: record }, enabled: [A] });
			}
		});
	}
});

describe('recovery of a reinstall under a new directory name (remove and place)', () => {
	const cases: [FileStep, 'old' | 'new'][] = [
		['remove:journal-written', 'old'],
		['place:journal-written', 'old'],
		['place:new-moved-in', 'new'],
		['remove:committed', 'new'],
		['remove:removed', 'new'],
		['place:committed', 'new'],
	];
	for (const [step, result] of cases) {
		it(`after ${step}: only the ${result} directory is left`, async () => {
			const world = storeWorld();
			const old = await installed(world);
			const staged = await world.files.createStaging();
			writeTree(staged, NEW_FILES);
			const renamed = await withDigestOf(
				{ ...pluginRecord(A, { name: 'renamed' }), directory: `renamed_${A}` },
				staged,
			);
			await crashAt({
				kind: 'place',
				dataDir: world.dataDir,
				pluginsDir: world.pluginsDir,
				crashAt: step,
				staged,
				record: renamed,
				enabled: true,
				replaces: old,
			});
			const actions = await world.store.recover();
			assert.ok(actions.length > 0);
			assert.deepEqual(await world.store.recover(), []);
			if (step === 'remove:journal-written') {
				// No journal names the staged copy yet: to recovery it looks like a clone still in
				// progress, and it is left for `removeLeftovers` once old.
				assert.deepEqual(readTree(staged), NEW_FILES);
				await world.files.removeStaging(staged);
			}
			assertNoLeftovers(world);
			const state = await world.store.read();
			const kept = result === 'old' ? old : renamed;
			const gone = result === 'old' ? renamed : old;
			assert.deepEqual(state.plugins[A], kept);
			assert.deepEqual(
				readTree(join(world.pluginsDir, kept.directory)),
				result === 'old' ? OLD_FILES : NEW_FILES,
			);
			// The directory the plugin no longer uses is not left behind as an orphan.
			assert.equal(existsSync(join(world.pluginsDir, gone.directory)), false);
			await assertConsistent(world, kept);
		});
	}
});

describe('recovery of an uninstall (remove)', () => {
	const cases: [FileStep, 'kept' | 'removed'][] = [
		['remove:journal-written', 'kept'],
		['remove:committed', 'removed'],
		['remove:removed', 'removed'],
	];
	for (const [step, result] of cases) {
		it(`after ${step}: the plugin is ${result}, files and record alike`, async () => {
			const world = storeWorld();
			const old = await installed(world);
			await crashAt({
				kind: 'remove',
				dataDir: world.dataDir,
				pluginsDir: world.pluginsDir,
				crashAt: step,
				uuid: A,
			});
			const state = await recoverOnce(world, result === 'kept' ? 'rolled back' : 'completed');
			const dir = join(world.pluginsDir, old.directory);
			if (result === 'kept') {
				assert.deepEqual(readTree(dir), OLD_FILES);
				assert.deepEqual(state.plugins[A], old);
				assert.deepEqual(state.enabled, [A, B]);
			} else {
				assert.equal(existsSync(dir), false);
				assert.equal(state.plugins[A], undefined);
				assert.deepEqual(state.enabled, [B]);
			}
			assert.deepEqual(readTree(join(world.pluginsDir, pluginRecord(B).directory)), {
				'b.py': 'b',
			});
		});
	}
});

describe('recovery of a quarantine', () => {
	const quarantined = (world: StoreWorld, record: InstalledPlugin) =>
		join(
			world.dataDir,
			'quarantine',
			`${record.directory}-${FIXED_NOW.toISOString().replace(/[:.]/g, '-')}`,
		);
	const cases: [FileStep, 'active' | 'quarantined'][] = [
		['quarantine:journal-written', 'active'],
		['quarantine:moved', 'quarantined'],
		['quarantine:committed', 'quarantined'],
	];
	for (const [step, result] of cases) {
		it(`after ${step}: the plugin is ${result}, its files kept`, async () => {
			const world = storeWorld();
			const old = await installed(world);
			await crashAt({
				kind: 'quarantine',
				dataDir: world.dataDir,
				pluginsDir: world.pluginsDir,
				crashAt: step,
				uuid: A,
			});
			const state = await recoverOnce(world, result === 'active' ? 'rolled back' : 'completed');
			const dir = join(world.pluginsDir, old.directory);
			const moved = quarantined(world, old);
			const record = state.plugins[A] as InstalledPlugin;
			if (result === 'active') {
				assert.deepEqual(readTree(dir), OLD_FILES);
				assert.equal(existsSync(moved), false);
				assert.equal(record.state, 'active');
				assert.deepEqual(state.enabled, [A, B]);
			} else {
				// Never deleted (D4): all of it is in quarantine, and the record says where.
				assert.equal(existsSync(dir), false);
				assert.deepEqual(readTree(moved), OLD_FILES);
				assert.equal(record.state, 'quarantined');
				assert.equal(record.quarantinePath, moved);
				assert.equal(world.files.pathOf(record), moved);
				assert.deepEqual(state.enabled, [B]);
			}
		});
	}
});

describe('recovery of a release from quarantine', () => {
	const cases: [FileStep, 'active' | 'quarantined'][] = [
		['release:journal-written', 'quarantined'],
		['release:moved', 'active'],
		['release:committed', 'active'],
	];
	for (const [step, result] of cases) {
		it(`after ${step}: the plugin is ${result}, whole, and disabled`, async () => {
			const world = storeWorld();
			const old = await installed(world);
			const files = world.files;
			await world.store.transaction((state, tx) =>
				files.quarantine(state, tx, state.plugins[A] as InstalledPlugin),
			);
			const moved = (await world.store.read()).plugins[A]?.quarantinePath as string;
			await crashAt({
				kind: 'release',
				dataDir: world.dataDir,
				pluginsDir: world.pluginsDir,
				crashAt: step,
				uuid: A,
			});
			const state = await recoverOnce(world, result === 'active' ? 'completed' : 'rolled back');
			const dir = join(world.pluginsDir, old.directory);
			const record = state.plugins[A] as InstalledPlugin;
			if (result === 'active') {
				assert.deepEqual(readTree(dir), OLD_FILES);
				assert.equal(existsSync(moved), false);
				assert.equal(record.state, 'active');
				assert.equal(record.quarantinePath, undefined);
				await assertConsistent(world, record);
			} else {
				assert.equal(existsSync(dir), false);
				assert.deepEqual(readTree(moved), OLD_FILES);
				assert.equal(record.state, 'quarantined');
				assert.equal(record.quarantinePath, moved);
			}
			// Back or not, it is never enabled by a recovery: enabling is the person's step.
			assert.deepEqual(state.enabled, [B]);
		});
	}
});

describe('a recovery that cannot write the state', () => {
	for (const [step, outcome] of [
		['place:new-moved-in', 'completed'],
		['place:old-moved-aside', 'rolled back'],
	] as const) {
		it(`keeps its journal until it can (${outcome})`, async () => {
			const world = storeWorld();
			const old = await installed(world);
			const staged = await world.files.createStaging();
			writeTree(staged, NEW_FILES);
			const updated = await withDigestOf({ ...pluginRecord(A), version: '2' }, staged);
			await crashAt({
				kind: 'place',
				dataDir: world.dataDir,
				pluginsDir: world.pluginsDir,
				crashAt: step,
				staged,
				record: updated,
				enabled: true,
			});
			const journals = entries(join(world.dataDir, 'journal'));
			assert.equal(journals.length, 1);
			// A directory where the backup goes makes the state write fail.
			mkdirSync(`${world.statePath}.bak`);
			await assert.rejects(world.store.recover());
			assert.deepEqual(entries(join(world.dataDir, 'journal')), journals);
			assert.deepEqual((await world.store.read()).plugins[A], old);
			rmSync(`${world.statePath}.bak`, { recursive: true });
			const state = await recoverOnce(world, outcome);
			const kept = outcome === 'completed' ? updated : old;
			assert.deepEqual(state.plugins[A], kept);
			await assertConsistent(world, kept);
		});
	}
});

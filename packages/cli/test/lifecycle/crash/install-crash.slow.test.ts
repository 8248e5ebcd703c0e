/**
 * An install killed with SIGKILL at each of its stages ("Nothing lost"): what is left is the
 * old state (not installed) or the new one (installed, whole), or a journal that makes it one
 * of them; after `vouch clean`, or the next install, it is exactly that one, with no journal,
 * backup, lock or staging left.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { copyWorld, createWorld, type PluginSpec, registryEntry, type World } from '../world.ts';
import { killedOncePerStage } from './children.ts';
import {
	assertExactly,
	assertNoLeftovers,
	assertOldNewOrRecoverable,
	assertStageEvidence,
	assertStagingTaken,
	clean,
	cliError,
	stagingEntries,
	type Version,
} from './crash-world.ts';
import { CRASH_STAGES, outcomeAfter, STAGE_DESCRIPTIONS } from './stages.ts';

const SPEC: PluginSpec = {
	name: 'sturdy',
	uuid: '4e7a1c2b-8d3f-4b6e-9a5c-0f1e2d3c4b5a',
	files: { 'version.py': 'VERSION = 1\n' },
};
const OTHER: PluginSpec = { name: 'bystander', uuid: '6f2b8c1d-3e4a-4c5b-8d6e-7f8a9b0c1d2e' };

const worlds: World[] = [];
after(async () => {
	for (const world of worlds) await world.close();
});

/** A world serving SPEC (and OTHER) from a trusted registry; returns what installing gives. */
async function buildServedWorld(): Promise<{ world: World; version: Version }> {
	const world = await createWorld();
	worlds.push(world);
	const served = world.serve(SPEC);
	const other = world.serve(OTHER);
	world.writeRegistry([
		registryEntry(served, SPEC, { trust_level: 'trusted' }),
		registryEntry(other, OTHER, { trust_level: 'trusted' }),
	]);
	const version = {
		commit: served.repo.commitOf(),
		marker: { path: 'version.py', content: 'VERSION = 1\n' },
	};
	return { world, version };
}

let template: ReturnType<typeof buildServedWorld> | undefined;

/** That world, served once for the file; each test gets a profile of its own (a copy). */
async function servedWorld(): Promise<{ world: World; version: Version }> {
	template ??= buildServedWorld();
	const { world, version } = await template;
	return { world: copyWorld(world), version };
}

/** The world after install of SPEC was SIGKILLed at a stage (`killedOncePerStage`). */
const killedAt = killedOncePerStage(servedWorld, 'install', SPEC.name);

describe('install killed at each stage', () => {
	for (const stage of CRASH_STAGES) {
		const outcome = outcomeAfter(stage);
		it(`${STAGE_DESCRIPTIONS[stage]}: ${outcome === 'old' ? 'not installed' : 'installed, whole'} after clean`, async () => {
			const { world, version, pid } = await killedAt(stage);

			const seen = await assertOldNewOrRecoverable(world, SPEC, 'absent', version);
			assertStageEvidence(world, stage, seen, 'absent', version, pid);
			const staged = stagingEntries(world);

			const report = await clean(world);
			assert.deepEqual(
				report.recovered.map(({ outcome, uuid }) => ({ outcome, uuid })),
				outcome === 'new' ? [{ outcome: 'completed', uuid: SPEC.uuid }] : [],
			);
			await assertExactly(world, SPEC, outcome === 'old' ? 'absent' : version);
			await assertNoLeftovers(world);
			assertStagingTaken(world, staged, report);

			// Settled for good: the plugin can be installed (or is installed) as usual.
			const again = await world.vouch([
				'install',
				SPEC.name,
				'--registry',
				world.registryFile,
				'--yes',
				'--json',
			]);
			assert.equal(again.code, outcome === 'old' ? 0 : 1, again.stdout + again.stderr);
			if (outcome === 'new') assert.equal(cliError(again), 'ALREADY_INSTALLED');
			await assertExactly(world, SPEC, version);
			await assertNoLeftovers(world);
		});
	}
});

describe('the next run recovers an install killed mid-way', () => {
	it('a later install of another plugin completes the killed one first', async () => {
		const { world, version } = await killedAt('after-place');
		// Without recovery the state would never learn of the files already in place.
		assert.equal((await world.state()).plugins[SPEC.uuid], undefined);

		const next = await world.vouch([
			'install',
			OTHER.name,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(next.code, 0, next.stdout + next.stderr);
		const state = await assertExactly(world, SPEC, version);
		assert.ok(state.plugins[OTHER.uuid], 'the new install is recorded too');
		assert.deepEqual([...state.enabled].sort(), [SPEC.uuid, OTHER.uuid].sort());
		await assertNoLeftovers(world);
		assert.deepEqual(stagingEntries(world), []);
	});

	it('installing the same plugin again after a kill before the move succeeds', async () => {
		const { world, version } = await killedAt('before-place');
		const next = await world.vouch([
			'install',
			SPEC.name,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(next.code, 0, next.stdout + next.stderr);
		await assertExactly(world, SPEC, version);
		await assertNoLeftovers(world);
		// The killed child's clone is left to clean; the new install took (and removed) its own.
		const staged = stagingEntries(world);
		assert.equal(staged.length, 1);
		assertStagingTaken(world, staged, await clean(world));
	});
});

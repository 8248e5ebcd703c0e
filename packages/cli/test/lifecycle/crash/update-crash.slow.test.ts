/**
 * An update killed with SIGKILL at each of its stages ("Nothing lost"): the plugin is the
 * previous commit with its files, or the new commit with its files, never a mix (the new
 * version also drops a file and adds one, so a mix would show), and `vouch clean`, the next
 * `vouch update` or `vouch startup-check` settles the interrupted change.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { parseJson } from '../../helpers/cli.ts';
import { copyWorld, createWorld, type PluginSpec, registryEntry, type World } from '../world.ts';
import { killedOncePerStage } from './children.ts';
import {
	assertExactly,
	assertNoLeftovers,
	assertOldNewOrRecoverable,
	assertStageEvidence,
	assertStagingTaken,
	clean,
	stagingEntries,
	type Version,
} from './crash-world.ts';
import { CRASH_STAGES, outcomeAfter, STAGE_DESCRIPTIONS } from './stages.ts';

const SPEC: PluginSpec = {
	name: 'evolving',
	uuid: '9d4c3b2a-1e0f-4a9b-8c7d-6e5f4a3b2c1d',
	files: { 'version.py': 'VERSION = 1\n', 'legacy.py': 'OLD = True\n' },
};

const worlds: World[] = [];
after(async () => {
	for (const world of worlds) await world.close();
});

/** SPEC installed (enabled) at its first commit, and a second commit published. */
async function buildInstalledWorld(): Promise<{ world: World; old: Version; next: Version }> {
	const world = await createWorld();
	worlds.push(world);
	const served = world.serve(SPEC);
	world.writeRegistry([registryEntry(served, SPEC, { trust_level: 'trusted' })]);
	const install = await world.vouch([
		'install',
		SPEC.name,
		'--registry',
		world.registryFile,
		'--yes',
		'--json',
	]);
	assert.equal(install.code, 0, install.stdout + install.stderr);
	const old = {
		commit: served.repo.commitOf(),
		marker: { path: 'version.py', content: 'VERSION = 1\n' },
	};
	const commit = served.repo.commit({
		'version.py': 'VERSION = 2\n',
		'legacy.py': null,
		'lib/added.py': 'NEW = True\n',
	});
	world.publish(served);
	const next = { commit, marker: { path: 'version.py', content: 'VERSION = 2\n' } };
	return { world, old, next };
}

let template: ReturnType<typeof buildInstalledWorld> | undefined;

/**
 * That world, built once for the file; each test gets a copy of its profile (the served
 * repository, which no test changes, is shared), so every kill starts from the same state.
 */
async function installedWorld(): Promise<{ world: World; old: Version; next: Version }> {
	template ??= buildInstalledWorld();
	const { world, old, next } = await template;
	return { world: copyWorld(world), old, next };
}

/** The world after update of SPEC was SIGKILLed at a stage (`killedOncePerStage`). */
const killedAt = killedOncePerStage(installedWorld, 'update', SPEC.name);

describe('update killed at each stage', () => {
	for (const stage of CRASH_STAGES) {
		const outcome = outcomeAfter(stage);
		it(`${STAGE_DESCRIPTIONS[stage]}: the ${outcome} version, whole, after clean`, async () => {
			const { world, old, next, pid } = await killedAt(stage);

			const seen = await assertOldNewOrRecoverable(world, SPEC, old, next);
			assertStageEvidence(world, stage, seen, old, next, pid);
			const staged = stagingEntries(world);

			const report = await clean(world);
			assert.deepEqual(
				report.recovered.map(({ outcome, uuid }) => ({ outcome, uuid })),
				outcome === 'new' ? [{ outcome: 'completed', uuid: SPEC.uuid }] : [],
			);
			await assertExactly(world, SPEC, outcome === 'old' ? old : next);
			await assertNoLeftovers(world);
			assertStagingTaken(world, staged, report);

			// Settled for good: a plain update reaches the new version, or finds nothing to do.
			const again = await world.vouch([
				'update',
				SPEC.name,
				'--registry',
				world.registryFile,
				'--yes',
				'--json',
			]);
			assert.equal(again.code, 0, again.stdout + again.stderr);
			const results = parseJson(again).results as { status: string }[];
			assert.deepEqual(
				results.map((result) => result.status),
				[outcome === 'old' ? 'updated' : 'up-to-date'],
			);
			await assertExactly(world, SPEC, next);
			await assertNoLeftovers(world);
		});
	}
});

describe('the next run recovers an update killed mid-way', () => {
	it('startup-check completes it first, instead of disabling the plugin for changed files', async () => {
		const { world, next } = await killedAt('after-place');
		const run = await world.vouch(['startup-check', '--registry', world.registryFile, '--json']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const report = parseJson(run) as { load: { uuid: string }[]; disabled: unknown[] };
		assert.deepEqual(report.disabled, []);
		assert.deepEqual(
			report.load.map((plugin) => plugin.uuid),
			[SPEC.uuid],
		);
		await assertExactly(world, SPEC, next);
		await assertNoLeftovers(world);
	});

	it('the next update completes it and leaves the new version whole', async () => {
		const { world, next } = await killedAt('after-place');
		// The state file alone still says the old commit, so this run fetches again.
		const run = await world.vouch([
			'update',
			SPEC.name,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		await assertExactly(world, SPEC, next);
		await assertNoLeftovers(world);
		assert.deepEqual(stagingEntries(world), []);
	});

	it('a second update after a kill before the move replaces the old version cleanly', async () => {
		const { world, next } = await killedAt('before-place');
		const run = await world.vouch([
			'update',
			SPEC.name,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		await assertExactly(world, SPEC, next);
		await assertNoLeftovers(world);
		const staged = stagingEntries(world);
		assert.equal(staged.length, 1);
		assertStagingTaken(world, staged, await clean(world));
	});
});

/**
 * Crashes in changes that replace one plugin record by another: a reinstall whose manifest
 * now carries a new UUID (new record, new directory), and an update along a UUID move the
 * registry declares (D7: new record, same directory). "Old or new" here means one record or
 * the other, never both: two records would leave two enabled plugins for one source, sharing
 * or orphaning a directory.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { manifestToml } from '../../../../library/test/helpers/git-repos.ts';
import {
	copyWorld,
	createWorld,
	type PluginSpec,
	registryEntry,
	type ServedPlugin,
	type World,
} from '../world.ts';
import { crashChild } from './children.ts';
import {
	assertExactly,
	assertNoLeftovers,
	assertStagingTaken,
	clean,
	directoryOf,
	stagingEntries,
	type Version,
} from './crash-world.ts';
import { type CrashStage, outcomeAfter, STAGE_DESCRIPTIONS } from './stages.ts';

const OLD: PluginSpec = {
	name: 'shifty',
	uuid: '5a6b7c8d-9e0f-4a1b-8c2d-3e4f5a6b7c8d',
	files: { 'version.py': 'VERSION = 1\n' },
};
/** The same plugin, same name and source, after its manifest took a new UUID. */
const NEW: PluginSpec = { ...OLD, uuid: '3c9e7a51-6b2d-4f80-a1c3-5e7d9b0f2a46' };
const STAGES: CrashStage[] = ['before-place', 'after-place', 'after-commit'];

const worlds: World[] = [];
after(async () => {
	for (const world of worlds) await world.close();
});

/** OLD installed and enabled; then its repository moves to NEW's UUID with version 2. */
async function buildMovedWorld(): Promise<{
	world: World;
	served: ServedPlugin;
	old: Version;
	next: Version;
}> {
	const world = await createWorld();
	worlds.push(world);
	const served = world.serve(OLD);
	world.writeRegistry([registryEntry(served, OLD, { trust_level: 'trusted' })]);
	const install = await world.vouch([
		'install',
		served.url,
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
		'MANIFEST.toml': manifestToml({ uuid: NEW.uuid, name: NEW.name }),
		'version.py': 'VERSION = 2\n',
	});
	world.publish(served);
	return {
		world,
		served,
		old,
		next: { commit, marker: { ...old.marker, content: 'VERSION = 2\n' } },
	};
}

let template: ReturnType<typeof buildMovedWorld> | undefined;

/**
 * That world, built once for the file; each test gets a copy of its profile and registry file
 * (the served repository, which no test changes, is shared).
 */
async function movedWorld(): ReturnType<typeof buildMovedWorld> {
	template ??= buildMovedWorld();
	const { world, ...rest } = await template;
	return { world: copyWorld(world), ...rest };
}

/** Exactly one record, `kept`, in `directory`, whole and enabled; the other is gone. */
async function assertOnly(
	world: World,
	kept: PluginSpec,
	gone: PluginSpec,
	version: Version,
	directory: string,
): Promise<void> {
	const state = await assertExactly(world, kept, version, directory);
	assert.deepEqual(Object.keys(state.plugins), [kept.uuid], 'both records survived');
	assert.deepEqual(state.enabled, [kept.uuid]);
	if (directory !== directoryOf(gone)) {
		assert.equal(existsSync(join(world.profile.pluginsDir, directoryOf(gone))), false);
	}
}

describe('reinstall onto a new UUID, killed', () => {
	for (const stage of STAGES) {
		const outcome = outcomeAfter(stage);
		it(`${STAGE_DESCRIPTIONS[stage]}: only the ${outcome} record after clean`, async () => {
			const { world, served, old, next } = await movedWorld();
			await crashChild(world, 'install', served.url, stage, ['--reinstall']);
			const staged = stagingEntries(world);
			const report = await clean(world);
			if (outcome === 'old') await assertOnly(world, OLD, NEW, old, directoryOf(OLD));
			else await assertOnly(world, NEW, OLD, next, directoryOf(NEW));
			await assertNoLeftovers(world);
			assertStagingTaken(world, staged, report);
		});
	}
});

describe('update along a declared UUID move (D7), killed', () => {
	for (const stage of STAGES) {
		const outcome = outcomeAfter(stage);
		it(`${STAGE_DESCRIPTIONS[stage]}: only the ${outcome} record after clean`, async () => {
			const { world, served, old, next } = await movedWorld();
			world.writeRegistry([
				registryEntry(served, NEW, { trust_level: 'trusted', redirect_from_uuid: [OLD.uuid] }),
			]);
			await crashChild(world, 'update', OLD.uuid, stage);
			const staged = stagingEntries(world);
			const report = await clean(world);
			// An update keeps the plugin's directory, whatever its UUID becomes.
			if (outcome === 'old') await assertOnly(world, OLD, NEW, old, directoryOf(OLD));
			else await assertOnly(world, NEW, OLD, next, directoryOf(OLD));
			await assertNoLeftovers(world);
			assertStagingTaken(world, staged, report);
		});
	}

	it('uninterrupted, gives the same single record', async () => {
		const { world, served, next } = await movedWorld();
		world.writeRegistry([
			registryEntry(served, NEW, { trust_level: 'trusted', redirect_from_uuid: [OLD.uuid] }),
		]);
		const run = await world.vouch([
			'update',
			OLD.uuid,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		await assertOnly(world, NEW, OLD, next, directoryOf(OLD));
	});
});

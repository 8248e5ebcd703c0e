/** The library entry a host calls at start: `runStartupCheck` from `src/index.ts`. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runStartupCheck } from '@vouch/library';
import { createWorld, registryEntry, type World } from './world.ts';

const SPEC = { name: 'hosted', uuid: 'e5f6a7b8-c9d0-4e1f-8a2b-3c4d5e6f7a8b' };
let world: World;

describe('runStartupCheck', () => {
	before(async () => {
		world = await createWorld();
		const plugin = world.serve(SPEC);
		world.writeRegistry([registryEntry(plugin, SPEC, { trust_level: 'trusted' })]);
		const run = await world.vouch(['install', 'hosted', '--registry', world.registryFile, '--yes']);
		assert.equal(run.code, 0, run.stderr);
	});
	after(() => world.close());

	const check = () =>
		runStartupCheck({
			profile: world.profile,
			sources: [world.registryFile],
			cwd: world.root,
			home: world.root,
			fetch: async () => {
				throw new Error('no network in tests');
			},
		});

	it('lets a clean plugin load, with its path and trust', async () => {
		const report = await check();
		assert.deepEqual(
			report.load.map((item) => [item.uuid, item.trust]),
			[[SPEC.uuid, 'trusted']],
		);
		assert.equal(report.blacklist.state, 'fresh');
	});

	it('disables a plugin the blacklist names since, and says why', async () => {
		const parsed = JSON.parse(
			await import('node:fs').then((fs) => fs.readFileSync(world.registryFile, 'utf8')),
		);
		world.writeRegistry(parsed.plugins, [
			{ uuid: SPEC.uuid, reason: 'Leaks data', severity: 'soft' },
		]);
		const report = await check();
		assert.deepEqual(report.load, []);
		assert.deepEqual(
			report.disabled.map((item) => [item.uuid, item.kind, item.reason]),
			[[SPEC.uuid, 'blacklist', 'Leaks data']],
		);
		assert.deepEqual(report.quarantined, [], 'a soft entry disables but does not quarantine');
		assert.equal((await world.state()).enabled.includes(SPEC.uuid), false);
	});
});

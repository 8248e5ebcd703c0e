/**
 * `watchInstalledPlugins`: the startup check again while the host runs (D23). A blacklist entry
 * published after start must disable the running host's plugin at the next round.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { watchInstalledPlugins } from '@vouch/library';
import type { StartupReport } from '@vouch/library/internal/lifecycle/startup-check';
import { createWorld, registryEntry, type World } from './world.ts';

const SPEC = { name: 'watched', uuid: 'f6a7b8c9-d0e1-4f2a-9b3c-4d5e6f7a8b9c' };
let world: World;
let entries: unknown[];

before(async () => {
	world = await createWorld();
	const plugin = world.serve(SPEC);
	entries = [registryEntry(plugin, SPEC, { trust_level: 'trusted' })];
	world.writeRegistry(entries);
	const run = await world.vouch(['install', 'watched', '--registry', world.registryFile, '--yes']);
	assert.equal(run.code, 0, run.stderr);
});
after(() => world.close());

function watchOptions(onReport: (report: StartupReport) => void, intervalMs: number) {
	return {
		profile: world.profile,
		sources: [world.registryFile],
		cwd: world.root,
		home: world.root,
		fetch: async () => {
			throw new Error('no network in tests');
		},
		intervalMs,
		onReport,
	};
}

describe('watchInstalledPlugins', () => {
	it('disables a running plugin once the blacklist names it, at the next round', {
		timeout: 30_000,
	}, async () => {
		const reports: StartupReport[] = [];
		let disabled: (report: StartupReport) => void = () => {};
		const sawDisable = new Promise<StartupReport>((resolve) => {
			disabled = resolve;
		});
		const watch = watchInstalledPlugins(
			watchOptions((report) => {
				reports.push(report);
				if (report.disabled.some((item) => item.uuid === SPEC.uuid)) disabled(report);
			}, 25),
		);
		try {
			const first = await watch.checkNow();
			assert.deepEqual(
				first.load.map((item) => item.uuid),
				[SPEC.uuid],
			);
			world.writeRegistry(entries, [
				{ uuid: SPEC.uuid, reason: 'Steals tokens', severity: 'hard' },
			]);
			const report = await sawDisable;
			assert.equal(
				report.disabled.find((item) => item.uuid === SPEC.uuid)?.reason,
				'Steals tokens',
			);
			assert.equal((await world.state()).plugins[SPEC.uuid]?.state, 'quarantined');
			assert.ok(reports.length >= 2, 'the timer ran a round after the explicit one');
		} finally {
			watch.stop();
		}
	});

	it('stops reporting after stop()', async () => {
		let count = 0;
		const watch = watchInstalledPlugins(watchOptions(() => count++, 10));
		await watch.checkNow();
		watch.stop();
		const seen = count;
		await new Promise((resolve) => setTimeout(resolve, 60));
		assert.equal(count, seen);
	});
});

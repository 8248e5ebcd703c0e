/**
 * Dual control reads the trust a plugin has held, not only the trust the registry gives it now
 * (D22, `incidents/trust-history.ts`). One maintainer may edit a trust level, so a lowered
 * trust must not let them hard-block an official or trusted plugin alone, and a plugin lowered
 * or removed since must not let them lift alone a block that would need two.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	planPluginEdit,
	planPluginRemove,
} from '@vouch/library/internal/registry/edit/plugin-plans';
import { createIncidentService } from '../../src/incidents/service.ts';
import type { Actor } from '../../src/store/actor.ts';
import type { RegistryStore } from '../../src/store/registry-store.ts';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	BOB,
	blacklistEntries,
	malwareReport,
	openWorld,
	PLUGINS,
	ROOT,
	rejectsWith,
	type World,
} from './world.ts';

async function setTrust(
	world: World,
	id: string,
	trust: 'official' | 'trusted' | 'community',
	actor: Actor = ALICE,
) {
	await world.store.edit(
		(context) => planPluginEdit(context, id, { trust, reason: `Now ${trust}` }),
		actor,
	);
}

async function openIncident(world: World, pluginId: string): Promise<number> {
	const { incidentId } = await world.service.submitReport(malwareReport(pluginId), {
		clientAddress: '198.51.100.7',
	});
	await world.service.transition(incidentId, 'investigating', ALICE, 'Reading the code');
	return incidentId;
}

async function blocked(world: World, uuid: string): Promise<boolean> {
	return (await blacklistEntries(world.store)).some((entry) => entry.uuid === uuid);
}

describe('dual control and trust changes', () => {
	it('a trusted plugin lowered to community still takes two maintainers to hard-block', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.trusted;
				const incidentId = await openIncident(world, plugin.id);
				// Alice lowers the trust, blocks alone, and would raise it again.
				await setTrust(world, plugin.id, 'community');
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Blocking it alone',
				);
				assert.equal(hard.state, 'awaiting_approval', 'one maintainer hard-blocked it alone');
				assert.equal(await blocked(world, plugin.uuid), false);
				const version = await world.service.requestAction(
					incidentId,
					'version_block',
					{ versions: '<2.0.0' },
					ALICE,
					'Blocking its releases alone',
				);
				assert.equal(version.state, 'awaiting_approval');
				await setTrust(world, plugin.id, 'trusted');
				assert.equal(await blocked(world, plugin.uuid), false);
				// A second maintainer's approval still applies it.
				await world.service.approveAction(hard.actionId, BOB, 'Saw the payload too');
				assert.equal(await blocked(world, plugin.uuid), true);
				// A soft quarantine is never held back.
				const other = await openIncident(world, PLUGINS.official.id);
				await setTrust(world, PLUGINS.official.id, 'community');
				const soft = await world.service.requestAction(
					other,
					'soft_quarantine',
					{},
					ALICE,
					'Hold it',
				);
				assert.equal(soft.state, 'applied');
			} finally {
				await world.close();
			}
		});
	});

	it('a trusted plugin listed again under a new id, as community, still takes two', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.trusted;
				// The whole registry replaced: the plugin renamed and lowered in one write.
				const text = (await world.store.document())?.text ?? '';
				const start = text.indexOf(`id = "${plugin.id}"`);
				const end = text.indexOf('[[plugins]]', start);
				const section = text
					.slice(start, end)
					.replace(`id = "${plugin.id}"`, 'id = "cover-art-2"')
					.replace('trust_level = "trusted"', 'trust_level = "community"');
				await world.store.importText(
					text.slice(0, start) + section + text.slice(end),
					ROOT,
					'Renamed',
				);
				const incidentId = await openIncident(world, 'cover-art-2');
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Blocking it alone',
				);
				assert.equal(hard.state, 'awaiting_approval', 'one maintainer hard-blocked it alone');
				assert.equal(await blocked(world, plugin.uuid), false);
			} finally {
				await world.close();
			}
		});
	});

	it('a block one maintainer applies alone is refused when the plugin became trusted meanwhile', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.community;
				const incidentId = await openIncident(world, plugin.id);
				// The trust is raised between the request's check and the edit that writes its entry.
				let raise = true;
				const racing: RegistryStore = {
					...world.store,
					async edit(planner, actor, alongside) {
						if (raise) {
							raise = false;
							await setTrust(world, plugin.id, 'trusted', BOB);
						}
						return world.store.edit(planner, actor, alongside);
					},
				};
				const service = createIncidentService({
					db: world.database,
					clock: world.clock.now,
					store: racing,
					publicBaseUrl: 'https://registry.example.org',
					clientKeySecret: 'a test secret',
				});
				await rejectsWith(
					service.requestAction(incidentId, 'hard_blacklist', {}, ALICE, 'Alone'),
					'FORBIDDEN',
				);
				assert.equal(raise, false);
				assert.equal(await blocked(world, plugin.uuid), false, 'one maintainer blocked it alone');
				// Asked again, it waits for a second maintainer.
				const again = await service.requestAction(incidentId, 'hard_blacklist', {}, ALICE, 'Again');
				assert.equal(again.state, 'awaiting_approval');
			} finally {
				await world.close();
			}
		});
	});

	it('a block of a plugin made trusted since takes two to lift after it is lowered or removed', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.community;
				const incidentId = await openIncident(world, plugin.id);
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Malware',
				);
				assert.equal(hard.state, 'applied', 'one maintainer blocks a community plugin');
				await setTrust(world, plugin.id, 'trusted', BOB);
				// Lowered again by the one who would lift it: the lift still needs a second maintainer.
				await setTrust(world, plugin.id, 'community');
				const lowered = await world.service.revertAction(hard.actionId, ALICE, 'Lift it');
				assert.equal(lowered.state, 'lift_requested', 'one maintainer lifted it alone');
				assert.equal(lowered.state === 'lift_requested' && typeof lowered.liftId, 'number');
				if (lowered.state === 'lift_requested') {
					await world.service.refuseLift(lowered.liftId, ALICE, 'Withdrawn');
				}
				// Removed from the registry: the same.
				await world.store.edit((context) => planPluginRemove(context, plugin.id, 'Gone'), ALICE);
				const removed = await world.service.revertAction(hard.actionId, ALICE, 'Lift it');
				assert.equal(removed.state, 'lift_requested', 'one maintainer lifted it alone');
				assert.equal(await blocked(world, plugin.uuid), true);
				// Nor does a dismissal lift it alone.
				await rejectsWith(
					world.service.transition(incidentId, 'dismissed', ALICE, 'Nothing there'),
					'FORBIDDEN',
				);
				assert.equal(await blocked(world, plugin.uuid), true);
			} finally {
				await world.close();
			}
		});
	});

	it('a block of a trusted plugin two applied stays two to lift once the plugin is removed', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.official;
				const incidentId = await openIncident(world, plugin.id);
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Malware',
				);
				await world.service.approveAction(hard.actionId, BOB, 'Agreed');
				await world.store.edit((context) => planPluginRemove(context, plugin.id, 'Gone'), ALICE);
				const revert = await world.service.revertAction(hard.actionId, ALICE, 'Lift it');
				assert.equal(revert.state, 'lift_requested');
				assert.equal(await blocked(world, plugin.uuid), true);
			} finally {
				await world.close();
			}
		});
	});
});

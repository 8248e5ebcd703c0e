/**
 * An entry added by hand on exactly a plugin's uuid and url (no versions, no commit) does not
 * stand in the way of an incident's block: the action takes it over, so the block is the
 * action's, at the action's severity, and lifted only through the incident. Refusing the
 * action's entry as a duplicate instead made a hard block's approval fail behind a soft notice,
 * or left a hand-made hard entry that one maintainer could remove while the incident looked
 * blocked. A soft quarantine never replaces a hard entry: that would weaken the block.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import { planBlacklistAdd } from '@vouch/library/internal/registry/edit/blacklist-plans';
import { assertNotHeldByAction } from '../../src/incidents/held-entries.ts';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	BOB,
	blacklistEntries,
	CAROL,
	malwareReport,
	openWorld,
	PLUGINS,
	rejectsWith,
	type World,
} from './world.ts';

async function investigating(world: World, pluginId: string): Promise<number> {
	const { incidentId } = await world.service.submitReport(malwareReport(pluginId), {
		clientAddress: '198.51.100.7',
	});
	await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
	return incidentId;
}

async function addByHand(
	world: World,
	plugin: { uuid: string; url: string },
	severity: 'soft' | 'hard',
): Promise<string> {
	const added = await world.store.edit(
		(context) =>
			planBlacklistAdd(context, {
				uuid: plugin.uuid,
				url: plugin.url,
				severity,
				reason: 'By hand',
			}),
		CAROL,
	);
	return added.stored?.subject as string;
}

/** The one entry on the plugin, which the action holds. */
async function heldEntry(world: World, actionId: number, plugin: { uuid: string }) {
	const entries = (await blacklistEntries(world.store)).filter((e) => e.uuid === plugin.uuid);
	assert.equal(entries.length, 1, 'one entry on the plugin');
	const row = await world.database.db
		.selectFrom('incident_actions')
		.select(['state', 'blacklist_entry_id'])
		.where('id', '=', actionId)
		.executeTakeFirstOrThrow();
	assert.equal(row.state, 'applied');
	await rejectsWith(
		assertNotHeldByAction(world.database.db, String(row.blacklist_entry_id)),
		'FORBIDDEN',
	);
	return { entry: entries[0], id: String(row.blacklist_entry_id) };
}

describe('an action meeting an entry added by hand', () => {
	it('a dual-controlled hard block takes a soft notice over when approved', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.trusted;
				const incidentId = await investigating(world, plugin.id);
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Payload in the release',
				);
				await addByHand(world, plugin, 'soft');
				await world.service.approveAction(hard.actionId, BOB, 'Saw it too');
				assert.equal((await heldEntry(world, hard.actionId, plugin)).entry?.severity, 'hard');
				const verdict = compileBlacklist(await blacklistEntries(world.store)).check(plugin);
				assert.equal(verdict.blocked && verdict.severity, 'hard');
			} finally {
				await world.close();
			}
		});
	});

	it('a hard entry is taken over by a hard block, never weakened by a quarantine', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.community;
				const incidentId = await investigating(world, plugin.id);
				const byHand = await addByHand(world, plugin, 'hard');
				await rejectsWith(
					world.service.requestAction(incidentId, 'soft_quarantine', {}, ALICE, 'Look first'),
					'BAD_REQUEST',
				);
				const [kept] = await blacklistEntries(world.store);
				assert.equal(kept?.severity, 'hard');
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Malware',
				);
				assert.equal(hard.state, 'applied');
				const held = await heldEntry(world, hard.actionId, plugin);
				assert.equal(held.entry?.severity, 'hard');
				assert.notEqual(held.id, byHand, 'the incident now holds the block');
			} finally {
				await world.close();
			}
		});
	});

	it('a hard block supersedes the quarantine on its identifiers, whatever id the plugin had then', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.community;
				const first = await investigating(world, plugin.id);
				const quarantine = await world.service.requestAction(
					first,
					'soft_quarantine',
					{},
					ALICE,
					'While we look',
				);
				assert.equal(quarantine.state, 'applied');
				// One maintainer lists the plugin under a new id: the same repository and uuid,
				// which the quarantine still blocks, so the edit goes through.
				const text = (await world.store.document())?.text ?? '';
				const renamed = text.replace(`id = "${plugin.id}"`, 'id = "lyrics-grabber"');
				assert.notEqual(renamed, text);
				await world.store.importText(renamed, CAROL, 'A better name');
				// The hard block of the plugin under its new id must not need the quarantine lifted
				// first: the plugin would be unblocked in between.
				const second = await investigating(world, 'lyrics-grabber');
				const hard = await world.service.requestAction(
					second,
					'hard_blacklist',
					{},
					BOB,
					'It is malware',
				);
				assert.equal(hard.state, 'applied');
				const held = await heldEntry(world, hard.actionId, plugin);
				assert.equal(held.entry?.severity, 'hard');
				const row = await world.database.db
					.selectFrom('incident_actions')
					.select('state')
					.where('id', '=', quarantine.actionId)
					.executeTakeFirstOrThrow();
				assert.equal(row.state, 'reverted');
			} finally {
				await world.close();
			}
		});
	});
});

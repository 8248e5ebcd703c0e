/**
 * A hard block an action adds is in force the way clients read it: the first matching entry in
 * file order gives the severity (D4), so a soft entry that came before it in the file would let
 * users override the block. Such a soft entry may be there already (a notice added by hand, the
 * incident's own quarantine) or be added by one maintainer while a dual-controlled block waits
 * for its second; either way the new hard entry must win, and the soft entry keep what it says.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import { planBlacklistAdd } from '@vouch/library/internal/registry/edit/blacklist-plans';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	BOB,
	blacklistEntries,
	CAROL,
	malwareReport,
	openWorld,
	PLUGINS,
	ROOT,
	type World,
} from './world.ts';

async function verdictFor(
	world: World,
	plugin: { uuid: string; url: string },
	version?: string,
): Promise<{ blocked: boolean; severity?: string }> {
	const compiled = compileBlacklist(await blacklistEntries(world.store));
	const verdict = compiled.check({
		uuid: plugin.uuid,
		url: plugin.url,
		...(version === undefined ? {} : { version }),
	});
	return verdict.blocked ? { blocked: true, severity: verdict.severity } : { blocked: false };
}

async function investigating(world: World, pluginId: string): Promise<number> {
	const { incidentId } = await world.service.submitReport(malwareReport(pluginId), {
		clientAddress: '198.51.100.7',
	});
	await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
	return incidentId;
}

async function entryIds(world: World): Promise<string[]> {
	const text = (await world.store.document())?.text ?? '';
	return [...text.matchAll(/^id = "(bl-[0-9a-f]{12})"$/gm)].map((match) => match[1] as string);
}

describe('a hard block an action adds is not outranked by a soft entry before it', () => {
	it('a soft entry one maintainer adds while the dual-controlled block waits does not soften it', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const incidentId = await investigating(world, PLUGINS.trusted.id);
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Payload in the release',
				);
				assert.equal(hard.state, 'awaiting_approval');
				// One maintainer, alone, slips a soft notice on the plugin's uuid in first.
				const notice = await world.store.edit(
					(context) =>
						planBlacklistAdd(context, {
							uuid: PLUGINS.trusted.uuid,
							severity: 'soft',
							reason: 'Under review',
						}),
					CAROL,
				);
				const noticeId = notice.stored?.subject as string;
				await world.service.approveAction(hard.actionId, BOB, 'Saw it too');
				assert.deepEqual(await verdictFor(world, PLUGINS.trusted), {
					blocked: true,
					severity: 'hard',
				});
				// The notice is kept, unchanged, after the block.
				const ids = await entryIds(world);
				assert.ok(ids.includes(noticeId), 'the soft notice is kept');
				const held = await world.database.db
					.selectFrom('incident_actions')
					.select('blacklist_entry_id')
					.where('id', '=', hard.actionId)
					.executeTakeFirstOrThrow();
				assert.ok(
					ids.indexOf(String(held.blacklist_entry_id)) < ids.indexOf(noticeId),
					'the hard block comes first',
				);
				// And the whole-registry check still holds the block where it now stands.
				const text = (await world.store.document())?.text as string;
				await world.store.importText(`${text}\n# a comment\n`, ROOT, 'unchanged entries');
			} finally {
				await world.close();
			}
		});
	});

	it('a version block on a quarantined plugin is hard for its versions, the quarantine soft for the rest', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const incidentId = await investigating(world, PLUGINS.community.id);
				await world.service.requestAction(incidentId, 'soft_quarantine', {}, ALICE, 'Suspicious');
				const quarantine = await world.database.db
					.selectFrom('incident_actions')
					.select('blacklist_entry_id')
					.where('kind', '=', 'soft_quarantine')
					.executeTakeFirstOrThrow();
				const version = await world.service.requestAction(
					incidentId,
					'version_block',
					{ versions: '1.0.0' },
					ALICE,
					'Bad release',
				);
				assert.equal(version.state, 'applied');
				assert.deepEqual(await verdictFor(world, PLUGINS.community, '1.0.0'), {
					blocked: true,
					severity: 'hard',
				});
				assert.deepEqual(await verdictFor(world, PLUGINS.community, '1.1.0'), {
					blocked: true,
					severity: 'soft',
				});
				// The quarantine keeps its id: its action still finds it, and reverting it works.
				assert.ok((await entryIds(world)).includes(String(quarantine.blacklist_entry_id)));
			} finally {
				await world.close();
			}
		});
	});

	it('an author block is not outranked by a soft entry on one of the owner plugins', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const incidentId = await investigating(world, PLUGINS.community.id);
				await world.service.requestAction(incidentId, 'soft_quarantine', {}, ALICE, 'Suspicious');
				const author = await world.service.requestAction(
					incidentId,
					'author_block',
					{},
					ALICE,
					'The whole owner',
				);
				await world.service.approveAction(author.actionId, BOB, 'Agreed');
				assert.deepEqual(await verdictFor(world, PLUGINS.community), {
					blocked: true,
					severity: 'hard',
				});
			} finally {
				await world.close();
			}
		});
	});
});

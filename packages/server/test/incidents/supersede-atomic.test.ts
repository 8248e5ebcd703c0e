/**
 * A hard block takes the place of the incident's soft quarantine in one edit: both or neither.
 * Were the quarantine removed on its own first, a hard entry refused afterwards (here the publish
 * backlog filling up between the two) would leave the plugin blocked by nothing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import { MAX_UNPUBLISHED_CHANGES } from '../../src/store/backlog.ts';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	blacklistEntries,
	malwareReport,
	openWorld,
	PLUGINS,
	rejectsWith,
	type World,
} from './world.ts';

/** A publish on record, and changes waiting after it until `room` more fit. */
async function fillBacklog(world: World, room: number): Promise<void> {
	const document = await world.store.document();
	const waiting = await world.database.db
		.selectFrom('changes')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.executeTakeFirstOrThrow();
	const count = MAX_UNPUBLISHED_CHANGES - room - Number(waiting.n);
	const now = new Date().toISOString();
	await world.database.db
		.insertInto('publishes')
		.values({
			lease_epoch: 1,
			holder: 'test',
			revision: document?.revision ?? 1,
			targets_version: 1,
			timestamp_version: 1,
			log_size: 0,
			started_at: now,
			completed_at: now,
		})
		.execute();
	const rows = Array.from({ length: count }, (_, i) => ({
		action: 'incident',
		subject: `filler ${i}`,
		reason: 'filler',
		actor_name: 'test',
		actor_key: null,
		report: null,
		sha256_before: document?.sha256 ?? '',
		sha256_after: document?.sha256 ?? '',
		revision: document?.revision ?? 1,
		created_at: now,
		publish_id: null,
	}));
	await world.database.db.insertInto('changes').values(rows).execute();
}

describe('a hard block superseding the quarantine', () => {
	it('keeps the quarantine when the hard entry cannot be added', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.community;
				const { incidentId } = await world.service.submitReport(malwareReport(plugin.id), {
					clientAddress: '198.51.100.7',
				});
				await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
				const quarantine = await world.service.requestAction(
					incidentId,
					'soft_quarantine',
					{},
					ALICE,
					'While we look',
				);
				// Room for two more logged changes: a removal and its step fit, the block does not.
				await fillBacklog(world, 2);
				await rejectsWith(
					world.service.requestAction(incidentId, 'hard_blacklist', {}, ALICE, 'Malware'),
					'UNAVAILABLE',
				);
				const row = await world.database.db
					.selectFrom('incident_actions')
					.select('state')
					.where('id', '=', quarantine.actionId)
					.executeTakeFirstOrThrow();
				assert.equal(row.state, 'applied');
				const verdict = compileBlacklist(await blacklistEntries(world.store)).check({
					uuid: plugin.uuid,
					url: plugin.url,
				});
				assert.equal(verdict.blocked, true, 'the plugin was left unblocked');
			} finally {
				await world.close();
			}
		});
	});
});

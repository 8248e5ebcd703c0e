/**
 * An appeal cannot be used to let an automatic quarantine lapse. Anyone may appeal a block in
 * force, and an appealed incident can no longer be confirmed (which is what makes an automatic
 * quarantine permanent): a maintainer who denies the appeal has judged the block and keeps it,
 * so the denial makes it permanent too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	blacklistEntries,
	CAROL,
	malwareReport,
	openWorld,
	PLUGINS,
	rejectsWith,
	trustedReporter,
} from './world.ts';

const HOURS = 60 * 60 * 1000;

describe('appeal against an automatic quarantine', () => {
	it('a denied appeal keeps the quarantine past its 72 hours', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.community;
				await world.service.submitReport(malwareReport(plugin.id), trustedReporter(1, 'rita'));
				const { incidentId } = await world.service.submitReport(
					malwareReport(plugin.id),
					trustedReporter(2, 'sam'),
				);
				assert.equal((await blacklistEntries(world.store)).length, 1);
				// The plugin's author appeals at once, from anywhere.
				const appeal = await world.service.fileAppeal(
					incidentId,
					'Nothing wrong here',
					undefined,
					'203.0.113.50',
				);
				// The incident can no longer be confirmed while appealed.
				await rejectsWith(
					world.service.transition(incidentId, 'confirmed', ALICE, 'It is malware'),
					'BAD_REQUEST',
				);
				await world.service.decideAppeal(appeal.appealId, false, ALICE, 'It is malware');
				world.clock.advance(100 * HOURS);
				assert.deepEqual(await world.service.sweep(), { expired: 0 });
				const [entry] = await blacklistEntries(world.store);
				assert.equal(entry?.severity, 'soft');
				const action = await world.database.db
					.selectFrom('incident_actions')
					.selectAll()
					.executeTakeFirstOrThrow();
				assert.equal(action.state, 'applied');
				assert.equal(action.expires_at, null);
			} finally {
				await world.close();
			}
		});
	});
});

describe('automatic quarantine on an incident a maintainer already confirmed', () => {
	it('does not lapse: the confirmation it waits for was given', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.community;
				const { incidentId } = await world.service.submitReport(malwareReport(plugin.id), {
					clientAddress: '198.51.100.7',
				});
				await world.service.transition(incidentId, 'investigating', ALICE, 'Looking');
				await world.service.transition(incidentId, 'confirmed', ALICE, 'It is malware');
				await world.service.submitReport(malwareReport(plugin.id), trustedReporter(1, 'rita'));
				await world.service.submitReport(malwareReport(plugin.id), trustedReporter(2, 'sam'));
				const action = await world.database.db
					.selectFrom('incident_actions')
					.selectAll()
					.executeTakeFirstOrThrow();
				assert.equal(action.automatic, 1);
				assert.equal(action.expires_at, null);
				world.clock.advance(100 * HOURS);
				assert.deepEqual(await world.service.sweep(), { expired: 0 });
				assert.equal((await blacklistEntries(world.store)).length, 1);
			} finally {
				await world.close();
			}
		});
	});
});

describe('a block request left waiting on a closed incident', () => {
	it('does not keep the plugin from being quarantined automatically later', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				// A trusted plugin: its hard block waits for a second maintainer.
				const plugin = PLUGINS.trusted;
				const first = await world.service.submitReport(malwareReport(plugin.id), {
					clientAddress: '198.51.100.7',
				});
				await world.service.transition(first.incidentId, 'investigating', ALICE, 'Looking');
				await world.service.requestAction(
					first.incidentId,
					'soft_quarantine',
					{},
					ALICE,
					'While we look',
				);
				const waiting = await world.service.requestAction(
					first.incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'It looks bad',
				);
				assert.equal(waiting.state, 'awaiting_approval');
				// Its author appeals, and the appeal is granted: the incident is resolved, and the
				// request on it can never be approved.
				const appeal = await world.service.fileAppeal(
					first.incidentId,
					'Not mine',
					undefined,
					'203.0.113.50',
				);
				await world.service.decideAppeal(appeal.appealId, true, CAROL, 'A false alarm');
				assert.deepEqual(await blacklistEntries(world.store), []);

				// Months later the account is taken over: two trusted reporters report malware.
				await world.service.submitReport(malwareReport(plugin.id), trustedReporter(1, 'rita'));
				const second = await world.service.submitReport(
					malwareReport(plugin.id),
					trustedReporter(2, 'sam'),
				);
				assert.notEqual(second.incidentId, first.incidentId);
				const automatic = await world.database.db
					.selectFrom('incident_actions')
					.select(['state', 'automatic'])
					.where('incident_id', '=', second.incidentId)
					.execute();
				assert.deepEqual(automatic, [{ state: 'applied', automatic: 1 }]);
				const [entry] = await blacklistEntries(world.store);
				assert.equal(entry?.severity, 'soft');
			} finally {
				await world.close();
			}
		});
	});
});

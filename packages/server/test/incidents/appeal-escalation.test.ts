/**
 * An appeal stops no block (`appeal-escalation.ts`). Anyone may appeal a block in force, the
 * author of a quarantined plugin first; were an appealed incident closed to new action, the
 * author could appeal the moment the quarantine landed and keep the hard block the evidence
 * calls for from ever being applied. Maintainers escalate on an appealed incident as on any
 * open one, under the same dual control, and the appeal is decided on the blocks then in force:
 * a grant waiting for its second maintainer, which judged fewer blocks, is withdrawn by the new one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openServiceDb } from '../../src/db/open.ts';
import { createIncidentService } from '../../src/incidents/service.ts';
import { forEachEngine } from '../engines.ts';
import { outcome, settledOrWaiting, steppedStore } from './interleave.ts';
import {
	ALICE,
	BOB,
	blacklistEntries,
	CAROL,
	malwareReport,
	openWorld,
	PLUGINS,
	ROOT,
	rejectsWith,
	type World,
} from './world.ts';

async function quarantinedAndAppealed(world: World, pluginId: string) {
	const { incidentId } = await world.service.submitReport(malwareReport(pluginId), {
		clientAddress: '198.51.100.7',
	});
	await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
	await world.service.requestAction(incidentId, 'soft_quarantine', {}, ALICE, 'While we look');
	const appeal = await world.service.fileAppeal(
		incidentId,
		'Nothing wrong here',
		undefined,
		'203.0.113.50',
	);
	return { incidentId, appealId: appeal.appealId };
}

async function stateOf(world: World, table: 'incidents' | 'appeals', id: number) {
	const row = await world.database.db
		.selectFrom(table)
		.select('state')
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
	return row.state;
}

describe('escalating on an appealed incident', () => {
	it('a hard block on new evidence is applied while the appeal is open', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				// A community plugin: one maintainer hard-blocks it.
				const community = await quarantinedAndAppealed(world, PLUGINS.community.id);
				const hard = await world.service.requestAction(
					community.incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'A second sample phones home',
				);
				assert.equal(hard.state, 'applied');
				assert.deepEqual(
					(await blacklistEntries(world.store)).map((entry) => entry.severity),
					['hard'],
				);
				// A trusted plugin: the hard block waits for, and gets, a second maintainer.
				const trusted = await quarantinedAndAppealed(world, PLUGINS.trusted.id);
				const waiting = await world.service.requestAction(
					trusted.incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'A second sample phones home',
				);
				assert.equal(waiting.state, 'awaiting_approval');
				await world.service.approveAction(waiting.actionId, BOB, 'Saw the sample too');
				assert.deepEqual(
					(await blacklistEntries(world.store)).map((entry) => entry.severity),
					['hard', 'hard'],
				);
				// Each appeal stays open, and is decided on the blocks now in force.
				for (const { incidentId, appealId } of [community, trusted]) {
					assert.equal(await stateOf(world, 'incidents', incidentId), 'appealed');
					assert.equal(await stateOf(world, 'appeals', appealId), 'open');
				}
				await world.service.decideAppeal(community.appealId, false, CAROL, 'It is malware');
				assert.equal(await stateOf(world, 'incidents', community.incidentId), 'resolved');
				assert.equal((await blacklistEntries(world.store)).length, 2);
			} finally {
				await world.close();
			}
		});
	});

	it('a block applied while a grant waits for its second maintainer withdraws the grant', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await world.service.submitReport(malwareReport(PLUGINS.trusted.id), {
					clientAddress: '198.51.100.7',
				});
				await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
				const versions = await world.service.requestAction(
					incidentId,
					'version_block',
					{ versions: '>=1.5.0 <1.6.0' },
					ALICE,
					'The 1.5 releases carry the payload',
				);
				await world.service.approveAction(versions.actionId, BOB, 'Saw it too');
				const appeal = await world.service.fileAppeal(incidentId, 'Not mine', undefined, '::1');
				const grant = await world.service.decideAppeal(
					appeal.appealId,
					true,
					CAROL,
					'The 1.5 payload was a test fixture',
				);
				assert.equal(grant.state, 'grant_pending');
				if (grant.state !== 'grant_pending') throw new Error('unreachable');
				// New evidence: every release is bad. Two maintainers block them all.
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'The 1.4 releases carry it too',
				);
				await world.service.approveAction(hard.actionId, BOB, 'Confirmed on 1.4');
				// The grant judged the version block alone: confirmed now, it would lift the new
				// block with it, which nobody judged.
				await rejectsWith(world.service.approveLift(grant.liftId, ROOT, 'Agreed'), 'BAD_REQUEST');
				const entries = await blacklistEntries(world.store);
				assert.deepEqual(
					entries.map((entry) => [entry.severity, entry.versions ?? null]),
					[
						['hard', '>=1.5.0 <1.6.0'],
						['hard', null],
					],
				);
				assert.equal(await stateOf(world, 'appeals', appeal.appealId), 'open');
				const step = await world.database.db
					.selectFrom('incident_events')
					.select('details_json')
					.where('incident_id', '=', incidentId)
					.where('kind', '=', 'approval')
					.orderBy('id', 'desc')
					.executeTakeFirstOrThrow();
				assert.deepEqual(JSON.parse(step.details_json).withdrawnLifts, [grant.liftId]);
			} finally {
				await world.close();
			}
		});
	});

	it('a maintainer approving a block while deciding its appeal is refused the decision', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const database = await openServiceDb(fixture.options);
			const world = await openWorld(fixture, { database });
			try {
				const stepped = steppedStore(world.store);
				const service = createIncidentService({
					db: database,
					clock: world.clock.now,
					store: stepped.store,
					publicBaseUrl: 'https://registry.example.org',
					clientKeySecret: 'a test secret',
				});
				const { incidentId, appealId } = await quarantinedAndAppealed(
					{ ...world, service },
					PLUGINS.trusted.id,
				);
				const waiting = await service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'A second sample phones home',
				);
				// Bob, uninvolved when the appeal's decision starts, approves the block while it runs.
				let decision: Promise<unknown> = Promise.resolve();
				stepped.inNextEdit(async () => {
					decision = service.decideAppeal(appealId, false, BOB, 'It stands');
					await settledOrWaiting(database, decision);
				});
				await service.approveAction(waiting.actionId, BOB, 'Saw the sample too');
				const [decided] = await Promise.allSettled([decision]);
				assert.match(outcome(decided), /^FORBIDDEN/);
				assert.equal(await stateOf(world, 'appeals', appealId), 'open');
				await service.decideAppeal(appealId, false, CAROL, 'It stands');
			} finally {
				await world.close();
			}
		});
	});
});

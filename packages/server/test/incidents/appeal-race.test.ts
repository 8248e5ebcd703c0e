/**
 * An appeal stops no block (D22, `appeal-escalation.ts`): the author of a quarantined plugin
 * could otherwise appeal at once and keep the hard block the evidence calls for from ever being
 * applied. An approval that lands while the author appeals goes through, and the appeal is then
 * decided on every block in force. A decision never settles over a block it did not judge: a
 * one-step grant that finds a block applied while it ran lifts only what it judged and leaves
 * the appeal open. The moments are chosen by hand through the registry reads of the approval and
 * of the grant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openServiceDb } from '../../src/db/open.ts';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	BOB,
	blacklistEntries,
	CAROL,
	malwareReport,
	openWorld,
	PLUGINS,
	steppedService,
} from './world.ts';

describe('an appeal racing an approval', () => {
	it('a grant lifts no block applied while it ran, and leaves the appeal open over it', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const database = await openServiceDb(fixture.options);
			const world = await openWorld(fixture, { database });
			try {
				const stepped = steppedService(world);
				const service = stepped.service;
				const { incidentId } = await service.submitReport(malwareReport(PLUGINS.trusted.id), {
					clientAddress: '198.51.100.7',
				});
				await service.transition(incidentId, 'investigating', ALICE, 'Reading');
				await service.requestAction(incidentId, 'soft_quarantine', {}, ALICE, 'While we look');
				const block = await service.requestAction(
					incidentId,
					'version_block',
					{ versions: '>=1.5.0 <1.6.0' },
					ALICE,
					'The 1.5 releases carry the payload',
				);
				assert.equal(block.state, 'awaiting_approval');

				// The approval passes its incident check, then waits at its first registry read.
				let paused: () => void = () => undefined;
				let resume: () => void = () => undefined;
				const atPause = new Promise<void>((resolve) => {
					paused = resolve;
				});
				const resumed = new Promise<void>((resolve) => {
					resume = resolve;
				});
				stepped.step = async () => {
					paused();
					await resumed;
				};
				const approval = service.approveAction(block.actionId, BOB, 'Saw it too');
				await atPause;
				const appeal = await service.fileAppeal(incidentId, 'Not mine', undefined, '203.0.113.9');
				// The grant judges the quarantine; the approval resumes meanwhile, on an appealed
				// incident.
				let approvalOutcome: unknown;
				stepped.step = async () => {
					resume();
					approvalOutcome = await approval.then(
						() => 'applied',
						(error: { code?: string }) => error.code,
					);
				};
				await assert.rejects(
					service.decideAppeal(appeal.appealId, true, CAROL, 'The quarantine was hasty'),
					(error: { code?: string }) => {
						assert.equal(error.code, 'BAD_REQUEST', String(error));
						return true;
					},
				);
				assert.equal(stepped.step, undefined, 'the approval ran during the grant');

				const row = await database.db
					.selectFrom('incident_actions')
					.select('state')
					.where('id', '=', block.actionId)
					.executeTakeFirstOrThrow();
				assert.notEqual(row.state, 'reverted', 'one maintainer lifted a dual-controlled block');
				assert.equal(approvalOutcome, 'applied', 'the appeal stalled the block');
				assert.equal(row.state, 'applied');
				const entries = await blacklistEntries(world.store);
				assert.deepEqual(
					entries.map((entry) => [entry.severity, entry.versions]),
					[['hard', '>=1.5.0 <1.6.0']],
					'the judged quarantine is lifted, the block applied meanwhile stays',
				);
				const open = await database.db
					.selectFrom('appeals')
					.select('state')
					.where('id', '=', appeal.appealId)
					.executeTakeFirstOrThrow();
				assert.equal(open.state, 'open', 'the grant settled over a block it never judged');
				// Decided again, on the block now in force.
				await service.decideAppeal(appeal.appealId, false, CAROL, 'The 1.5 releases are bad');
			} finally {
				await world.close();
			}
		});
	});
	it('an approval whose incident check passed before the appeal still applies its block', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const database = await openServiceDb(fixture.options);
			const world = await openWorld(fixture, { database });
			try {
				const stepped = steppedService(world);
				const service = stepped.service;
				const { incidentId } = await service.submitReport(malwareReport(PLUGINS.trusted.id), {
					clientAddress: '198.51.100.7',
				});
				await service.transition(incidentId, 'investigating', ALICE, 'Reading');
				await service.requestAction(incidentId, 'soft_quarantine', {}, ALICE, 'While we look');
				const block = await service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'The payload is in every release',
				);
				assert.equal(block.state, 'awaiting_approval');
				// The author appeals while the approval sits between its incident check and its edit.
				stepped.step = async () => {
					await service.fileAppeal(incidentId, 'Not mine', undefined, '203.0.113.9');
				};
				await service.approveAction(block.actionId, BOB, 'Saw it too');
				assert.equal(stepped.step, undefined, 'the appeal was filed during the approval');
				const row = await database.db
					.selectFrom('incident_actions')
					.select('state')
					.where('id', '=', block.actionId)
					.executeTakeFirstOrThrow();
				assert.equal(row.state, 'applied');
				const entries = await blacklistEntries(world.store);
				assert.deepEqual(
					entries.map((entry) => entry.severity),
					['hard'],
					'the hard block took the quarantine’s place while the appeal was filed',
				);
				const incident = await database.db
					.selectFrom('incidents')
					.select('state')
					.where('id', '=', incidentId)
					.executeTakeFirstOrThrow();
				assert.equal(incident.state, 'appealed');
			} finally {
				await world.close();
			}
		});
	});
});

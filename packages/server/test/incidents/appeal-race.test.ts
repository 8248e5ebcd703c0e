/**
 * An appealed incident takes no new action (D22): the appeal answers the blocks in force when it
 * was filed, and whoever decides it judges those. An approval whose incident check passed before
 * the author appealed must not land after the appeal: the block would be in force on an incident
 * whose appeal never judged it, and a grant would resolve the incident with the block still
 * applied and nothing left to appeal. So the approval checks the incident's state again in the
 * transaction that writes its entry. And a grant decided by one maintainer lifts only blocks one
 * maintainer may lift, so it first judges the incident's applied actions: nothing approved while
 * it runs is lifted with the rest. The moments are chosen by hand through the registry reads of
 * the approval and of the grant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openServiceDb } from '../../src/db/open.ts';
import { createIncidentService } from '../../src/incidents/service.ts';
import type { RegistryStore } from '../../src/store/registry-store.ts';
import { forEachEngine } from '../engines.ts';
import { ALICE, BOB, blacklistEntries, CAROL, malwareReport, openWorld, PLUGINS } from './world.ts';

describe('an appeal racing an approval', () => {
	it('a grant lifts no dual-controlled block, and the approval resumed during it adds none', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const database = await openServiceDb(fixture.options);
			const world = await openWorld(fixture, { database });
			try {
				let step: (() => Promise<void>) | undefined;
				const store: RegistryStore = {
					...world.store,
					async registry() {
						const run = step;
						step = undefined;
						await run?.();
						return world.store.registry();
					},
				};
				const service = createIncidentService({
					db: database,
					clock: world.clock.now,
					store,
					publicBaseUrl: 'https://registry.example.org',
					clientKeySecret: 'a test secret',
				});
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
				step = async () => {
					paused();
					await resumed;
				};
				const approval = service.approveAction(block.actionId, BOB, 'Saw it too');
				await atPause;
				const appeal = await service.fileAppeal(incidentId, 'Not mine', undefined, '203.0.113.9');
				// The grant judges the quarantine; the approval resumes meanwhile, on an appealed
				// incident.
				let approvalOutcome: unknown;
				step = async () => {
					resume();
					approvalOutcome = await approval.then(
						() => 'applied',
						(error: { code?: string }) => error.code,
					);
				};
				await service.decideAppeal(appeal.appealId, true, CAROL, 'The quarantine was hasty');
				assert.equal(step, undefined, 'the approval ran during the grant');

				const row = await database.db
					.selectFrom('incident_actions')
					.select('state')
					.where('id', '=', block.actionId)
					.executeTakeFirstOrThrow();
				assert.notEqual(row.state, 'reverted', 'one maintainer lifted a dual-controlled block');
				assert.equal(approvalOutcome, 'BAD_REQUEST', 'the block landed on an appealed incident');
				assert.equal(row.state, 'awaiting_approval');
				assert.deepEqual(await blacklistEntries(world.store), []);
			} finally {
				await world.close();
			}
		});
	});
	it('an approval whose incident check passed before the appeal adds no entry after it', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const database = await openServiceDb(fixture.options);
			const world = await openWorld(fixture, { database });
			try {
				let step: (() => Promise<void>) | undefined;
				const store: RegistryStore = {
					...world.store,
					async registry() {
						const run = step;
						step = undefined;
						await run?.();
						return world.store.registry();
					},
				};
				const service = createIncidentService({
					db: database,
					clock: world.clock.now,
					store,
					publicBaseUrl: 'https://registry.example.org',
					clientKeySecret: 'a test secret',
				});
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
				step = async () => {
					await service.fileAppeal(incidentId, 'Not mine', undefined, '203.0.113.9');
				};
				await assert.rejects(service.approveAction(block.actionId, BOB, 'Saw it too'), (error) => {
					assert.equal((error as { code?: string }).code, 'BAD_REQUEST', String(error));
					return true;
				});
				assert.equal(step, undefined, 'the appeal was filed during the approval');
				const row = await database.db
					.selectFrom('incident_actions')
					.select('state')
					.where('id', '=', block.actionId)
					.executeTakeFirstOrThrow();
				assert.equal(row.state, 'awaiting_approval');
				const entries = await blacklistEntries(world.store);
				assert.deepEqual(
					entries.map((entry) => entry.severity),
					['soft'],
					'only the quarantine the appeal answers is in force',
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

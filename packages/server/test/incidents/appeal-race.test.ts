/**
 * A grant decided by one maintainer lifts only blocks one maintainer may lift (D22), so it first
 * judges the incident's applied actions. A dual-controlled block whose approval was under way
 * when the author appealed (its incident check passed before the appeal, its entry lands while
 * the grant is judged) must not be lifted with the rest: only the actions judged are. The
 * moments are chosen by hand through the registry reads of the approval and of the grant.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openServiceDb } from '../../src/db/open.ts';
import { createIncidentService } from '../../src/incidents/service.ts';
import type { RegistryStore } from '../../src/store/registry-store.ts';
import { forEachEngine } from '../engines.ts';
import { ALICE, BOB, CAROL, malwareReport, openWorld, PLUGINS } from './world.ts';

describe('an appeal grant racing an approval', () => {
	it('does not lift the dual-controlled block approved after its check', async (t) => {
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
				// The grant judges the quarantine; the approval completes meanwhile.
				step = async () => {
					resume();
					await approval;
				};
				await service.decideAppeal(appeal.appealId, true, CAROL, 'The quarantine was hasty');
				assert.equal(step, undefined, 'the approval ran during the grant');

				const row = await database.db
					.selectFrom('incident_actions')
					.select('state')
					.where('id', '=', block.actionId)
					.executeTakeFirstOrThrow();
				assert.equal(row.state, 'applied', 'one maintainer lifted a dual-controlled block');
			} finally {
				await world.close();
			}
		});
	});
});

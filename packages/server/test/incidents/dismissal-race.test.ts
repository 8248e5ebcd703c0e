/**
 * A dismissal lifts the incident's blocks with one maintainer's word, so it first makes sure none
 * was applied under dual control (D22). A dual-controlled block approved while the dismissal runs
 * (after that check, before the blocks are lifted) must not be lifted with the others: only the
 * blocks the check judged are. Nor may the dismissal then go through: the incident would read
 * "dismissed" while a block it holds is in force, and a dismissed incident cannot be appealed, so
 * the author would be left blocked with no way to answer. The dismissal is refused, as it would
 * have been had the approval come first, and the incident stays open to an appeal. The moment is
 * chosen by hand: the approval runs when the check reads the registry for the first action it
 * judges.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
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
	rejectsWith,
	steppedService,
} from './world.ts';

describe('a dismissal racing an approval', () => {
	it('lifts no dual-controlled block approved after its check, and is refused over it', async (t) => {
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
				const quarantine = await service.requestAction(
					incidentId,
					'soft_quarantine',
					{},
					ALICE,
					'While we look',
				);
				assert.equal(quarantine.state, 'applied');
				const block = await service.requestAction(
					incidentId,
					'version_block',
					{ versions: '>=1.5.0 <1.6.0' },
					ALICE,
					'The 1.5 releases carry the payload',
				);
				assert.equal(block.state, 'awaiting_approval');

				stepped.step = () => service.approveAction(block.actionId, BOB, 'Saw it too');
				await rejectsWith(
					service.transition(incidentId, 'dismissed', CAROL, 'Nothing to see'),
					'FORBIDDEN',
				);
				assert.equal(stepped.step, undefined, 'the approval ran during the dismissal');
				const incident = await database.db
					.selectFrom('incidents')
					.select('state')
					.where('id', '=', incidentId)
					.executeTakeFirstOrThrow();
				assert.equal(incident.state, 'investigating', 'dismissed over a block in force');
				// The author can answer the block that stays.
				await service.fileAppeal(incidentId, 'Not mine', undefined, '203.0.113.9');

				const row = await database.db
					.selectFrom('incident_actions')
					.select('state')
					.where('id', '=', block.actionId)
					.executeTakeFirstOrThrow();
				assert.equal(row.state, 'applied', 'one maintainer lifted a dual-controlled block');
				const compiled = compileBlacklist(await blacklistEntries(world.store));
				const verdict = compiled.check({
					uuid: PLUGINS.trusted.uuid,
					url: PLUGINS.trusted.url,
					version: '1.5.2',
				});
				assert.equal(verdict.blocked, true);
			} finally {
				await world.close();
			}
		});
	});
});

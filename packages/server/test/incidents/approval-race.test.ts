/**
 * Two maintainers approving (or one approving while another reverts) the same request at once:
 * exactly one blacklist entry results, and it is the one the action records, so a revert or an
 * undo removes it. An entry the action does not know of could never be taken back.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachEngine } from '../engines.ts';
import { ALICE, BOB, blacklistEntries, malwareReport, openWorld, PLUGINS, ROOT } from './world.ts';

describe('approval race', () => {
	it('two approvals at once apply the action once, and its undo leaves nothing behind', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await world.service.submitReport(
					malwareReport(PLUGINS.community.id),
					{ clientAddress: '198.51.100.7' },
				);
				for (const kind of ['author_block', 'hard_blacklist'] as const) {
					const plugin = kind === 'author_block' ? PLUGINS.community : PLUGINS.trusted;
					const incident =
						kind === 'author_block'
							? incidentId
							: (
									await world.service.submitReport(malwareReport(plugin.id), {
										clientAddress: '198.51.100.8',
									})
								).incidentId;
					const requested = await world.service.requestAction(
						incident,
						kind,
						{},
						ALICE,
						'Taken over',
					);
					assert.equal(requested.state, 'awaiting_approval');
					const outcomes = await Promise.allSettled([
						world.service.approveAction(requested.actionId, BOB, 'yes'),
						world.service.approveAction(requested.actionId, ROOT, 'yes'),
					]);
					assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
					const row = await world.database.db
						.selectFrom('incident_actions')
						.selectAll()
						.where('id', '=', requested.actionId)
						.executeTakeFirstOrThrow();
					assert.equal(row.state, 'applied');
					const entries = await blacklistEntries(world.store);
					assert.equal(entries.length, 1, `${kind}: one entry`);
					const lift = await world.service.revertAction(requested.actionId, BOB, 'Taken back');
					assert.equal(lift.state, 'lift_requested');
					if (lift.state !== 'lift_requested') throw new Error('unreachable');
					await world.service.approveLift(lift.liftId, ROOT, 'Agreed');
					assert.deepEqual(await blacklistEntries(world.store), []);
				}
			} finally {
				await world.close();
			}
		});
	});
});

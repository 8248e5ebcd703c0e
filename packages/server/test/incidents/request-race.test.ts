/**
 * A block request reads what it names in the transaction that records it. A waiting author
 * block holds every plugin listed under its owner (`pending-targets.ts`), so that the pattern
 * approved later still matches them; but an edit checks the waiting requests before it commits.
 * A request recorded from a registry read before that edit committed would be one the edit never
 * saw: a plugin moved out from under the owner in that instant would escape both the hold and
 * the approved block, while the request's own record lists it as held. Here the move is held open
 * just after its check until the request has run as far as it can.
 *
 * Likewise a block one maintainer applies at once is judged again against the document its entry
 * is written to: a plugin made trusted between the request and the entry now needs a second
 * maintainer, and is not hard-blocked by one; nor is its block lifted by one.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import { planPluginEdit } from '@vouch/library/internal/registry/edit/plugin-plans';
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
	steppedService,
} from './world.ts';

const ELSEWHERE = 'https://github.com/elsewhere/cover-art';

describe('a block request racing a registry edit', () => {
	it('an author block holds, and blocks, every plugin it lists as held', async (t) => {
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
				const { incidentId } = await service.submitReport(malwareReport(PLUGINS.community.id), {
					clientAddress: '198.51.100.7',
				});
				await service.transition(incidentId, 'investigating', ALICE, 'Reading');
				// The author's other plugin is moved to another owner; the block is requested while
				// the move has passed its check and not yet committed.
				let request: Promise<{ actionId: number }> = Promise.reject(new Error('not run'));
				request.catch(() => undefined);
				stepped.inNextEdit(async () => {
					request = service.requestAction(
						incidentId,
						'author_block',
						{},
						ALICE,
						'Every repository of this account ships the payload',
					);
					await settledOrWaiting(database, request);
				});
				const [moved] = await Promise.allSettled([
					stepped.store.edit(
						(context) =>
							planPluginEdit(context, PLUGINS.trusted.id, { gitUrl: ELSEWHERE, reason: 'Moved' }),
						CAROL,
						async () => undefined,
					),
				]);
				const { actionId } = await request;
				assert.match(outcome(moved), /^(ok|HELD_BY_INCIDENT)/);

				const step = await database.db
					.selectFrom('incident_events')
					.select('details_json')
					.where('incident_id', '=', incidentId)
					.where('kind', '=', 'action')
					.orderBy('id', 'desc')
					.executeTakeFirstOrThrow();
				const holds = JSON.parse(step.details_json).holds as string[];
				assert.ok(holds.includes(PLUGINS.community.id));

				await service.approveAction(actionId, BOB, 'Saw it too');
				const compiled = compileBlacklist(await blacklistEntries(world.store));
				const listed = (await world.store.registry())?.registry.plugins ?? [];
				for (const id of holds) {
					const plugin = listed.find((p) => p.id === id);
					assert.ok(plugin !== undefined, id);
					assert.equal(
						compiled.check({ uuid: plugin.uuid, url: plugin.gitUrl }).blocked,
						true,
						`${id}, listed as held, escaped the block at ${plugin.gitUrl}`,
					);
				}
			} finally {
				await world.close();
			}
		});
	});

	it('a plugin made trusted while one maintainer blocks it is not hard-blocked by one', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const database = await openServiceDb(fixture.options);
			const world = await openWorld(fixture, { database });
			try {
				const stepped = steppedService(world);
				const service = stepped.service;
				const { incidentId } = await service.submitReport(malwareReport(PLUGINS.community.id), {
					clientAddress: '198.51.100.7',
				});
				await service.transition(incidentId, 'investigating', ALICE, 'Reading');
				// Judged a one-maintainer block of a community plugin; made trusted before it lands.
				stepped.step = async () => {
					await world.store.edit(
						(context) =>
							planPluginEdit(context, PLUGINS.community.id, {
								trust: 'trusted',
								reason: 'Reviewed',
							}),
						CAROL,
					);
				};
				const [blocked] = await Promise.allSettled([
					service.requestAction(incidentId, 'hard_blacklist', {}, ALICE, 'It phones home'),
				]);
				assert.equal(stepped.step, undefined, 'the trust was raised during the request');
				assert.match(outcome(blocked), /^FORBIDDEN/);
				assert.deepEqual(await blacklistEntries(world.store), []);
				// Asked again, it waits for a second maintainer.
				const again = await service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'It phones home',
				);
				assert.equal(again.state, 'awaiting_approval');
			} finally {
				await world.close();
			}
		});
	});

	it('a block of a plugin made trusted while one maintainer reverts it stays', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const database = await openServiceDb(fixture.options);
			const world = await openWorld(fixture, { database });
			try {
				const stepped = steppedService(world, 'after');
				const service = stepped.service;
				const { incidentId } = await service.submitReport(malwareReport(PLUGINS.community.id), {
					clientAddress: '198.51.100.7',
				});
				await service.transition(incidentId, 'investigating', ALICE, 'Reading');
				const block = await service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'It phones home',
				);
				assert.equal(block.state, 'applied');
				// The revert judged the plugin a community one's; it is made trusted before the lift.
				stepped.step = () =>
					world.store.edit(
						(context) =>
							planPluginEdit(context, PLUGINS.community.id, {
								trust: 'trusted',
								reason: 'Reviewed',
							}),
						CAROL,
					);
				const [reverted] = await Promise.allSettled([
					service.revertAction(block.actionId, ALICE, 'Changed my mind'),
				]);
				assert.equal(stepped.step, undefined, 'the trust was raised during the revert');
				assert.match(outcome(reverted), /^BAD_REQUEST/);
				assert.deepEqual(
					(await blacklistEntries(world.store)).map((entry) => entry.severity),
					['hard'],
				);
				// Asked again, the lift waits for a second maintainer.
				const again = await service.revertAction(block.actionId, ALICE, 'Changed my mind');
				assert.equal(again.state, 'lift_requested');
			} finally {
				await world.close();
			}
		});
	});
});

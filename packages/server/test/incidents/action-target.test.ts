/**
 * A block that waits for its second maintainer names a plugin by its registry id; the entry it
 * adds names the plugin's uuid AND its URL. Were the URL read only when the second maintainer
 * approves, one maintainer could move the plugin (a `git_url` edit, free while no entry holds
 * it) between the request and the approval: the approved block would then name the new address,
 * and the copies users installed from the address the two maintainers judged would never be
 * blocked. The plugin as it was requested is what is approved (moved meanwhile, the approval is
 * refused and nothing is added; a respelling of the same address is no move), and the request
 * reads it in the transaction that records it, so a move in that instant is either seen or
 * refused. And while the block waits, no edit may move the plugin (or remove it): else one
 * maintainer could make every approval fail, out of the incident's sight. Refusing the request is
 * the way, on its record.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import {
	planPluginEdit,
	planPluginRemove,
} from '@vouch/library/internal/registry/edit/plugin-plans';
import { openServiceDb } from '../../src/db/open.ts';
import { createIncidentService } from '../../src/incidents/service.ts';
import { forEachEngine } from '../engines.ts';
import { settledOrWaiting, steppedStore } from './interleave.ts';
import {
	ALICE,
	BOB,
	blacklistEntries,
	CAROL,
	malwareReport,
	openWorld,
	PLUGINS,
	rejectsWith,
	type World,
} from './world.ts';

const ELSEWHERE = 'https://github.com/elsewhere/cover-art';

async function awaitingBlock(world: World, pluginId: string = PLUGINS.trusted.id): Promise<number> {
	const { incidentId } = await world.service.submitReport(malwareReport(pluginId), {
		clientAddress: '198.51.100.7',
	});
	await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
	const block = await world.service.requestAction(
		incidentId,
		'hard_blacklist',
		{},
		ALICE,
		'Payload in the release',
	);
	assert.equal(block.state, 'awaiting_approval');
	return block.actionId;
}

function moveTo(world: World, url: string, pluginId: string = PLUGINS.trusted.id) {
	return world.store.edit(
		(context) => planPluginEdit(context, pluginId, { gitUrl: url, reason: 'Moved' }),
		CAROL,
	);
}

async function stateOf(world: World, actionId: number): Promise<string> {
	const row = await world.database.db
		.selectFrom('incident_actions')
		.select('state')
		.where('id', '=', actionId)
		.executeTakeFirstOrThrow();
	return row.state;
}

describe('an approval applies the block to the plugin as it was requested', () => {
	it('a plugin moved as its block is requested is blocked where the request found it', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const database = await openServiceDb(fixture.options);
			const world = await openWorld(fixture, { database });
			try {
				// The request runs while the move has passed its check and not yet committed. It
				// reads the plugin in the transaction that records it, after the move: read before,
				// it would name the old address, which the approval then refuses as moved.
				const stepped = steppedStore(world.store);
				const service = createIncidentService({
					db: database,
					clock: world.clock.now,
					store: stepped.store,
					publicBaseUrl: 'https://registry.example.org',
					clientKeySecret: 'a test secret',
				});
				const { incidentId } = await service.submitReport(malwareReport(PLUGINS.trusted.id), {
					clientAddress: '198.51.100.7',
				});
				await service.transition(incidentId, 'investigating', ALICE, 'Reading');
				let request: Promise<{ actionId: number }> = Promise.reject(new Error('not run'));
				request.catch(() => undefined);
				stepped.inNextEdit(async () => {
					request = service.requestAction(
						incidentId,
						'hard_blacklist',
						{},
						ALICE,
						'Payload in the release',
					);
					await settledOrWaiting(database, request);
				});
				await stepped.store.edit(
					(context) =>
						planPluginEdit(context, PLUGINS.trusted.id, { gitUrl: ELSEWHERE, reason: 'Moved' }),
					CAROL,
					async () => undefined,
				);
				const { actionId } = await request;
				await service.approveAction(actionId, BOB, 'Saw it too');
				assert.equal(await stateOf(world, actionId), 'applied');
				const compiled = compileBlacklist(await blacklistEntries(world.store));
				const verdict = compiled.check({ uuid: PLUGINS.trusted.uuid, url: ELSEWHERE });
				assert.equal(verdict.blocked, true);
			} finally {
				await world.close();
			}
		});
	});

	it('a plugin whose block waits cannot be moved or removed until the request is decided', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const actionId = await awaitingBlock(world);
				// One maintainer, alone, would point the plugin elsewhere before the second approves.
				await assert.rejects(moveTo(world, ELSEWHERE), (error: unknown) => {
					const held = (error as { code?: string; details?: { held?: { action: number }[] } })
						.details?.held;
					assert.equal((error as { code?: string }).code, 'HELD_BY_INCIDENT');
					assert.equal(held?.[0]?.action, actionId);
					return true;
				});
				await rejectsWith(
					world.store.edit(
						(context) => planPluginRemove(context, PLUGINS.trusted.id, 'Gone'),
						CAROL,
					),
					'HELD_BY_INCIDENT',
				);
				await world.service.approveAction(actionId, BOB, 'Saw it too');
				assert.equal(await stateOf(world, actionId), 'applied');
				// Refused instead, the request holds nothing.
				const other = await awaitingBlock(world, PLUGINS.official.id);
				await world.service.revertAction(other, CAROL, 'Not this one');
				await moveTo(world, 'https://github.com/elsewhere/bpm', PLUGINS.official.id);
			} finally {
				await world.close();
			}
		});
	});

	it('a respelling of the same address is no move', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const actionId = await awaitingBlock(world);
				await moveTo(world, `${PLUGINS.trusted.url.replace('github.com', 'GitHub.com')}.git`);
				await world.service.approveAction(actionId, BOB, 'Saw it too');
				assert.equal(await stateOf(world, actionId), 'applied');
			} finally {
				await world.close();
			}
		});
	});
});

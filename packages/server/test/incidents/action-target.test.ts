/**
 * A block that waits for its second maintainer names a plugin by its registry id; the entry it
 * adds names the plugin's uuid AND its URL. Were the URL read only when the second maintainer
 * approves, one maintainer could move the plugin (a `git_url` edit, free while no entry holds
 * it) between the request and the approval: the approved block would then name the new address,
 * and the copies users installed from the address the two maintainers judged would never be
 * blocked. The plugin as it was requested is what is approved: moved meanwhile, the approval is
 * refused and nothing is added; a respelling of the same address is no move. And while the block
 * waits, no edit may move the plugin (or remove it): else one maintainer could make every
 * approval fail, out of the incident's sight. Refusing the request is the way, on its record.
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
import type { RegistryStore } from '../../src/store/registry-store.ts';
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
	it('a plugin moved while its block waited is not blocked at its new address instead', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const database = await openServiceDb(fixture.options);
			const world = await openWorld(fixture, { database });
			try {
				// The move lands just after the request read the plugin, before the request is
				// stored (a move while it waits is refused: see below).
				let afterRead: (() => Promise<unknown>) | undefined;
				const store: RegistryStore = {
					...world.store,
					async registry() {
						const read = await world.store.registry();
						const step = afterRead;
						afterRead = undefined;
						await step?.();
						return read;
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
				afterRead = () => moveTo(world, ELSEWHERE);
				const { actionId } = await service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Payload in the release',
				);
				assert.equal(afterRead, undefined, 'the move ran');
				await rejectsWith(service.approveAction(actionId, BOB, 'Saw it too'), 'BAD_REQUEST');
				assert.equal(await stateOf(world, actionId), 'awaiting_approval');
				assert.deepEqual(await blacklistEntries(world.store), [], 'nothing was added');

				// Moved back, the block the two agreed on applies, and covers the judged copies.
				await moveTo(world, PLUGINS.trusted.url);
				await service.approveAction(actionId, BOB, 'Saw it too');
				const compiled = compileBlacklist(await blacklistEntries(world.store));
				const verdict = compiled.check({ uuid: PLUGINS.trusted.uuid, url: PLUGINS.trusted.url });
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

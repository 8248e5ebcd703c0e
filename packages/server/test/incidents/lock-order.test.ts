/**
 * An approval and an appeal at once both go through. The approval writes the registry document
 * and then the incident; the appeal writes the incident and then logs its step, which takes the
 * document. Taken in those two orders, PostgreSQL finds a deadlock and aborts one of them, and
 * nothing it meant to do is done. Every transaction takes the document first
 * (`store/lock-order.ts`), so one simply waits for the other.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openServiceDb } from '../../src/db/open.ts';
import { createIncidentService } from '../../src/incidents/service.ts';
import type { IncidentService } from '../../src/incidents/types.ts';
import { forEachEngine } from '../engines.ts';
import { outcome, settledOrWaiting, steppedStore } from './interleave.ts';
import {
	ALICE,
	BOB,
	blacklistEntries,
	malwareReport,
	openWorld,
	PLUGINS,
	type World,
} from './world.ts';

/** An incident with a quarantine in force (so it may be appealed) and a block awaiting approval. */
async function blockAwaitingApproval(service: IncidentService, pluginId: string, client: string) {
	const { incidentId } = await service.submitReport(malwareReport(pluginId), {
		clientAddress: client,
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
	return { incidentId, actionId: block.actionId };
}

async function assertBothApplied(world: World, incidentId: number, actionId: number) {
	const action = await world.database.db
		.selectFrom('incident_actions')
		.select('state')
		.where('id', '=', actionId)
		.executeTakeFirstOrThrow();
	assert.equal(action.state, 'applied');
	const incident = await world.database.db
		.selectFrom('incidents')
		.select('state')
		.where('id', '=', incidentId)
		.executeTakeFirstOrThrow();
	assert.equal(incident.state, 'appealed');
	const appeals = await world.database.db
		.selectFrom('appeals')
		.select('state')
		.where('incident_id', '=', incidentId)
		.execute();
	assert.deepEqual(appeals, [{ state: 'open' }]);
}

/** `count` trusted plugins, each under its own owner, so each gets an incident of its own. */
function registryOf(count: number): string {
	const plugins = Array.from({ length: count }, (_, i) =>
		[
			'[[plugins]]',
			`id = "plugin-${i}"`,
			`uuid = "00000000-0000-4000-8000-${String(i).padStart(12, '0')}"`,
			`name = "Plugin ${i}"`,
			'description = "A trusted plugin"',
			`git_url = "https://github.com/owner-${i}/plugin-${i}"`,
			'categories = ["metadata"]',
			'trust_level = "trusted"',
			'added_at = "2026-01-01T00:00:00Z"',
			'updated_at = "2026-01-01T00:00:00Z"',
			'',
		].join('\n'),
	);
	return `api_version = "3.0"\n\n${plugins.join('\n')}`;
}

describe('lock order', () => {
	it('an appeal filed while an approval writes its entry waits for it; neither fails', async (t) => {
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
				const { incidentId, actionId } = await blockAwaitingApproval(
					service,
					PLUGINS.trusted.id,
					'198.51.100.7',
				);
				// The approval has written the document and is about to write the incident; the
				// appeal starts then, and runs until it waits for a lock the approval holds.
				let appeal: Promise<unknown> = Promise.resolve();
				stepped.inNextEdit(async () => {
					appeal = service.fileAppeal(incidentId, 'Not mine', undefined, '203.0.113.9');
					await settledOrWaiting(database, appeal);
				});
				const approval = service.approveAction(actionId, BOB, 'Saw it too');
				const [approved] = await Promise.allSettled([approval]);
				const [appealed] = await Promise.allSettled([appeal]);
				assert.deepEqual([outcome(approved), outcome(appealed)], ['ok', 'ok']);
				await assertBothApplied(world, incidentId, actionId);
				assert.deepEqual(
					(await blacklistEntries(world.store)).map((entry) => entry.severity),
					['hard', 'soft'],
				);
			} finally {
				await world.close();
			}
		});
	});

	it('approvals and appeals sent together, many times, all go through', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const rounds = 12;
			const world = await openWorld(fixture, { registry: registryOf(rounds) });
			try {
				for (let i = 0; i < rounds; i++) {
					const { incidentId, actionId } = await blockAwaitingApproval(
						world.service,
						`plugin-${i}`,
						`198.51.100.${i + 1}`,
					);
					const settled = await Promise.allSettled([
						world.service.fileAppeal(incidentId, 'Not mine', undefined, `203.0.113.${i + 1}`),
						world.service.approveAction(actionId, BOB, 'Saw it too'),
					]);
					assert.deepEqual(settled.map(outcome), ['ok', 'ok'], `round ${i}`);
					await assertBothApplied(world, incidentId, actionId);
				}
			} finally {
				await world.close();
			}
		});
	});
});

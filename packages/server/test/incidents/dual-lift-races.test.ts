/**
 * Ways around the two-maintainer lift (D22) that must fail: approvals racing (the entry is
 * removed once), an approval racing a refusal (the outcome and the blacklist agree), two lift
 * requests at once, approving a lift whose action was lifted otherwise meanwhile, and dismissing
 * the incident to lift its blocks with one word.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { forEachEngine } from '../engines.ts';
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

async function dualBlock(world: World) {
	const { incidentId } = await world.service.submitReport(malwareReport(PLUGINS.official.id), {
		clientAddress: '198.51.100.7',
	});
	await world.service.transition(incidentId, 'investigating', ALICE, 'Reading');
	const { actionId } = await world.service.requestAction(
		incidentId,
		'hard_blacklist',
		{},
		ALICE,
		'Payload',
	);
	await world.service.approveAction(actionId, BOB, 'Agreed');
	return { incidentId, actionId };
}

async function liftFor(world: World, actionId: number, actor = ALICE): Promise<number> {
	const outcome = await world.service.revertAction(actionId, actor, 'Lift it');
	assert.equal(outcome.state, 'lift_requested');
	return outcome.state === 'lift_requested' ? outcome.liftId : -1;
}

async function removals(world: World): Promise<number> {
	const rows = await world.database.db
		.selectFrom('changes')
		.select('seq')
		.where('action', '=', 'blacklist_remove')
		.execute();
	return rows.length;
}

describe('lift races and detours', () => {
	it('two approvals at once lift once', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { actionId } = await dualBlock(world);
				const liftId = await liftFor(world, actionId);
				const outcomes = await Promise.allSettled([
					world.service.approveLift(liftId, BOB, 'yes'),
					world.service.approveLift(liftId, ROOT, 'yes'),
					world.service.approveLift(liftId, CAROL, 'yes'),
				]);
				assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
				for (const outcome of outcomes) {
					if (outcome.status === 'rejected')
						assert.equal((outcome.reason as { code?: string }).code, 'BAD_REQUEST');
				}
				assert.deepEqual(await blacklistEntries(world.store), []);
				assert.equal(await removals(world), 1);
				const events = await world.database.db
					.selectFrom('incident_events')
					.select('kind')
					.where('kind', '=', 'revert')
					.execute();
				assert.equal(events.length, 1);
			} finally {
				await world.close();
			}
		});
	});

	it('an approval racing a refusal: the request and the blacklist agree', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { actionId } = await dualBlock(world);
				const liftId = await liftFor(world, actionId);
				const [approved, refused] = await Promise.allSettled([
					world.service.approveLift(liftId, BOB, 'yes'),
					world.service.refuseLift(liftId, CAROL, 'no'),
				]);
				assert.notEqual(approved.status, refused.status, 'exactly one decides');
				const lift = await world.database.db
					.selectFrom('lift_requests')
					.selectAll()
					.where('id', '=', liftId)
					.executeTakeFirstOrThrow();
				const blocked = (await blacklistEntries(world.store)).length === 1;
				assert.equal(lift.state, approved.status === 'fulfilled' ? 'approved' : 'refused');
				assert.equal(blocked, lift.state === 'refused');
				assert.equal(lift.pending_key, null);
			} finally {
				await world.close();
			}
		});
	});

	it('two maintainers asking at once leave one request', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { actionId } = await dualBlock(world);
				const outcomes = await Promise.allSettled([
					world.service.revertAction(actionId, ALICE, 'one'),
					world.service.revertAction(actionId, CAROL, 'two'),
				]);
				assert.equal(outcomes.filter((o) => o.status === 'fulfilled').length, 1);
				const rejected = outcomes.find((o) => o.status === 'rejected');
				assert.equal((rejected?.reason as { code?: string } | undefined)?.code, 'BAD_REQUEST');
				const pending = await world.database.db
					.selectFrom('lift_requests')
					.select('id')
					.where('state', '=', 'pending')
					.execute();
				assert.equal(pending.length, 1);
				assert.equal((await blacklistEntries(world.store)).length, 1);
			} finally {
				await world.close();
			}
		});
	});

	it('approving a lift whose action was lifted meanwhile does nothing and closes it', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId, actionId } = await dualBlock(world);
				const liftId = await liftFor(world, actionId);
				await world.service.transition(incidentId, 'confirmed', ALICE, 'Confirmed');
				const { appealId } = await world.service.fileAppeal(
					incidentId,
					'Not malware',
					undefined,
					'203.0.113.9',
				);
				const grant = await world.service.decideAppeal(appealId, true, CAROL, 'Benign');
				assert.equal(grant.state, 'grant_pending');
				await world.service.approveLift(
					grant.state === 'grant_pending' ? grant.liftId : -1,
					ROOT,
					'Benign indeed',
				);
				assert.deepEqual(await blacklistEntries(world.store), []);
				const removed = await removals(world);
				const lift = await world.database.db
					.selectFrom('lift_requests')
					.select('state')
					.where('id', '=', liftId)
					.executeTakeFirstOrThrow();
				assert.equal(lift.state, 'closed');
				await rejectsWith(world.service.approveLift(liftId, BOB, 'late'), 'BAD_REQUEST');
				await rejectsWith(world.service.refuseLift(liftId, BOB, 'late'), 'BAD_REQUEST');
				await rejectsWith(world.service.revertAction(actionId, BOB, 'again'), 'BAD_REQUEST');
				assert.equal(await removals(world), removed);
			} finally {
				await world.close();
			}
		});
	});

	it('a dismissal cannot lift a dual block; once two lifted it, the incident may be dismissed', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId, actionId } = await dualBlock(world);
				await rejectsWith(
					world.service.transition(incidentId, 'dismissed', BOB, 'False alarm'),
					'FORBIDDEN',
				);
				assert.equal((await blacklistEntries(world.store)).length, 1);
				const state = await world.database.db
					.selectFrom('incidents')
					.select('state')
					.where('id', '=', incidentId)
					.executeTakeFirstOrThrow();
				assert.equal(state.state, 'investigating');
				await world.service.approveLift(await liftFor(world, actionId, BOB), CAROL, 'Agreed');
				await world.service.transition(incidentId, 'dismissed', BOB, 'False alarm');
				assert.deepEqual(await blacklistEntries(world.store), []);
			} finally {
				await world.close();
			}
		});
	});
});

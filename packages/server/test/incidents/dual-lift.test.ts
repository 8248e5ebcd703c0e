/**
 * A block that two maintainers applied takes two to lift (D22). One maintainer's revert, undo
 * or granted appeal only records a lift request, and the signed blacklist keeps the entry until
 * a different maintainer approves; the one who asked cannot; a refusal keeps the block. Blocks
 * one maintainer could apply still lift in one step, and the sweep still lapses the automatic
 * quarantine.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ReversalOutcome } from '../../src/incidents/types.ts';
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
	trustedReporter,
	type World,
} from './world.ts';

const MINUTES = 60 * 1000;

/** An incident about the trusted plugin, hard-blocked by Alice with Bob's approval. */
async function dualBlock(world: World, address = '198.51.100.7') {
	const { incidentId } = await world.service.submitReport(malwareReport(PLUGINS.trusted.id), {
		clientAddress: address,
	});
	await world.service.transition(incidentId, 'investigating', ALICE, 'Reading the code');
	const { actionId } = await world.service.requestAction(
		incidentId,
		'hard_blacklist',
		{},
		ALICE,
		'Payload in the release',
	);
	await world.service.approveAction(actionId, BOB, 'Saw the payload too');
	assert.equal(await trustedBlocked(world), true);
	return { incidentId, actionId };
}

async function trustedBlocked(world: World): Promise<boolean> {
	return (await blacklistEntries(world.store)).some((entry) => entry.uuid === PLUGINS.trusted.uuid);
}

async function actionState(world: World, id: number): Promise<string> {
	const row = await world.database.db
		.selectFrom('incident_actions')
		.select('state')
		.where('id', '=', id)
		.executeTakeFirstOrThrow();
	return row.state;
}

function liftIdOf(outcome: ReversalOutcome): number {
	assert.equal(outcome.state, 'lift_requested');
	return outcome.state === 'lift_requested' ? outcome.liftId : -1;
}

describe('lifting a block applied under dual control', () => {
	it('a revert is a request; the requester cannot approve it; a second maintainer lifts it, logged twice', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId, actionId } = await dualBlock(world);
				// Bob approved the block; alone he can no longer take it back.
				const liftId = liftIdOf(await world.service.revertAction(actionId, BOB, 'Changed my mind'));
				assert.equal(await actionState(world, actionId), 'applied');
				assert.equal(await trustedBlocked(world), true);
				await rejectsWith(world.service.approveLift(liftId, BOB, 'Agreeing with me'), 'FORBIDDEN');
				await rejectsWith(world.service.revertAction(actionId, BOB, 'Again'), 'BAD_REQUEST');
				// A second revert is no way around it: it points at the request that waits.
				await rejectsWith(world.service.revertAction(actionId, CAROL, 'Me too'), 'BAD_REQUEST');
				assert.equal(await trustedBlocked(world), true);

				const approval = await world.service.approveLift(liftId, CAROL, 'The release was clean');
				assert.deepEqual(approval, { liftId, state: 'approved', outcome: 'reverted', actionId });
				assert.equal(await actionState(world, actionId), 'reverted');
				assert.equal(await trustedBlocked(world), false);
				await rejectsWith(world.service.approveLift(liftId, ROOT, 'twice'), 'BAD_REQUEST');

				const subjects = (
					await world.database.db
						.selectFrom('changes')
						.select(['subject', 'actor_name', 'action'])
						.orderBy('seq')
						.execute()
				).map((row) => `${row.action} ${row.actor_name}: ${row.subject}`);
				assert.ok(
					subjects.includes(
						`incident bob: incident ${incidentId}: revert of hard_blacklist (action ${actionId}) requested, awaiting a second maintainer (lift ${liftId})`,
					),
					subjects.join('\n'),
				);
				assert.ok(
					subjects.includes(
						`incident carol: incident ${incidentId}: hard_blacklist reverted (action ${actionId}), lift ${liftId} approved`,
					),
					subjects.join('\n'),
				);
				assert.equal(subjects.filter((s) => s.startsWith('blacklist_remove carol')).length, 1);
				const events = await world.database.db
					.selectFrom('incident_events')
					.select(['kind', 'actor_name', 'details_json'])
					.where('kind', 'in', ['lift', 'revert'])
					.orderBy('id')
					.execute();
				assert.deepEqual(
					events.map((event) => [event.kind, event.actor_name]),
					[
						['lift', 'bob'],
						['revert', 'carol'],
					],
				);
				assert.equal(JSON.parse(events[1]?.details_json ?? '{}').liftRequestedBy, 'bob');
			} finally {
				await world.close();
			}
		});
	});

	it('a refused lift leaves the block; the requester may withdraw; a later request can still pass', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { actionId } = await dualBlock(world);
				const first = liftIdOf(await world.service.revertAction(actionId, ALICE, 'Undo it'));
				assert.deepEqual(await world.service.refuseLift(first, BOB, 'The payload is real'), {
					liftId: first,
					state: 'refused',
				});
				assert.equal(await trustedBlocked(world), true);
				assert.equal(await actionState(world, actionId), 'applied');
				await rejectsWith(world.service.approveLift(first, CAROL, 'late'), 'BAD_REQUEST');

				const second = liftIdOf(await world.service.revertAction(actionId, ALICE, 'Please'));
				await world.service.refuseLift(second, ALICE, 'Withdrawn');
				assert.equal(await trustedBlocked(world), true);

				const third = liftIdOf(await world.service.revertAction(actionId, ALICE, 'Benign'));
				await world.service.approveLift(third, ROOT, 'Agreed');
				assert.equal(await trustedBlocked(world), false);
			} finally {
				await world.close();
			}
		});
	});

	it('an undo asked within the 10 minutes is still an undo when approved after them', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await world.service.submitReport(
					malwareReport(PLUGINS.community.id),
					{ clientAddress: '198.51.100.7' },
				);
				const block = await world.service.requestAction(
					incidentId,
					'author_block',
					{},
					ALICE,
					'Owner taken over',
				);
				await world.service.approveAction(block.actionId, BOB, 'Seen it');
				world.clock.advance(9 * MINUTES);
				const liftId = liftIdOf(await world.service.undoAction(block.actionId, ALICE, 'Too wide'));
				assert.equal((await blacklistEntries(world.store)).length, 1);
				world.clock.advance(30 * MINUTES);
				const approval = await world.service.approveLift(liftId, BOB, 'Agreed');
				assert.equal(approval.outcome, 'undone');
				assert.equal(await actionState(world, block.actionId), 'undone');
				assert.equal((await blacklistEntries(world.store)).length, 0);

				// Asked after the window, an undo is refused; a revert is the way.
				const again = await world.service.requestAction(
					incidentId,
					'author_block',
					{},
					ALICE,
					'Again',
				);
				await world.service.approveAction(again.actionId, BOB, 'Yes');
				world.clock.advance(11 * MINUTES);
				await rejectsWith(world.service.undoAction(again.actionId, ALICE, 'late'), 'BAD_REQUEST');
				assert.equal((await blacklistEntries(world.store)).length, 1);
			} finally {
				await world.close();
			}
		});
	});

	it('a granted appeal over a dual block waits for a second uninvolved maintainer', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId, actionId } = await dualBlock(world);
				await world.service.transition(incidentId, 'confirmed', ALICE, 'Confirmed');
				const { appealId } = await world.service.fileAppeal(
					incidentId,
					'Not malware',
					undefined,
					'203.0.113.9',
				);
				const grant = await world.service.decideAppeal(appealId, true, CAROL, 'Benign');
				assert.equal(grant.state, 'grant_pending');
				const liftId = grant.state === 'grant_pending' ? grant.liftId : -1;
				assert.equal(await trustedBlocked(world), true);
				const appealState = async () =>
					(
						await world.database.db
							.selectFrom('appeals')
							.selectAll()
							.where('id', '=', appealId)
							.executeTakeFirstOrThrow()
					).state;
				assert.equal(await appealState(), 'open');
				// The decider, and those who blocked, do not confirm; nobody decides it twice meanwhile.
				await rejectsWith(world.service.approveLift(liftId, CAROL, 'mine'), 'FORBIDDEN');
				await rejectsWith(world.service.approveLift(liftId, ALICE, 'fine'), 'FORBIDDEN');
				await rejectsWith(world.service.approveLift(liftId, BOB, 'fine'), 'FORBIDDEN');
				await rejectsWith(world.service.refuseLift(liftId, BOB, 'keep it'), 'FORBIDDEN');
				await rejectsWith(world.service.decideAppeal(appealId, false, ROOT, 'no'), 'BAD_REQUEST');
				await rejectsWith(world.service.decideAppeal(appealId, true, ROOT, 'yes'), 'BAD_REQUEST');
				assert.equal(await trustedBlocked(world), true);

				// Refused: the appeal stays open and the block in force.
				await world.service.refuseLift(liftId, ROOT, 'Not convinced');
				assert.equal(await appealState(), 'open');
				assert.equal(await trustedBlocked(world), true);

				const again = await world.service.decideAppeal(appealId, true, CAROL, 'New evidence');
				assert.equal(again.state, 'grant_pending');
				const confirm = await world.service.approveLift(
					again.state === 'grant_pending' ? again.liftId : -1,
					ROOT,
					'Convinced now',
				);
				assert.equal(confirm.outcome, 'granted');
				assert.equal(await trustedBlocked(world), false);
				assert.equal(await actionState(world, actionId), 'reverted');
				const appeal = await world.database.db
					.selectFrom('appeals')
					.selectAll()
					.where('id', '=', appealId)
					.executeTakeFirstOrThrow();
				assert.equal(appeal.state, 'granted');
				assert.equal(appeal.decided_by, 'carol');
				const incident = await world.database.db
					.selectFrom('incidents')
					.select('state')
					.where('id', '=', incidentId)
					.executeTakeFirstOrThrow();
				assert.equal(incident.state, 'resolved');
			} finally {
				await world.close();
			}
		});
	});

	it('blocks one maintainer could apply lift in one step, by revert and by appeal; the sweep still lapses', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await world.service.submitReport(
					malwareReport(PLUGINS.community.id),
					{ clientAddress: '198.51.100.7' },
				);
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Malware',
				);
				assert.equal(hard.state, 'applied');
				assert.deepEqual(await world.service.revertAction(hard.actionId, ALICE, 'Wrong'), {
					state: 'reverted',
				});
				assert.equal((await blacklistEntries(world.store)).length, 0);

				await world.service.requestAction(incidentId, 'soft_quarantine', {}, ALICE, 'Suspicious');
				const { appealId } = await world.service.fileAppeal(
					incidentId,
					'Benign',
					undefined,
					'203.0.113.9',
				);
				assert.deepEqual(await world.service.decideAppeal(appealId, true, BOB, 'Benign'), {
					state: 'granted',
				});
				assert.equal((await blacklistEntries(world.store)).length, 0);

				// Two trusted reporters quarantine the trusted plugin automatically; it lapses alone.
				await world.service.submitReport(
					malwareReport(PLUGINS.trusted.id),
					trustedReporter(1, 'rita'),
				);
				await world.service.submitReport(
					malwareReport(PLUGINS.trusted.id),
					trustedReporter(2, 'sam'),
				);
				assert.equal((await blacklistEntries(world.store)).length, 1);
				world.clock.advance(73 * 60 * MINUTES);
				assert.deepEqual(await world.service.sweep(), { expired: 1 });
				assert.equal((await blacklistEntries(world.store)).length, 0);
				assert.equal(
					await world.database.db.selectFrom('lift_requests').select('id').executeTakeFirst(),
					undefined,
				);
			} finally {
				await world.close();
			}
		});
	});

	it('a block of a plugin since made trusted takes two to lift, whatever id it is listed under now', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const plugin = PLUGINS.community;
				const { incidentId } = await world.service.submitReport(malwareReport(plugin.id), {
					clientAddress: '198.51.100.7',
				});
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Malware',
				);
				assert.equal(hard.state, 'applied', 'one maintainer blocks a community plugin');
				// The plugin is made trusted, and listed again under a new id: the same repository
				// and uuid, which the block still matches.
				const text = (await world.store.document())?.text ?? '';
				const start = text.indexOf(`id = "${plugin.id}"`);
				const end = text.indexOf('[[plugins]]', start);
				const section = text
					.slice(start, end)
					.replace(`id = "${plugin.id}"`, 'id = "lyrics-grabber"')
					.replace('trust_level = "community"', 'trust_level = "trusted"');
				await world.store.importText(
					text.slice(0, start) + section + text.slice(end),
					ROOT,
					'Reviewed and renamed',
				);
				const revert = await world.service.revertAction(hard.actionId, CAROL, 'Lift it');
				assert.equal(revert.state, 'lift_requested', 'one maintainer lifted it alone');
				assert.equal((await blacklistEntries(world.store)).length, 1);
			} finally {
				await world.close();
			}
		});
	});
});

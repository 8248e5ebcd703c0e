/**
 * Actions are blacklist edits with a reason, each reversible; dual control holds the risky
 * ones for a second maintainer; a mass action can be undone for 10 minutes; an appeal granted
 * reverts every block of its incident in one step.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { escapePattern } from '../../src/incidents/blacklist-entry.ts';
import { hiddenPluginIds } from '../../src/incidents/hidden-plugins.ts';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	ANONYMOUS,
	BOB,
	blacklistEntries,
	CAROL,
	malwareReport,
	openWorld,
	PLUGINS,
	REPORTER_ACTOR,
	ROOT,
	rejectsWith,
	type World,
} from './world.ts';

async function investigating(world: World, pluginId: string, address = '198.51.100.7') {
	const receipt = await world.service.submitReport(malwareReport(pluginId), {
		clientAddress: address,
	});
	await world.service.transition(receipt.incidentId, 'investigating', ALICE, 'Reading the code');
	return receipt;
}

async function actionState(world: World, id: number) {
	return (
		await world.database.db
			.selectFrom('incident_actions')
			.selectAll()
			.where('id', '=', id)
			.executeTakeFirstOrThrow()
	).state;
}

describe('incident actions', () => {
	it('a soft quarantine of a community plugin applies at once, and a revert removes it', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await investigating(world, PLUGINS.community.id);
				await rejectsWith(
					world.service.requestAction(incidentId, 'soft_quarantine', {}, ALICE, ''),
					'BAD_REQUEST',
				);
				await rejectsWith(
					world.service.requestAction(incidentId, 'soft_quarantine', {}, REPORTER_ACTOR, 'x'),
					'FORBIDDEN',
				);
				const action = await world.service.requestAction(
					incidentId,
					'soft_quarantine',
					{},
					ALICE,
					'Sends tokens away',
				);
				assert.equal(action.state, 'applied');
				const [entry] = await blacklistEntries(world.store);
				assert.equal(entry?.uuid, PLUGINS.community.uuid);
				assert.equal(entry?.url, PLUGINS.community.url);
				assert.equal(entry?.severity, 'soft');
				assert.equal(entry?.reason, 'Sends tokens away');
				const incident = await world.database.db
					.selectFrom('incidents')
					.selectAll()
					.executeTakeFirstOrThrow();
				assert.equal(incident.severity, 'soft');
				assert.deepEqual(await hiddenPluginIds(world.database.db), [PLUGINS.community.id]);

				// A hard blacklist supersedes it: one entry, hard.
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{},
					ALICE,
					'Confirmed malware',
				);
				assert.equal(hard.state, 'applied');
				assert.equal(await actionState(world, action.actionId), 'reverted');
				const entries = await blacklistEntries(world.store);
				assert.equal(entries.length, 1);
				assert.equal(entries[0]?.severity, 'hard');

				await rejectsWith(world.service.revertAction(hard.actionId, ALICE, ''), 'BAD_REQUEST');
				await world.service.revertAction(hard.actionId, BOB, 'False alarm after all');
				assert.equal(await actionState(world, hard.actionId), 'reverted');
				assert.equal((await blacklistEntries(world.store)).length, 0);
				assert.deepEqual(await hiddenPluginIds(world.database.db), [], 'back in browse');
				await rejectsWith(world.service.revertAction(hard.actionId, BOB, 'again'), 'BAD_REQUEST');
				// An undo is for mass actions only.
				await rejectsWith(world.service.undoAction(action.actionId, BOB, 'x'), 'BAD_REQUEST');

				const changes = await world.database.db
					.selectFrom('changes')
					.select(['action', 'subject'])
					.orderBy('seq')
					.execute();
				assert.ok(changes.some((change) => change.action === 'blacklist_add'));
				assert.ok(changes.some((change) => change.action === 'blacklist_remove'));
				assert.ok(
					changes.some(
						(change) =>
							change.subject ===
							`incident ${incidentId}: hard_blacklist applied (action ${hard.actionId})`,
					),
				);
			} finally {
				await world.close();
			}
		});
	});

	it('dual control: a hard block of a trusted plugin waits for a different maintainer', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				for (const plugin of [PLUGINS.trusted, PLUGINS.official]) {
					const { incidentId } = await investigating(world, plugin.id);
					const requested = await world.service.requestAction(
						incidentId,
						'hard_blacklist',
						{},
						ALICE,
						'Malware in a release',
					);
					assert.equal(requested.state, 'awaiting_approval');
					assert.equal(
						(await blacklistEntries(world.store)).some((entry) => entry.uuid === plugin.uuid),
						false,
					);
					await rejectsWith(
						world.service.approveAction(requested.actionId, ALICE, 'I agree with myself'),
						'FORBIDDEN',
					);
					await rejectsWith(
						world.service.approveAction(requested.actionId, REPORTER_ACTOR, 'me too'),
						'FORBIDDEN',
					);
					await world.service.approveAction(requested.actionId, BOB, 'Checked the release myself');
					const row = await world.database.db
						.selectFrom('incident_actions')
						.selectAll()
						.where('id', '=', requested.actionId)
						.executeTakeFirstOrThrow();
					assert.equal(row.state, 'applied');
					assert.equal(row.approved_by, 'bob');
					assert.equal(row.requested_by, 'alice');
					const entry = (await blacklistEntries(world.store)).find((e) => e.uuid === plugin.uuid);
					assert.equal(entry?.severity, 'hard');
					await rejectsWith(
						world.service.approveAction(requested.actionId, ROOT, 'again'),
						'BAD_REQUEST',
					);
				}
				// A version block of a trusted plugin also waits; a soft quarantine does not.
				const { incidentId } = await investigating(world, PLUGINS.community.id);
				const soft = await world.service.requestAction(
					incidentId,
					'soft_quarantine',
					{},
					ALICE,
					'Soft first',
				);
				assert.equal(soft.state, 'applied');
			} finally {
				await world.close();
			}
		});
	});

	it('a dismissal refuses requests still waiting for approval, so a reopen does not revive them', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await investigating(world, PLUGINS.community.id);
				const requested = await world.service.requestAction(
					incidentId,
					'author_block',
					{},
					ALICE,
					'The owner account was taken over',
				);
				assert.equal(requested.state, 'awaiting_approval');
				await world.service.transition(incidentId, 'dismissed', ALICE, 'A false alarm');
				assert.equal(await actionState(world, requested.actionId), 'refused');
				await world.service.transition(incidentId, 'investigating', ALICE, 'Reopened');
				await rejectsWith(
					world.service.approveAction(requested.actionId, BOB, 'Approving the old request'),
					'BAD_REQUEST',
				);
				assert.equal((await blacklistEntries(world.store)).length, 0);
			} finally {
				await world.close();
			}
		});
	});

	it('an author block is a mass action: dual control, then an undo window of 10 minutes', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await investigating(world, PLUGINS.community.id);
				const requested = await world.service.requestAction(
					incidentId,
					'author_block',
					{},
					ALICE,
					'The owner account was taken over',
				);
				assert.equal(requested.state, 'awaiting_approval');
				await world.service.approveAction(requested.actionId, BOB, 'Seen the takeover report');
				const entry = (await blacklistEntries(world.store)).find((e) => e.urlRegex !== undefined);
				assert.equal(entry?.urlRegex, `^${escapePattern('https://github.com/someone/')}`);
				assert.equal(entry?.urlRegex, '^https://github\\.com/someone/');

				world.clock.advance(9 * 60 * 1000);
				// Two maintainers applied it, so an undo is a lift request until a second one agrees.
				const undo = await world.service.undoAction(requested.actionId, BOB, 'Blocked too much');
				assert.equal(undo.state, 'lift_requested');
				assert.equal(await actionState(world, requested.actionId), 'applied');
				assert.equal((await blacklistEntries(world.store)).length, 1);
				if (undo.state !== 'lift_requested') throw new Error('unreachable');
				await world.service.approveLift(undo.liftId, ALICE, 'Agreed, too wide');
				assert.equal(await actionState(world, requested.actionId), 'undone');
				assert.equal((await blacklistEntries(world.store)).length, 0);

				const again = await world.service.requestAction(
					incidentId,
					'author_block',
					{ ownerUrl: 'https://github.com/someone' },
					ALICE,
					'Blocking again',
				);
				await world.service.approveAction(again.actionId, ROOT, 'Yes');
				world.clock.advance(10 * 60 * 1000 + 1);
				await rejectsWith(world.service.undoAction(again.actionId, BOB, 'too late'), 'BAD_REQUEST');
				const revert = await world.service.revertAction(
					again.actionId,
					BOB,
					'Reverted after the window',
				);
				assert.equal(revert.state, 'lift_requested');
				if (revert.state !== 'lift_requested') throw new Error('unreachable');
				await world.service.approveLift(revert.liftId, ROOT, 'Agreed');
				assert.equal(await actionState(world, again.actionId), 'reverted');

				// A pattern that is not an owner URL is refused before anything is stored.
				await rejectsWith(
					world.service.requestAction(
						incidentId,
						'author_block',
						{ ownerUrl: 'https://github.com' },
						ALICE,
						'all of it',
					),
					'BAD_REQUEST',
				);
			} finally {
				await world.close();
			}
		});
	});

	it('a version block takes a semver range; a refused request changes nothing', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await investigating(world, PLUGINS.community.id);
				await rejectsWith(
					world.service.requestAction(incidentId, 'version_block', {}, ALICE, 'no range'),
					'BAD_REQUEST',
				);
				await rejectsWith(
					world.service.requestAction(
						incidentId,
						'version_block',
						{ versions: 'not a range' },
						ALICE,
						'bad range',
					),
					'INVALID_EDIT',
				);
				const block = await world.service.requestAction(
					incidentId,
					'version_block',
					{ versions: '>=2.1.0 <2.1.3' },
					ALICE,
					'Releases made after the takeover',
				);
				assert.equal(block.state, 'applied');
				const [entry] = await blacklistEntries(world.store);
				assert.equal(entry?.versions, '>=2.1.0 <2.1.3');
				assert.equal(entry?.incident, `https://registry.example.org/incidents/${incidentId}`);
				assert.equal((await blacklistEntries(world.store)).length, 1);

				// A block by commit, with advice for users: both reach the entry.
				await rejectsWith(
					world.service.requestAction(
						incidentId,
						'version_block',
						{ commit: 'abc123' },
						ALICE,
						'short',
					),
					'BAD_REQUEST',
				);
				const commit = 'c'.repeat(40);
				await world.service.requestAction(
					incidentId,
					'version_block',
					{ commit, advice: 'Rotate the tokens this plugin could read.' },
					ALICE,
					'The release at this commit carries the payload',
				);
				const byCommit = (await blacklistEntries(world.store)).find((e) => e.commit !== undefined);
				assert.equal(byCommit?.commit, commit);
				assert.equal(byCommit?.advice, 'Rotate the tokens this plugin could read.');
				await rejectsWith(
					world.service.requestAction(
						incidentId,
						'soft_quarantine',
						{ advice: 'line\nbreak' },
						ALICE,
						'x',
					),
					'BAD_REQUEST',
				);
			} finally {
				await world.close();
			}
		});
	});

	it('advice of spaces alone is refused when the block is requested, dual-controlled or not', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				// Stored and left for a second maintainer, such a request could never be approved:
				// the registry refuses an empty advice when the entry is written.
				for (const plugin of [PLUGINS.community, PLUGINS.trusted]) {
					const { incidentId } = await world.service.submitReport(malwareReport(plugin.id), {
						clientAddress: '198.51.100.7',
					});
					for (const advice of ['   ', ' \u00a0\u2003 ']) {
						await rejectsWith(
							world.service.requestAction(
								incidentId,
								'hard_blacklist',
								{ advice },
								ALICE,
								'Sends tokens away',
							),
							'BAD_REQUEST',
						);
					}
					const stored = await world.database.db
						.selectFrom('incident_actions')
						.select('id')
						.where('incident_id', '=', incidentId)
						.execute();
					assert.deepEqual(stored, [], `${plugin.id}: nothing is stored`);
				}
				assert.deepEqual(await blacklistEntries(world.store), []);
			} finally {
				await world.close();
			}
		});
	});

	it('an appeal granted reverts every block of its incident in one step and resolves it', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId, token } = await investigating(world, PLUGINS.community.id);
				await rejectsWith(
					world.service.fileAppeal(incidentId, 'Nothing is blocked', undefined, '203.0.113.9'),
					'BAD_REQUEST',
				);
				await world.service.requestAction(incidentId, 'soft_quarantine', {}, ALICE, 'Suspicious');
				// A version block covers less than the quarantine of every version: both stay.
				const versions = await world.service.requestAction(
					incidentId,
					'version_block',
					{ versions: '1.0.0' },
					ALICE,
					'Bad release',
				);
				assert.equal(versions.state, 'applied');
				const pending = await world.service.requestAction(
					incidentId,
					'author_block',
					{},
					ALICE,
					'Whole owner',
				);
				await world.service.approveAction(pending.actionId, BOB, 'ok');
				await world.service.transition(incidentId, 'confirmed', ALICE, 'Confirmed');

				await rejectsWith(
					world.service.fileAppeal(incidentId, 'x'.repeat(4001), undefined, '203.0.113.9'),
					'BAD_REQUEST',
				);
				await rejectsWith(
					world.service.fileAppeal(incidentId, 'ok', 'me\u001b[2J', '203.0.113.9'),
					'BAD_REQUEST',
				);
				await rejectsWith(
					world.service.fileAppeal(incidentId, 'ok', 'x'.repeat(201), '203.0.113.9'),
					'BAD_REQUEST',
				);
				const appeal = await world.service.fileAppeal(
					incidentId,
					'The call goes to the lyrics API, see line 12. <b>really</b>',
					'author@example.org',
					'203.0.113.9',
				);
				assert.match(appeal.token, /^[A-Za-z0-9_-]{43}$/);
				const stored = await world.database.db
					.selectFrom('appeals')
					.selectAll()
					.executeTakeFirstOrThrow();
				assert.notEqual(stored.token_hash, appeal.token);
				assert.equal(
					stored.statement,
					'The call goes to the lyrics API, see line 12. <b>really</b>',
				);
				assert.equal(
					(
						await world.database.db
							.selectFrom('incidents')
							.select('state')
							.executeTakeFirstOrThrow()
					).state,
					'appealed',
				);
				await rejectsWith(
					world.service.transition(incidentId, 'resolved', ALICE, 'skip the appeal'),
					'BAD_REQUEST',
				);
				await rejectsWith(
					world.service.decideAppeal(appeal.appealId, true, REPORTER_ACTOR, 'x'),
					'FORBIDDEN',
				);
				// The maintainer who blocked does not judge the appeal against the block.
				await rejectsWith(
					world.service.decideAppeal(appeal.appealId, false, ALICE, 'I stand by it'),
					'FORBIDDEN',
				);

				assert.equal((await blacklistEntries(world.store)).length, 3);
				// The author block took two maintainers: the grant waits for a second, uninvolved one.
				const grant = await world.service.decideAppeal(
					appeal.appealId,
					true,
					ROOT,
					'The author showed the call is benign',
				);
				assert.equal(grant.state, 'grant_pending');
				assert.equal((await blacklistEntries(world.store)).length, 3);
				if (grant.state !== 'grant_pending') throw new Error('unreachable');
				await world.service.approveLift(grant.liftId, CAROL, 'Read the code too');
				assert.equal((await blacklistEntries(world.store)).length, 0);
				const actions = await world.database.db
					.selectFrom('incident_actions')
					.select('state')
					.execute();
				assert.deepEqual(actions.map((a) => a.state).sort(), ['reverted', 'reverted', 'reverted']);
				const status = await world.service.reportStatus(token);
				assert.equal(status.incident.state, 'resolved');
				assert.equal(
					status.incident.outcome,
					'Appeal granted: The author showed the call is benign',
				);
				await rejectsWith(
					world.service.decideAppeal(appeal.appealId, false, BOB, 'twice'),
					'BAD_REQUEST',
				);
				await rejectsWith(world.service.decideAppeal(424242, false, BOB, 'none'), 'NOT_FOUND');
			} finally {
				await world.close();
			}
		});
	});

	it('an appeal denied resolves the incident and keeps the block', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await investigating(world, PLUGINS.community.id);
				await world.service.requestAction(incidentId, 'hard_blacklist', {}, ALICE, 'Malware');
				await world.service.transition(incidentId, 'confirmed', ALICE, 'Confirmed');
				const appeal = await world.service.fileAppeal(
					incidentId,
					'Not mine',
					undefined,
					ANONYMOUS.clientAddress,
				);
				await world.service.decideAppeal(
					appeal.appealId,
					false,
					BOB,
					'The payload is in the release',
				);
				assert.equal((await blacklistEntries(world.store)).length, 1);
				const incident = await world.database.db
					.selectFrom('incidents')
					.selectAll()
					.executeTakeFirstOrThrow();
				assert.equal(incident.state, 'resolved');
				assert.notEqual(incident.resolved_at, null);
				await rejectsWith(
					world.service.fileAppeal(incidentId, 'again', undefined, '203.0.113.1'),
					'BAD_REQUEST',
				);
			} finally {
				await world.close();
			}
		});
	});

	it('an incident resolved over a block in force may still be appealed, once', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await investigating(world, PLUGINS.community.id);
				await world.service.requestAction(incidentId, 'hard_blacklist', {}, ALICE, 'Malware');
				await world.service.transition(incidentId, 'confirmed', ALICE, 'Confirmed');
				// Resolved at once: the author must not lose the one answer the block allows.
				await world.service.transition(incidentId, 'resolved', ALICE, 'Done');
				const appeal = await world.service.fileAppeal(
					incidentId,
					'Not mine',
					undefined,
					ANONYMOUS.clientAddress,
				);
				const row = await world.database.db
					.selectFrom('incidents')
					.selectAll()
					.executeTakeFirstOrThrow();
				assert.equal(row.state, 'appealed');
				await world.service.decideAppeal(appeal.appealId, false, BOB, 'The payload is there');
				assert.equal((await blacklistEntries(world.store)).length, 1);
				// Decided once, it is not appealed again.
				await rejectsWith(
					world.service.fileAppeal(incidentId, 'again', undefined, '203.0.113.1'),
					'BAD_REQUEST',
				);
			} finally {
				await world.close();
			}
		});
	});

	it('dismissing an incident reverts what it still blocks', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const { incidentId } = await investigating(world, PLUGINS.community.id);
				await world.service.requestAction(
					incidentId,
					'soft_quarantine',
					{},
					ALICE,
					'Until we know',
				);
				await world.service.transition(incidentId, 'dismissed', BOB, 'Benign');
				assert.equal((await blacklistEntries(world.store)).length, 0);
				await rejectsWith(
					world.service.requestAction(incidentId, 'soft_quarantine', {}, ALICE, 'again'),
					'BAD_REQUEST',
				);
			} finally {
				await world.close();
			}
		});
	});
});

/**
 * Reports group into incidents, and incidents move only as the state machine allows; every
 * step is an event and a log-only change row whose registry hashes are the document's.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { canMove } from '../../src/incidents/state-machine.ts';
import { INCIDENT_STATES, type IncidentState } from '../../src/incidents/types.ts';
import { forEachEngine } from '../engines.ts';
import {
	ALICE,
	ANONYMOUS,
	malwareReport,
	openWorld,
	PLUGINS,
	REPORTER_ACTOR,
	rejectsWith,
	trustedReporter,
	type World,
} from './world.ts';

/** The moves a maintainer may make by hand; everything else is refused. */
const ALLOWED: ReadonlyArray<[IncidentState, IncidentState]> = [
	['received', 'investigating'],
	['received', 'dismissed'],
	['investigating', 'confirmed'],
	['investigating', 'dismissed'],
	['confirmed', 'resolved'],
	['dismissed', 'investigating'],
	['dismissed', 'resolved'],
];

/** The path from `received` to each state by allowed moves (`appealed` needs an appeal). */
const PATH: Readonly<Record<IncidentState, IncidentState[]>> = {
	received: [],
	investigating: ['investigating'],
	confirmed: ['investigating', 'confirmed'],
	dismissed: ['dismissed'],
	resolved: ['investigating', 'confirmed', 'resolved'],
	appealed: [],
};

async function incidentIn(world: World, state: IncidentState, n: number): Promise<number> {
	const receipt = await world.service.submitReport(
		{
			plugin: { url: `https://github.com/nobody/plugin-${state}-${n}` },
			kind: 'broken',
			details: 'x',
			evidence: [],
		},
		{ clientAddress: `203.0.113.${n}` },
	);
	for (const to of PATH[state])
		await world.service.transition(receipt.incidentId, to, ALICE, `to ${to}`);
	return receipt.incidentId;
}

describe('incident states', () => {
	it('a report opens an incident, a second joins it, and the reporter follows it by token', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const first = await world.service.submitReport(
					malwareReport(PLUGINS.community.id),
					ANONYMOUS,
				);
				assert.match(first.token, /^[A-Za-z0-9_-]{43}$/);
				assert.equal(first.statusUrl, 'https://registry.example.org/api/v1/reports/status');
				// By uuid, and by URL in another spelling: the same plugin, the same incident.
				const second = await world.service.submitReport(
					{
						plugin: { uuid: PLUGINS.community.uuid },
						kind: 'data_theft',
						details: 'y',
						evidence: [],
					},
					trustedReporter(1, 'rita'),
				);
				const third = await world.service.submitReport(
					{
						plugin: {
							url: `${PLUGINS.community.url.toUpperCase().replace('HTTPS://', 'https://')}.git`,
						},
						kind: 'other',
						details: 'z',
						evidence: [],
					},
					{ clientAddress: '2001:db8::1' },
				);
				assert.equal(second.incidentId, first.incidentId);
				assert.equal(third.incidentId, first.incidentId);

				const status = await world.service.reportStatus(first.token);
				assert.equal(status.incident.id, first.incidentId);
				assert.equal(status.incident.state, 'received');
				assert.equal(
					status.incident.url,
					`https://registry.example.org/incidents/${first.incidentId}`,
				);
				assert.equal(status.incident.outcome, undefined);

				// Only hashes and keys are stored: no token, no address.
				const rows = await world.database.db.selectFrom('reports').selectAll().execute();
				assert.equal(rows.length, 3);
				for (const row of rows) {
					assert.notEqual(row.token_hash, first.token);
					assert.match(row.client_key, /^[0-9a-f]{64}$/);
					assert.ok(!JSON.stringify(row).includes('198.51.100.7'));
					assert.ok(!JSON.stringify(row).includes('2001:db8'));
				}
				assert.deepEqual(
					rows.map((row) => row.weight),
					[1, 3, 1],
				);

				await world.service.transition(
					first.incidentId,
					'investigating',
					ALICE,
					'Looking at the code',
				);
				await world.service.transition(
					first.incidentId,
					'dismissed',
					ALICE,
					'Not malware: a lyrics API call',
				);
				const decided = await world.service.reportStatus(first.token);
				assert.equal(decided.incident.state, 'dismissed');
				assert.equal(decided.incident.outcome, 'Not malware: a lyrics API call');
				const incident = await world.database.db
					.selectFrom('incidents')
					.selectAll()
					.executeTakeFirstOrThrow();
				assert.equal(incident.triaged_at, '2026-06-01T12:00:00.000Z');
				assert.equal(incident.decided_at, '2026-06-01T12:00:00.000Z');
				assert.equal(incident.resolved_at, null);

				// A dismissed incident gathers no more reports: a new one opens.
				const later = await world.service.submitReport(
					malwareReport(PLUGINS.community.id),
					trustedReporter(2, 'sam'),
				);
				assert.notEqual(later.incidentId, first.incidentId);
			} finally {
				await world.close();
			}
		});
	});

	it('every move the state machine allows works, every other is refused', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture, { limits: { reportsPerClientHour: 1000 } });
			try {
				let n = 0;
				for (const from of INCIDENT_STATES) {
					if (from === 'appealed') continue;
					for (const to of INCIDENT_STATES) {
						const id = await incidentIn(world, from, ++n);
						const allowed = ALLOWED.some(([a, b]) => a === from && b === to);
						assert.equal(canMove(from, to), allowed, `${from} → ${to}`);
						if (allowed) {
							await world.service.transition(id, to, ALICE, `${from} to ${to}`);
							const row = await world.database.db
								.selectFrom('incidents')
								.select('state')
								.where('id', '=', id)
								.executeTakeFirstOrThrow();
							assert.equal(row.state, to);
						} else {
							await rejectsWith(world.service.transition(id, to, ALICE, 'try'), 'BAD_REQUEST');
						}
					}
				}
				const id = await incidentIn(world, 'investigating', ++n);
				await rejectsWith(world.service.transition(id, 'confirmed', ALICE, '   '), 'BAD_REQUEST');
				await rejectsWith(
					world.service.transition(id, 'confirmed', ALICE, 'ok\u001b[31m'),
					'BAD_REQUEST',
				);
				await rejectsWith(
					world.service.transition(id, 'nonsense' as IncidentState, ALICE, 'x'),
					'BAD_REQUEST',
				);
				await rejectsWith(
					world.service.transition(id, 'confirmed', REPORTER_ACTOR, 'x'),
					'FORBIDDEN',
				);
				await rejectsWith(world.service.transition(99_999, 'confirmed', ALICE, 'x'), 'NOT_FOUND');
			} finally {
				await world.close();
			}
		});
	});

	it('each step is an event and a log-only change row at the current registry hash', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const receipt = await world.service.submitReport(
					malwareReport(PLUGINS.community.id),
					ANONYMOUS,
				);
				await world.service.transition(
					receipt.incidentId,
					'investigating',
					ALICE,
					'Reading the code',
				);
				const document = await world.store.document();
				const changes = await world.database.db
					.selectFrom('changes')
					.selectAll()
					.where('action', '=', 'incident')
					.orderBy('seq')
					.execute();
				assert.deepEqual(
					changes.map((change) => change.subject),
					[
						`incident ${receipt.incidentId}: received`,
						`incident ${receipt.incidentId}: investigating`,
					],
				);
				for (const change of changes) {
					assert.equal(change.sha256_before, document?.sha256);
					assert.equal(change.sha256_after, document?.sha256);
					assert.equal(
						change.report,
						`https://registry.example.org/incidents/${receipt.incidentId}`,
					);
					assert.equal(change.publish_id, null);
				}
				const events = await world.database.db
					.selectFrom('incident_events')
					.selectAll()
					.where('incident_id', '=', receipt.incidentId)
					.orderBy('id')
					.execute();
				assert.deepEqual(
					events.map((event) => [event.kind, event.from_state, event.to_state, event.actor_name]),
					[
						['state', null, 'received', 'vouch-service'],
						['report', null, null, 'anonymous reporter'],
						['state', 'received', 'investigating', 'alice'],
					],
				);
				assert.equal(Number(events[2]?.change_seq), Number(changes[1]?.seq));
				assert.equal(events[1]?.change_seq, null, 'a joining report is not logged');
			} finally {
				await world.close();
			}
		});
	});

	it('an http base URL gives change rows without a report link', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture, { publicBaseUrl: 'http://127.0.0.1:8080' });
			try {
				const receipt = await world.service.submitReport(
					malwareReport(PLUGINS.community.id),
					ANONYMOUS,
				);
				const change = await world.database.db
					.selectFrom('changes')
					.selectAll()
					.where('action', '=', 'incident')
					.executeTakeFirstOrThrow();
				assert.equal(change.report, null);
				assert.equal(
					(await world.service.reportStatus(receipt.token)).incident.url,
					`http://127.0.0.1:8080/incidents/${receipt.incidentId}`,
				);
			} finally {
				await world.close();
			}
		});
	});
	it('one finding over several plugins is one incident, and the same finding joins it', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			try {
				const input = {
					grouping: 'plugin' as const,
					pluginIds: [PLUGINS.trusted.id, PLUGINS.community.id],
					title: 'One indicator in two plugins',
					reason: 'registry hunt found it',
				};
				const { id } = await world.service.openIncident(input, ALICE);
				const row = await world.database.db
					.selectFrom('incidents')
					.select(['plugin_id', 'group_key'])
					.where('id', '=', id)
					.executeTakeFirstOrThrow();
				assert.equal(row.plugin_id, null, 'about no single plugin');
				assert.equal(
					row.group_key,
					`plugins:${PLUGINS.trusted.id},${PLUGINS.community.id}`,
					'sorted',
				);
				// The same set in another order is the same group: refused as already open.
				await rejectsWith(
					world.service.openIncident(
						{ ...input, pluginIds: [PLUGINS.community.id, PLUGINS.trusted.id] },
						ALICE,
					),
					'REGISTRY_CONFLICT',
				);
				await rejectsWith(
					world.service.openIncident({ ...input, pluginIds: ['no-such-plugin'] }, ALICE),
					'NOT_FOUND',
				);
			} finally {
				await world.close();
			}
		});
	});
});

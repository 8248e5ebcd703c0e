/**
 * The incident read queries on fixed rows, on both engines: listing with filters and paging,
 * one incident with the log entries of its steps, removals, the OSV records (checked against
 * the schema of what is emitted), and the metrics with known medians and 90th percentiles.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openServiceDb, type ServiceDb } from '../../src/db/open.ts';
import { hiddenPluginIds } from '../../src/incidents/hidden-plugins.ts';
import { durationStats, incidentMetrics } from '../../src/incidents/metrics.ts';
import { actionIdOfOsvId, osvIdOf, osvRecord, osvRecordSchema } from '../../src/incidents/osv.ts';
import { getIncident, listIncidents } from '../../src/incidents/queries.ts';
import { listRemovals, type Removal } from '../../src/incidents/removals.ts';
import { createUptakeCounter } from '../../src/incidents/uptake.ts';
import { forEachEngine } from '../engines.ts';
import {
	addAction,
	addAppeal,
	addChange,
	addEvent,
	addIncident,
	addPublish,
	addReport,
	HOSTILE,
} from './incident-rows.ts';

const T0 = Date.parse('2026-06-01T10:00:00Z');
const T1 = Date.parse('2026-06-02T00:00:00Z');
const T2 = Date.parse('2026-06-03T00:00:00Z');
const at = (base: number, seconds: number) => new Date(base + seconds * 1000).toISOString();

/** Three reported incidents (one decided and published, one withdrawn, one open) and one without reports. */
async function seed(database: ServiceDb) {
	const { db } = database;
	const first = await addPublish(db, {
		logSize: 2,
		timestampVersion: 1,
		completedAt: '2026-06-01T00:00:00.000Z',
	});
	const c0 = await addChange(db, '2026-05-31T00:00:00.000Z', first);
	const a = await addIncident(db, {
		pluginId: 'evil',
		title: `Evil ${HOSTILE}`,
		state: 'confirmed',
		openedAt: at(T0, 0),
		triagedAt: at(T0, 1800),
		decidedAt: at(T0, 7200),
		advice: 'Rotate the tokens this plugin could read.',
	});
	await addReport(db, a, {
		at: at(T0, 0),
		evidence: [
			{ commit: 'b'.repeat(40), path: `src/${HOSTILE}.py`, line: 12 },
			{ url: 'https://example.org/analysis' },
			{ url: 'javascript:alert(1)' },
		],
	});
	await addReport(db, a, { at: at(T0, 3600), kind: 'data_theft', reporterName: 'rita' });
	await addEvent(db, a, {
		at: at(T0, 0),
		kind: 'report',
		actor: 'rita',
		reason: 'report received',
	});
	const c1 = await addChange(db, at(T0, 1800), null);
	const c2 = await addChange(db, at(T0, 7200), null);
	await addEvent(db, a, {
		at: at(T0, 1800),
		kind: 'state',
		actor: 'alice',
		reason: 'looking',
		to: 'investigating',
		changeSeq: c1,
	});
	const actionA = await addAction(db, a, {
		kind: 'hard_blacklist',
		params: { pluginId: 'evil', advice: 'Rotate the tokens this plugin could read.' },
		reason: `Steals tokens ${HOSTILE}`,
		state: 'applied',
		at: at(T0, 7200),
		changeSeq: c2,
	});
	const second = await addPublish(db, {
		logSize: 5,
		timestampVersion: 2,
		completedAt: at(T0, 7230),
	});
	await db
		.updateTable('changes')
		.set({ publish_id: second })
		.where('seq', 'in', [c1, c2])
		.execute();

	const b = await addIncident(db, {
		pluginId: 'other',
		state: 'resolved',
		openedAt: at(T1, 0),
		triagedAt: at(T1, 600),
		decidedAt: at(T1, 3600),
	});
	await addReport(db, b, { at: at(T1, 0), kind: 'broken' });
	const c3 = await addChange(db, at(T1, 3600), null);
	const actionB = await addAction(db, b, {
		kind: 'version_block',
		params: { pluginId: 'other', versions: '>=1.2.0 <1.3.0' },
		reason: 'A bad release',
		state: 'reverted',
		at: at(T1, 3600),
		revertedAt: at(T1, 10_800),
		changeSeq: c3,
	});
	const third = await addPublish(db, {
		logSize: 7,
		timestampVersion: 3,
		completedAt: at(T1, 3660),
	});
	await db.updateTable('changes').set({ publish_id: third }).where('seq', '=', c3).execute();
	await addAppeal(db, b, { state: 'granted', at: at(T1, 7200), decidedAt: at(T1, 10_800) });

	const c = await addIncident(db, {
		pluginId: 'third',
		state: 'investigating',
		openedAt: at(T2, 0),
		triagedAt: at(T2, 1200),
	});
	await addReport(db, c, { at: at(T2, 0) });
	await addAction(db, c, {
		kind: 'soft_quarantine',
		params: { pluginId: 'third' },
		reason: 'two reporters agree',
		state: 'applied',
		at: at(T2, 60),
	});
	const d = await addIncident(db, {
		pluginId: 'evil',
		state: 'confirmed',
		openedAt: at(T2, 0),
		triagedAt: at(T2, 5),
		decidedAt: at(T2, 10),
	});
	return { a, b, c, d, c0, c1, c2, c3, actionA, actionB };
}

describe('incident read queries', () => {
	it('lists, filters and pages incidents', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const ids = await seed(database);
				const all = await listIncidents(database.db);
				assert.equal(all.total, 4);
				const evil = await listIncidents(database.db, { plugin: 'evil' });
				assert.deepEqual(evil.items.map((item) => item.id).sort(), [ids.a, ids.d].sort());
				const open = await listIncidents(database.db, { state: 'investigating' });
				assert.deepEqual(
					open.items.map((item) => item.id),
					[ids.c],
				);
				const pageTwo = await listIncidents(database.db, { page: 2, perPage: 3 });
				assert.equal(pageTwo.items.length, 1);
				assert.equal(pageTwo.total, 4);
				const none = await listIncidents(database.db, { plugin: "' OR 1=1 --" });
				assert.equal(none.total, 0);
				assert.deepEqual(await hiddenPluginIds(database.db), ['evil', 'third']);
			} finally {
				await database.close();
			}
		});
	});

	it('shows one incident with log entries, report counts and evidence, and nothing of the reporters', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const ids = await seed(database);
				const detail = await getIncident(database.db, ids.a);
				assert.ok(detail);
				assert.equal(detail.reports.total, 2);
				assert.equal(detail.reports.trusted, 1);
				assert.deepEqual(detail.reports.kinds, { malware: 1, data_theft: 1 });
				const step = detail.events.find((event) => event.kind === 'state');
				// The second publish carried two changes after a log of 2 entries: entries 2 and 3.
				assert.equal(step?.log?.index, 2);
				assert.equal(detail.actions[0]?.log?.index, 3);
				assert.equal(detail.actions[0]?.log?.timestampVersion, 2);
				// The javascript: link is not evidence; the file, line and https link are.
				assert.equal(detail.evidence.length, 2);
				assert.equal(detail.evidence[0]?.line, 12);
				const text = JSON.stringify(detail);
				for (const secret of [
					'client-key-secret-value',
					'author@example.org',
					'token_hash',
					'appeal-',
				])
					assert.equal(text.includes(secret), false, secret);
				assert.equal(await getIncident(database.db, 999), undefined);
				assert.equal(await getIncident(database.db, -1), undefined);
			} finally {
				await database.close();
			}
		});
	});

	it('lists removals newest first, withdrawn after a granted appeal, and exports them as OSV', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const ids = await seed(database);
				const removals = await listRemovals(database.db);
				assert.deepEqual(
					removals.map((removal) => removal.incidentId),
					[ids.c, ids.b, ids.a],
				);
				const withdrawn = removals.find((removal) => removal.incidentId === ids.b);
				assert.equal(withdrawn?.withdrawnAt, at(T1, 10_800));
				for (const removal of removals) {
					const record = osvRecord(
						removal,
						`https://registry.example/incidents/${removal.incidentId}`,
					);
					osvRecordSchema.parse(record);
					assert.equal(actionIdOfOsvId(record.id), removal.actionId);
				}
				const b = osvRecord(withdrawn as Removal, 'https://registry.example/incidents/2');
				assert.equal(b.id, `VOUCH-MAL-2026-${ids.actionB}`);
				assert.equal(b.withdrawn, at(T1, 10_800));
				assert.deepEqual(b.affected[0]?.ranges, [
					{ type: 'SEMVER', events: [{ introduced: '1.2.0' }, { fixed: '1.3.0' }] },
				]);
				const a = osvRecord(
					removals.find((removal) => removal.incidentId === ids.a) as Removal,
					'https://registry.example/incidents/1',
				);
				assert.deepEqual(a.affected[0]?.ranges, [
					{ type: 'SEMVER', events: [{ introduced: '0' }] },
				]);
				assert.equal(a.affected[0]?.package.name, 'evil');
				assert.equal(a.withdrawn, undefined);
				// Controls and bidi overrides are gone from what OSV consumers print.
				assert.equal(a.details.includes('\u202e'), false);
			} finally {
				await database.close();
			}
		});
	});

	it('computes medians and 90th percentiles of response times, and uptake per decision', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				await seed(database);
				const uptake = createUptakeCounter();
				for (const client of ['a', 'b', 'c']) uptake.record(2, client);
				uptake.record(3, 'd');
				uptake.record(1, 'e');
				uptake.record(3, 'a');
				const metrics = await incidentMetrics(database.db, {
					clock: () => new Date('2026-07-01T00:00:00Z'),
					uptake,
				});
				assert.equal(metrics.generatedAt, '2026-07-01T00:00:00.000Z');
				assert.equal(metrics.incidents.total, 4);
				// The incident without a report is not measured.
				assert.deepEqual(metrics.reportToTriage, {
					count: 3,
					medianSeconds: 1200,
					p90Seconds: 1800,
				});
				assert.deepEqual(metrics.reportToDecision, {
					count: 2,
					medianSeconds: 5400,
					p90Seconds: 7200,
				});
				assert.deepEqual(metrics.reportToPublication, {
					count: 2,
					medianSeconds: 5445,
					p90Seconds: 7230,
				});
				assert.equal(metrics.uptake?.clientsSeen, 5);
				assert.deepEqual(
					metrics.uptake?.decisions.map((d) => [d.timestampVersion, d.clients]),
					[
						[3, 2],
						[2, 4],
					],
				);
			} finally {
				await database.close();
			}
		});
	});
});

describe('OSV ranges and the uptake bound', () => {
	const base: Removal = {
		actionId: 7,
		incidentId: 3,
		incidentTitle: 'Account takeover',
		kind: 'version_block',
		state: 'applied',
		reason: 'A release by the attacker',
		advice: null,
		severity: 'hard',
		pluginId: 'takeover',
		gitUrl: 'https://github.com/someone/takeover',
		versions: null,
		commit: null,
		ownerUrl: null,
		appliedAt: '2025-12-31T23:59:59.000Z',
		revertedAt: null,
		withdrawnAt: null,
		reportKinds: ['malware'],
	};

	it('writes a commit as a GIT range, simple ranges as SEMVER, and anything else as every version', () => {
		const commit = osvRecord(
			{ ...base, commit: 'c'.repeat(40) },
			'http://127.0.0.1:8080/incidents/3',
		);
		osvRecordSchema.parse(commit);
		assert.equal(commit.id, 'VOUCH-MAL-2025-7');
		assert.deepEqual(commit.affected[0]?.ranges, [
			{ type: 'GIT', repo: base.gitUrl, events: [{ introduced: 'c'.repeat(40) }] },
		]);
		// A loopback http incident page is not a public reference.
		assert.equal(commit.references, undefined);
		assert.deepEqual(osvRecord({ ...base, versions: '1.4.2' }, 'x').affected[0]?.versions, [
			'1.4.2',
		]);
		assert.deepEqual(osvRecord({ ...base, versions: '<2.0.0' }, 'x').affected[0]?.ranges, [
			{ type: 'SEMVER', events: [{ introduced: '0' }, { fixed: '2.0.0' }] },
		]);
		const odd = osvRecord({ ...base, versions: '^1.2 || <script>' }, 'x');
		assert.deepEqual(odd.affected[0]?.ranges, [{ type: 'SEMVER', events: [{ introduced: '0' }] }]);
		assert.equal(odd.affected[0]?.database_specific?.versions_range, '^1.2 || <script>');
		assert.equal(actionIdOfOsvId('VOUCH-MAL-2025-7'), 7);
		assert.equal(actionIdOfOsvId('VOUCH-MAL-2025-7x'), undefined);
		assert.equal(osvIdOf(base), 'VOUCH-MAL-2025-7');
	});

	it('keeps the uptake counter within its bound, forgetting the least recent client', () => {
		const counter = createUptakeCounter(2);
		counter.record(5, 'one');
		counter.record(5, 'two');
		counter.record(5, 'one');
		counter.record(6, 'three');
		assert.equal(counter.clients, 2);
		assert.equal(counter.clientsAtLeast(5), 2);
		assert.equal(counter.clientsAtLeast(6), 1);
		counter.record(Number.NaN, 'four');
		assert.equal(counter.clients, 2);
		assert.deepEqual(durationStats([]), { count: 0, medianSeconds: null, p90Seconds: null });
		assert.deepEqual(durationStats([5]), { count: 1, medianSeconds: 5, p90Seconds: 5 });
	});
});

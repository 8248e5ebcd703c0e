/**
 * A decision reaches clients signed: the real publisher carries an incident's log-only steps
 * (even when nothing else waits) and its blacklist edit into the signed repository and the
 * transparency log, where the incident view finds each step's sequence; and the publisher's
 * backlog bound holds for incident steps as for edits.
 */
import assert from 'node:assert/strict';
import { mkdtemp } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { incidentView } from '../../src/incidents/views.ts';
import { createPublisher } from '../../src/publish/index.ts';
import { MAX_UNPUBLISHED_CHANGES } from '../../src/store/backlog.ts';
import { forEachEngine } from '../engines.ts';
import { exportRepository, logEntries } from '../publish/helpers/repository.ts';
import { makeKeys } from '../publish/helpers/world.ts';
import { ALICE, BOB, malwareReport, openWorld, PLUGINS, rejectsWith } from './world.ts';

describe('incident publishing', () => {
	it('a decision becomes a signed blacklist entry and the log has every step', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			const keysDir = await makeKeys(fixture.dir);
			const publisher = createPublisher({
				db: world.database.db,
				keysDir,
				clock: () => new Date(),
				holder: 'test',
			});
			try {
				const first = await publisher.publishNow();
				assert.equal(first.status, 'published');

				const { incidentId } = await world.service.submitReport(malwareReport(PLUGINS.trusted.id), {
					clientAddress: '198.51.100.1',
				});
				// Only a log-only step waits: the publisher still publishes it.
				const logged = await publisher.publishNow();
				assert.equal(logged.status, 'published', JSON.stringify(logged));
				assert.equal((logged as { changes: number }).changes, 1);

				await world.service.transition(incidentId, 'investigating', ALICE, 'Reading the release');
				const hard = await world.service.requestAction(
					incidentId,
					'hard_blacklist',
					{ advice: 'Rotate your tokens.' },
					ALICE,
					'The release sends tokens away',
				);
				assert.equal(hard.state, 'awaiting_approval');
				await world.service.approveAction(hard.actionId, BOB, 'Confirmed the payload');
				await world.service.transition(incidentId, 'confirmed', BOB, 'Malware confirmed');
				const decided = await publisher.publishNow();
				assert.equal(decided.status, 'published', JSON.stringify(decided));

				const repoDir = await mkdtemp(join(fixture.dir, 'repo-'));
				const paths = await exportRepository(world.database.db, repoDir);
				const entries = await logEntries(repoDir, keysDir);
				const incidentSteps = entries
					.filter((entry) => entry.action === 'incident')
					.map((entry) => entry.subject);
				assert.deepEqual(incidentSteps, [
					`incident ${incidentId}: received`,
					`incident ${incidentId}: investigating`,
					`incident ${incidentId}: hard_blacklist requested, awaiting a second maintainer (action ${hard.actionId})`,
					`incident ${incidentId}: hard_blacklist applied (action ${hard.actionId})`,
					`incident ${incidentId}: confirmed`,
				]);
				const added = entries.find((entry) => entry.action === 'blacklist_add');
				assert.equal(added?.reason, 'The release sends tokens away');
				assert.equal(added?.report, `https://registry.example.org/incidents/${incidentId}`);
				for (const entry of entries.filter((e) => e.action === 'incident')) {
					assert.equal(entry.registry_before, entry.registry_after);
				}

				// The signed blacklist target holds the entry, with its incident link and advice.
				const blacklistPath = paths.filter((path) => path.endsWith('.blacklist.json')).at(-1);
				assert.ok(blacklistPath !== undefined);
				const latest = await world.database.db
					.selectFrom('repo_files')
					.select(['path', 'bytes'])
					.where('path', 'like', 'targets/%.blacklist.json')
					.orderBy('publish_id', 'desc')
					.executeTakeFirstOrThrow();
				const signed = Buffer.from(latest.bytes).toString('utf8');
				assert.ok(signed.includes(PLUGINS.trusted.uuid));
				assert.ok(signed.includes(`https://registry.example.org/incidents/${incidentId}`));
				assert.ok(signed.includes('Rotate your tokens.'));

				// The incident view points at each step's place in the log.
				const view = await incidentView(world.database.db, incidentId);
				const sequences = view.timeline.filter((event) => event.logSequence !== null);
				assert.equal(sequences.length, 5);
				for (const event of sequences) {
					const entry = entries[event.logSequence as number];
					assert.equal(entry?.action, 'incident');
					assert.equal(entry?.reason, event.reason);
				}
				const action = view.actions[0];
				assert.equal(entries[action?.logSequence as number]?.action, 'blacklist_add');

				await world.service.sweep();
				const row = await world.database.db
					.selectFrom('incidents')
					.select('published_at')
					.executeTakeFirstOrThrow();
				assert.notEqual(row.published_at, null, 'the sweep notes when the decision went out');
			} finally {
				await publisher.stop();
				await world.close();
			}
		});
	});

	it('a reason written over several lines is logged on one, and never stops the publisher', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			const keysDir = await makeKeys(fixture.dir);
			const publisher = createPublisher({
				db: world.database.db,
				keysDir,
				clock: () => new Date(),
				holder: 'test',
			});
			try {
				assert.equal((await publisher.publishNow()).status, 'published');
				// What `vouch registry hunt --open-incident` sends: the maintainer's reason, a blank
				// line, then what the hunt found.
				const { id } = await world.service.openIncident(
					{
						grouping: 'plugin',
						pluginIds: [PLUGINS.community.id],
						title: 'Hunt: exfil.example.net',
						reason: 'Token theft, reported twice\n\nFound by vouch registry hunt:\r\n 2 hit(s).',
					},
					ALICE,
				);
				await world.service.requestAction(
					id,
					'soft_quarantine',
					{},
					ALICE,
					'Holds the payload.\nQuarantined while we look.',
				);
				const published = await publisher.publishNow();
				assert.equal(published.status, 'published', JSON.stringify(published));

				const repoDir = await mkdtemp(join(fixture.dir, 'repo-'));
				await exportRepository(world.database.db, repoDir);
				const reasons = (await logEntries(repoDir, keysDir)).map((entry) => entry.reason);
				assert.ok(
					reasons.includes('Token theft, reported twice Found by vouch registry hunt: 2 hit(s).'),
					reasons.join(' | '),
				);
				assert.ok(reasons.includes('Holds the payload. Quarantined while we look.'));
				// The incident's own timeline keeps the text as it was written.
				const view = await incidentView(world.database.db, id);
				assert.match(view.timeline[0]?.reason ?? '', /twice\n\nFound/);
			} finally {
				await publisher.stop();
				await world.close();
			}
		});
	});

	it('incident steps are refused while the publish backlog is full', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const world = await openWorld(fixture);
			const keysDir = await makeKeys(fixture.dir);
			const publisher = createPublisher({
				db: world.database.db,
				keysDir,
				clock: () => new Date(),
				holder: 'test',
			});
			try {
				await publisher.publishNow();
				const { incidentId } = await world.service.submitReport(
					malwareReport(PLUGINS.community.id),
					{ clientAddress: '198.51.100.1' },
				);
				const document = await world.store.document();
				const rows = Array.from({ length: MAX_UNPUBLISHED_CHANGES }, (_, i) => ({
					action: 'incident',
					subject: `filler ${i}`,
					reason: 'filler',
					actor_name: 'test',
					actor_key: null,
					report: null,
					sha256_before: document?.sha256 ?? '',
					sha256_after: document?.sha256 ?? '',
					revision: document?.revision ?? 1,
					created_at: new Date().toISOString(),
					publish_id: null,
				}));
				await world.database.db.insertInto('changes').values(rows).execute();
				await rejectsWith(
					world.service.transition(incidentId, 'investigating', ALICE, 'Looking'),
					'UNAVAILABLE',
				);
				const state = await world.database.db
					.selectFrom('incidents')
					.select('state')
					.executeTakeFirstOrThrow();
				assert.equal(state.state, 'received', 'nothing changed');
			} finally {
				await publisher.stop();
				await world.close();
			}
		});
	});
});

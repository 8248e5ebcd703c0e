/**
 * Publishers in one process, each on its own connection, as separate service processes
 * would be: they race, and still exactly one publishes each change, the versions run without
 * gaps, and a publisher that lost its lease mid-publish commits nothing (fencing).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { test } from 'node:test';
import { createPublisher, type Publisher, type PublishOutcome } from '../../src/publish/index.ts';
import { forEachEngine } from '../engines.ts';
import {
	changeRows,
	editDocument,
	publishRows,
	registryText,
	seedDocument,
} from './helpers/registry.ts';
import { exportRepository, logEntries, verifyRepository } from './helpers/repository.ts';
import { makeKeys, movableClock, openMany } from './helpers/world.ts';

type Db = Parameters<typeof changeRows>[0];

/** The invariants of a database however many publishers ran on it. */
async function assertPublishedOnce(db: Db, dir: string, keysDir: string, now: () => Date) {
	const publishes = await publishRows(db);
	const versions = publishes.map((row) => row.targets_version);
	assert.deepEqual(
		versions,
		versions.map((_, i) => i + 1),
		'targets versions 1..n, no gaps',
	);
	assert.deepEqual(
		publishes.map((row) => row.timestamp_version),
		versions,
		'timestamp versions too',
	);
	const ids = new Set(publishes.map((row) => row.id));
	const changes = await changeRows(db);
	for (const change of changes) {
		assert.ok(change.publish_id !== null && ids.has(change.publish_id), `change ${change.seq}`);
	}
	const repoDir = join(dir, `served-${Date.now()}`);
	await exportRepository(db, repoDir);
	await verifyRepository(
		repoDir,
		join(repoDir, '..', `client-${Date.now()}`),
		join(repoDir, 'metadata', '1.root.json'),
		now,
	);
	const entries = await logEntries(repoDir, keysDir);
	// Changes the first publish carried are in its first entry, the registry as it then stood;
	// every later change has an entry of its own, and every publish one: nothing twice.
	const firstPublish = Math.min(...publishes.map((row) => row.id));
	const logged = changes.filter((change) => change.publish_id !== firstPublish);
	assert.equal(entries.length, 1 + logged.length + publishes.length);
	assert.equal(publishes.at(-1)?.log_size, entries.length);
	const reasons = entries.filter((e) => e.action === 'plugin_update').map((e) => e.reason);
	assert.deepEqual(
		reasons,
		logged.map((change) => change.reason),
		'each change once, in order',
	);
}

test('two publishers racing to publish: one publishes, the other is told who does', async (t) => {
	await forEachEngine(t, async (fixture) => {
		const [a, b] = await openMany(fixture, 2);
		if (a === undefined || b === undefined) throw new Error('two connections');
		const keysDir = await makeKeys(fixture.dir);
		const clock = movableClock();
		const one = createPublisher({ db: a.db, keysDir, clock: clock.now, holder: 'one' });
		const two = createPublisher({ db: b.db, keysDir, clock: clock.now, holder: 'two' });
		try {
			await seedDocument(a.db, registryText(2));
			for (let round = 0; round < 3; round++) {
				if (round > 0) await editDocument(a.db, registryText(2, round));
				const outcomes = await Promise.all([one.publishNow(), two.publishNow()]);
				const statuses = outcomes.map((outcome) => outcome.status).sort();
				assert.deepEqual(statuses, ['not-holder', 'published'], JSON.stringify(outcomes));
				const loser = outcomes.find((outcome) => outcome.status === 'not-holder') as Extract<
					PublishOutcome,
					{ status: 'not-holder' }
				>;
				assert.ok(loser.holder === 'one' || loser.holder === 'two');
			}
			await assertPublishedOnce(a.db, fixture.dir, keysDir, clock.now);
		} finally {
			await one.stop();
			await two.stop();
			await a.close();
			await b.close();
		}
	});
});

test('several running publishers and a stream of edits: each change published exactly once', async (t) => {
	await forEachEngine(t, async (fixture) => {
		const opened = await openMany(fixture, 3);
		const keysDir = await makeKeys(fixture.dir);
		const clock = movableClock();
		const publishers: Publisher[] = opened.map((service, i) =>
			createPublisher({
				db: service.db,
				keysDir,
				clock: clock.now,
				holder: `p${i}`,
				intervalMs: 10,
				leaseMs: 600,
			}),
		);
		const writer = opened[0]?.db as Db;
		try {
			await seedDocument(writer, registryText(2));
			for (const publisher of publishers) publisher.start();
			let revision = 1;
			for (let i = 1; i <= 6; i++) {
				revision = await editDocument(writer, registryText(2, i));
				// Hand the lease around now and then: the holder stops, another takes over.
				if (i === 3) {
					await publishers[0]?.stop();
					await publishers[1]?.stop();
				}
				await new Promise((resolve) => setTimeout(resolve, 15));
			}
			await publishers[2]?.waitForRevision(revision);
			for (const publisher of publishers) await publisher.stop();
			await assertPublishedOnce(writer, fixture.dir, keysDir, clock.now);
		} finally {
			for (const publisher of publishers) await publisher.stop();
			for (const service of opened) await service.close();
		}
	});
});

test('a publisher whose lease was taken over mid-publish commits nothing', async (t) => {
	await forEachEngine(t, async (fixture) => {
		const [a, b] = await openMany(fixture, 2);
		if (a === undefined || b === undefined) throw new Error('two connections');
		const keysDir = await makeKeys(fixture.dir);
		const clock = movableClock();
		const leaseMs = 10_000;
		let interrupt: (() => Promise<void>) | undefined;
		const slow = createPublisher({
			db: a.db,
			keysDir,
			clock: clock.now,
			holder: 'slow',
			leaseMs,
			// Signed, not yet committed: the moment a long pause (GC, a stalled VM) would hit.
			beforeCommit: async () => {
				const run = interrupt;
				interrupt = undefined;
				await run?.();
			},
		});
		const other = createPublisher({
			db: b.db,
			keysDir,
			clock: clock.now,
			holder: 'other',
			leaseMs,
		});
		try {
			await seedDocument(a.db, registryText(2));
			assert.equal((await slow.publishNow()).status, 'published');
			await editDocument(a.db, registryText(3));
			let takeover: PublishOutcome | undefined;
			interrupt = async () => {
				clock.advance(leaseMs + 1);
				takeover = await other.publishNow();
			};
			await assert.rejects(slow.publishNow(), (error: unknown) => {
				assert.equal((error as { code?: string }).code, 'LEASE_LOST');
				return true;
			});
			assert.equal(takeover?.status, 'published');
			assert.equal(slow.holding(), false);
			const publishes = await publishRows(a.db);
			assert.deepEqual(
				publishes.map((row) => [row.holder, row.lease_epoch]),
				[
					['slow', 1],
					['other', 2],
				],
			);
			const takeoverId = publishes[1]?.id;
			for (const change of await changeRows(a.db)) assert.equal(change.publish_id, takeoverId);
			assert.deepEqual(await slow.publishNow(), { status: 'not-holder', holder: 'other' });

			// Later the lease comes back to the slow one: its working copy is rebuilt from the
			// database (the other's publish included) and the next change goes out once.
			clock.advance(leaseMs + 1);
			const revision = await editDocument(a.db, registryText(4));
			const outcome = await slow.publishNow();
			assert.equal(outcome.status, 'published');
			assert.equal((outcome as { revision: number }).revision, revision);
			await assertPublishedOnce(a.db, fixture.dir, keysDir, clock.now);
		} finally {
			await slow.stop();
			await other.stop();
			await a.close();
			await b.close();
		}
	});
});

test('a publisher that learns of its lost lease only at commit publishes again from the new state', async (t) => {
	await forEachEngine(t, async (fixture) => {
		const [a, b] = await openMany(fixture, 2);
		if (a === undefined || b === undefined) throw new Error('two connections');
		const keysDir = await makeKeys(fixture.dir);
		const clock = movableClock();
		const leaseMs = 5_000;
		// Not started, so nothing renews or checks the lease between these calls.
		const one = createPublisher({ db: a.db, keysDir, clock: clock.now, holder: 'one', leaseMs });
		const two = createPublisher({ db: b.db, keysDir, clock: clock.now, holder: 'two', leaseMs });
		try {
			await seedDocument(a.db, registryText(2));
			assert.equal((await one.publishNow()).status, 'published');
			clock.advance(leaseMs + 1);
			await editDocument(a.db, registryText(3));
			assert.equal((await two.publishNow()).status, 'published');
			clock.advance(leaseMs + 1);
			await editDocument(a.db, registryText(4));
			// `one` still believes it holds epoch 1; the commit's fencing tells it otherwise.
			await assert.rejects(one.publishNow(), (error: unknown) => {
				assert.equal((error as { code?: string }).code, 'LEASE_LOST');
				return true;
			});
			const again = await one.publishNow();
			assert.equal(again.status, 'published');
			assert.equal((await publishRows(a.db)).at(-1)?.lease_epoch, 3);
			await assertPublishedOnce(a.db, fixture.dir, keysDir, clock.now);
		} finally {
			await one.stop();
			await two.stop();
			await a.close();
			await b.close();
		}
	});
});

test('a publish that runs longer than the lease keeps it: renewals go on meanwhile', async (t) => {
	await forEachEngine(t, async (fixture) => {
		const [a, b] = await openMany(fixture, 2);
		if (a === undefined || b === undefined) throw new Error('two connections');
		const keysDir = await makeKeys(fixture.dir);
		const clock = movableClock();
		const leaseMs = 600;
		const refusals: PublishOutcome[] = [];
		let long = false;
		const other = createPublisher({
			db: b.db,
			keysDir,
			clock: clock.now,
			holder: 'other',
			leaseMs,
		});
		const slow = createPublisher({
			db: a.db,
			keysDir,
			clock: clock.now,
			holder: 'slow',
			leaseMs,
			intervalMs: 20,
			beforeCommit: async () => {
				if (!long) return;
				long = false;
				// Two lease lengths pass on the lease clock while this publish is signed but not
				// committed; after each half, the background renewal must have moved the expiry
				// on, and the other process is still refused the lease.
				for (let half = 0; half < 4; half++) {
					clock.advance(leaseMs / 2);
					const renewedPast = new Date(clock.now().getTime() + leaseMs / 2).toISOString();
					// Without renewals this gives up (far beyond any renewal's delay), and the other
					// process is then given the lease, which the assertions below refuse.
					const giveUpAt = performance.now() + 60_000;
					while (performance.now() < giveUpAt) {
						const row = await a.db
							.selectFrom('leases')
							.select('expires_at')
							.executeTakeFirstOrThrow();
						if (row.expires_at > renewedPast) break;
						await new Promise((resolve) => setTimeout(resolve, 10));
					}
					refusals.push(await other.publishNow());
				}
			},
		});
		try {
			await seedDocument(a.db, registryText(2));
			slow.start();
			await slow.waitForRevision(1);
			long = true;
			const revision = await editDocument(a.db, registryText(3));
			await slow.waitForRevision(revision);
			assert.deepEqual(
				refusals.map((outcome) => outcome.status),
				['not-holder', 'not-holder', 'not-holder', 'not-holder'],
			);
			assert.deepEqual(
				(await publishRows(a.db)).map((row) => [row.holder, row.lease_epoch]),
				[
					['slow', 1],
					['slow', 1],
				],
			);
			assert.ok(slow.holding());
		} finally {
			await other.stop();
			await slow.stop();
			await a.close();
			await b.close();
		}
	});
});

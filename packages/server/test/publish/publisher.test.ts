/**
 * One publisher against the database, on both engines: the first publish creates root 1 and
 * the log, a change goes out as signed metadata, a registry target and log entries that a
 * real TUF client accepts, and whatever cannot be published leaves the database untouched.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { test } from 'node:test';
import { publishRepository } from '@vouch/library/internal/tuf/repository/publish';
import type { Kysely } from 'kysely';
import { openServiceDb } from '../../src/db/open.ts';
import type { ServiceDatabase } from '../../src/db/schema.ts';
import { createPublisher, type PublishOutcome } from '../../src/publish/index.ts';
import { INITIAL_REASON } from '../../src/publish/publish-step.ts';
import { forEachEngine } from '../engines.ts';
import {
	changeRows,
	editDocument,
	publishRows,
	registryText,
	seedDocument,
	UUIDS,
} from './helpers/registry.ts';
import {
	exportRepository,
	logEntries,
	publishedRegistryTarget,
	registryTargetOf,
	verifyRepository,
} from './helpers/repository.ts';
import { makeKeys, movableClock, onlineKeys } from './helpers/world.ts';

const MAINTAINER_KEY = 'ab'.repeat(32);

function published(outcome: PublishOutcome) {
	assert.equal(outcome.status, 'published', JSON.stringify(outcome));
	return outcome as Extract<PublishOutcome, { status: 'published' }>;
}

async function storedFiles(db: Kysely<ServiceDatabase>): Promise<Map<string, string>> {
	const rows = await db.selectFrom('repo_files').select(['path', 'sha256']).execute();
	return new Map(rows.map((row) => [row.path, row.sha256]));
}

/** Rejects with `code`; `cause` is the code of the library error behind a PUBLISH_FAILED. */
async function rejectsWith(promise: Promise<unknown>, code: string, cause?: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		const failure = error as { code?: string; details?: { code?: string } };
		assert.equal(failure.code, code, String(error));
		if (cause !== undefined) assert.equal(failure.details?.code, cause, String(error));
		return true;
	});
}

test('a change goes out as signed metadata and log entries a client verifies', async (t) => {
	await forEachEngine(t, async ({ options, dir }) => {
		const service = await openServiceDb(options);
		const keysDir = await makeKeys(dir);
		const clock = movableClock();
		const publisher = createPublisher({ db: service.db, keysDir, clock: clock.now, holder: 'one' });
		try {
			assert.deepEqual(await publisher.publishNow(), { status: 'no-registry' });
			await seedDocument(service.db, registryText(2));
			const first = published(await publisher.publishNow());
			assert.equal(first.initial, true);
			assert.equal(first.changes, 0);
			assert.deepEqual(first.versions, { root: 1, targets: 1, snapshot: 1, timestamp: 1 });
			assert.equal(first.logSize, 2, 'the registry as it stood, and the publish');

			const added = await editDocument(service.db, registryText(3), {
				action: 'plugin_add',
				subject: UUIDS[2],
				reason: 'Added plugin 2 after review',
				actorKey: MAINTAINER_KEY,
				report: 'https://registry.example.org/reports/7',
			});
			const revision = await editDocument(service.db, registryText(3, 1), {
				action: 'plugin_update',
				subject: UUIDS[0],
				reason: 'New description',
				// A name without a key: the publisher's key stands in for it in the log.
				actorKey: null,
			});
			assert.equal(revision, added + 1);
			const second = published(await publisher.publishNow());
			assert.equal(second.changes, 2);
			assert.equal(second.revision, revision);
			assert.deepEqual(second.versions, { root: 1, targets: 2, snapshot: 2, timestamp: 2 });
			assert.equal(second.logSize, 5);
			assert.deepEqual(await publisher.publishNow(), { status: 'up-to-date', revision });
			await publisher.waitForRevision(revision);

			for (const change of await changeRows(service.db)) {
				assert.equal(change.publish_id, second.publishId, `change ${change.seq} is published once`);
			}
			const rows = await service.db
				.selectFrom('repo_files')
				.select(['path', 'immutable', 'publish_id'])
				.execute();
			const flags = new Map(rows.map((row) => [row.path, Number(row.immutable)]));
			for (const [path, immutable] of [
				['metadata/timestamp.json', 0],
				['metadata/root.json', 0],
				['metadata/1.root.json', 1],
				['metadata/2.targets.json', 1],
				['metadata/2.snapshot.json', 1],
				['log/checkpoint', 0],
				['log/tile/0/000.p/5', 0],
				['log/tile/entries/000.p/5', 0],
				['log/tile/0/000.p/2', 0],
			] as const) {
				assert.equal(flags.get(path), immutable, `${path} is stored, immutable=${immutable}`);
			}
			assert.ok(!flags.has('pending-root.json'), 'the pending root file is not served');
			const targetPaths = [...flags.keys()].filter((path) => path.startsWith('targets/'));
			assert.ok(targetPaths.some((path) => path.endsWith('.registry.json')));
			assert.ok(targetPaths.some((path) => path.endsWith('.blacklist.json')));
			assert.ok(targetPaths.some((path) => path.endsWith('.log-key.txt')));
			for (const path of targetPaths) assert.equal(flags.get(path), 1, `${path} is immutable`);

			const document = await service.db
				.selectFrom('registry_document')
				.select('text')
				.executeTakeFirstOrThrow();
			assert.deepEqual(
				await publishedRegistryTarget(service.db),
				registryTargetOf(document.text),
				'the published registry target is the document',
			);

			const repoDir = join(dir, 'served');
			await exportRepository(service.db, repoDir);
			const verified = await verifyRepository(
				repoDir,
				join(dir, 'client'),
				join(repoDir, 'metadata', '1.root.json'),
				clock.now,
			);
			assert.equal(verified.versions.targets, 2);
			assert.match(verified.text, /edition 1/);

			const entries = await logEntries(repoDir, keysDir);
			assert.deepEqual(
				entries.map((entry) => [entry.action, entry.targets_version]),
				[
					['edit', 1],
					['publish', 1],
					['plugin_add', 2],
					['plugin_update', 2],
					['publish', 2],
				],
			);
			assert.equal(entries[0]?.reason, INITIAL_REASON);
			assert.equal(entries[2]?.reason, 'Added plugin 2 after review');
			assert.equal(entries[2]?.actor, MAINTAINER_KEY);
			assert.equal(entries[2]?.report, 'https://registry.example.org/reports/7');
			assert.equal(entries[2]?.time, '2026-01-03T00:00:00Z');
			assert.notEqual(entries[3]?.actor, MAINTAINER_KEY);
			assert.equal(entries[3]?.reason, 'New description');
			assert.equal(entries[3]?.registry_before, entries[2]?.registry_after, 'entries chain');
		} finally {
			await publisher.stop();
			await service.close();
		}
	});
});

test('what cannot be logged is not published, and the database stays as it was', async (t) => {
	await forEachEngine(t, async ({ options, dir }) => {
		const service = await openServiceDb(options);
		const keysDir = await makeKeys(dir);
		const clock = movableClock();
		const publisher = createPublisher({ db: service.db, keysDir, clock: clock.now });
		try {
			await seedDocument(service.db, registryText(2));
			published(await publisher.publishNow());
			const before = await storedFiles(service.db);

			// An action the log does not know.
			await editDocument(service.db, registryText(3), { action: 'plugin_teleport' });
			await rejectsWith(publisher.publishNow(), 'PUBLISH_FAILED', 'LOG_BAD_ENTRY');
			assert.deepEqual(await storedFiles(service.db), before);
			assert.equal((await publishRows(service.db)).length, 1);
			assert.equal((await changeRows(service.db))[0]?.publish_id, null);

			// A report that is not a link, and a reason of control characters only.
			await service.db.updateTable('changes').set({ action: 'plugin_add' }).execute();
			await service.db.updateTable('changes').set({ report: 'javascript:alert(1)' }).execute();
			await assert.rejects(publisher.publishNow(), /cannot be logged: report/);
			await service.db.updateTable('changes').set({ report: null, reason: '' }).execute();
			await assert.rejects(publisher.publishNow(), /cannot be logged: reason/);
			assert.deepEqual(await storedFiles(service.db), before);

			// The document changed by something that recorded no change (the chain breaks).
			await service.db.updateTable('changes').set({ reason: 'Fixed' }).execute();
			await service.db
				.updateTable('registry_document')
				.set({ text: registryText(4) })
				.execute();
			await rejectsWith(publisher.publishNow(), 'PUBLISH_FAILED', 'TUF_LOG_REASON_REQUIRED');
			assert.deepEqual(await storedFiles(service.db), before);
			assert.equal((await publishRows(service.db)).length, 1);

			// Put right, the same publisher publishes it, once.
			await service.db
				.updateTable('registry_document')
				.set({ text: registryText(3) })
				.execute();
			const fixed = published(await publisher.publishNow());
			assert.equal(fixed.changes, 1);
			assert.deepEqual(
				(await publishRows(service.db)).map((row) => row.targets_version),
				[1, 2],
			);
		} finally {
			await publisher.stop();
			await service.close();
		}
	});
});

test('root keys stay offline: root 1 comes signed from outside, or nothing is published', async (t) => {
	await forEachEngine(t, async ({ options, dir }) => {
		const service = await openServiceDb(options);
		const keysDir = await makeKeys(dir);
		const online = await onlineKeys(keysDir, dir);
		const clock = movableClock();
		try {
			await seedDocument(service.db, registryText(2));
			const withoutRoot = createPublisher({ db: service.db, keysDir: online, clock: clock.now });
			await rejectsWith(withoutRoot.publishNow(), 'PUBLISH_FAILED', 'TUF_ROOT_NOT_FULLY_SIGNED');
			assert.equal((await storedFiles(service.db)).size, 0, 'nothing is stored');
			await withoutRoot.stop();

			// The key holders sign root 1 on their own machine (here: a local publish).
			const offline = join(dir, 'offline-repo');
			await publishRepository({
				registryText: registryText(2),
				keysDir,
				outDir: offline,
				now: clock.now(),
			});
			const initialRoot = await readFile(join(offline, 'metadata', '1.root.json'));
			const publisher = createPublisher({
				db: service.db,
				keysDir: online,
				clock: clock.now,
				initialRoot,
			});
			const first = published(await publisher.publishNow());
			assert.equal(first.versions.root, 1);
			const stored = await service.db
				.selectFrom('repo_files')
				.select('bytes')
				.where('path', '=', 'metadata/1.root.json')
				.executeTakeFirstOrThrow();
			assert.deepEqual(Buffer.from(stored.bytes), initialRoot);
			await publisher.stop();
		} finally {
			await service.close();
		}
	});
});

test('the running publisher initialises, publishes edits, and renews the timestamp', async (t) => {
	await forEachEngine(t, async ({ options, dir }) => {
		const service = await openServiceDb(options);
		const keysDir = await makeKeys(dir);
		const clock = movableClock();
		const events: string[] = [];
		const publisher = createPublisher({
			db: service.db,
			keysDir,
			clock: clock.now,
			intervalMs: 20,
			log: (event) => events.push(event.type),
		});
		const next = () =>
			new Promise<Extract<PublishOutcome, { status: 'published' }>>((resolve) => {
				const off = publisher.onPublished((outcome) => {
					off();
					resolve(outcome);
				});
			});
		try {
			await seedDocument(service.db, registryText(2));
			const initial = next();
			publisher.start();
			assert.equal((await initial).initial, true);
			assert.ok(publisher.holding());

			const edited = next();
			const revision = await editDocument(service.db, registryText(3));
			await publisher.waitForRevision(revision);
			assert.equal((await edited).changes, 1);

			// Nothing changes, but the clock nears the timestamp's expiry (one day by default).
			const renewed = next();
			clock.advance(13 * 60 * 60 * 1000);
			const outcome = await renewed;
			assert.equal(outcome.changes, 0);
			assert.equal(outcome.versions.timestamp, 3);
			const expiry = await service.db
				.selectFrom('repo_files')
				.select('bytes')
				.where('path', '=', 'metadata/timestamp.json')
				.executeTakeFirstOrThrow();
			const signed = JSON.parse(Buffer.from(expiry.bytes).toString('utf8')) as {
				signed: { expires: string };
			};
			assert.ok(Date.parse(signed.signed.expires) > clock.now().getTime() + 20 * 60 * 60 * 1000);
			assert.ok(events.includes('lease-acquired'));
		} finally {
			await publisher.stop();
			await service.close();
		}
	});
});

test('a stored file that is not what the database recorded stops the publish', async (t) => {
	await forEachEngine(t, async ({ options, dir }) => {
		const service = await openServiceDb(options);
		const keysDir = await makeKeys(dir);
		const clock = movableClock();
		try {
			await seedDocument(service.db, registryText(2));
			const setup = createPublisher({ db: service.db, keysDir, clock: clock.now });
			published(await setup.publishNow());
			await setup.stop();
			await editDocument(service.db, registryText(3));

			// Bytes that do not hash to the recorded SHA-256: a damaged or tampered row.
			const checkpoint = await service.db
				.selectFrom('repo_files')
				.select(['bytes'])
				.where('path', '=', 'log/checkpoint')
				.executeTakeFirstOrThrow();
			const damaged = Buffer.from(checkpoint.bytes);
			damaged[0] = (damaged[0] ?? 0) ^ 1;
			await service.db
				.updateTable('repo_files')
				.set({ bytes: damaged })
				.where('path', '=', 'log/checkpoint')
				.execute();
			const before = await storedFiles(service.db);
			const publisher = createPublisher({ db: service.db, keysDir, clock: clock.now });
			await assert.rejects(publisher.publishNow(), /does not match its recorded SHA-256/);
			assert.deepEqual(await storedFiles(service.db), before);
			await service.db
				.updateTable('repo_files')
				.set({ bytes: Buffer.from(checkpoint.bytes) })
				.where('path', '=', 'log/checkpoint')
				.execute();

			// A version the next publish would sign, already there with other bytes: a publish
			// never overwrites a file that clients may have cached for ever.
			const junk = Buffer.from('{"not":"the targets"}\n');
			await service.db
				.insertInto('repo_files')
				.values({
					path: 'metadata/2.targets.json',
					bytes: junk,
					sha256: createHash('sha256').update(junk).digest('hex'),
					immutable: 1,
					publish_id: 1,
					updated_at: clock.now().toISOString(),
				})
				.execute();
			const withJunk = await storedFiles(service.db);
			await assert.rejects(publisher.publishNow(), /never changes once published/);
			assert.deepEqual(await storedFiles(service.db), withJunk);
			assert.equal((await publishRows(service.db)).length, 1);
			assert.equal((await changeRows(service.db))[0]?.publish_id, null);
			await publisher.stop();
		} finally {
			await service.close();
		}
	});
});

test('a change made again after it was undone is logged again, not taken for a logged one', async (t) => {
	await forEachEngine(t, async ({ options, dir }) => {
		const service = await openServiceDb(options);
		const keysDir = await makeKeys(dir);
		const clock = movableClock();
		const publisher = createPublisher({ db: service.db, keysDir, clock: clock.now });
		try {
			await seedDocument(service.db, registryText(2));
			published(await publisher.publishNow());
			// Block, unblock, block again: the third change is the first one's twin (same action,
			// subject, reason, and the same registry before and after).
			const block = {
				action: 'blacklist_add',
				subject: 'https://github.com/evil/two',
				reason: 'Malware',
			};
			const unblock = {
				action: 'blacklist_remove',
				subject: 'https://github.com/evil/two',
				reason: 'A mistake',
			};
			for (const [text, edit] of [
				[registryText(3), block],
				[registryText(2), unblock],
				[registryText(3), block],
			] as const) {
				await editDocument(service.db, text, edit);
				assert.equal(published(await publisher.publishNow()).changes, 1);
			}
			const repoDir = join(dir, 'served');
			await exportRepository(service.db, repoDir);
			const actions = (await logEntries(repoDir, keysDir))
				.map((entry) => entry.action)
				.filter((action) => action !== 'publish');
			assert.deepEqual(actions, ['edit', 'blacklist_add', 'blacklist_remove', 'blacklist_add']);
		} finally {
			await publisher.stop();
			await service.close();
		}
	});
});

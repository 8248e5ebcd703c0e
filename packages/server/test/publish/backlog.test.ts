/**
 * The backlog bound: every waiting change goes out in one publish, so once the repository has
 * published, the store refuses edits past the bound (nothing lost, the maintainer told to wait);
 * before the first publish there is no bound, and the first publish carries them all in its
 * first entry.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { isVouchError } from '@vouch/library';
import { planBlacklistAdd } from '@vouch/library/internal/registry/edit/blacklist-plans';
import { openServiceDb } from '../../src/db/open.ts';
import { createPublisher } from '../../src/publish/index.ts';
import { MAX_UNPUBLISHED_CHANGES } from '../../src/store/backlog.ts';
import { createRegistryStore } from '../../src/store/registry-store.ts';
import { forEachEngine } from '../engines.ts';
import {
	changeRows,
	editDocument,
	publishRows,
	registryText,
	seedDocument,
} from './helpers/registry.ts';
import { exportRepository, logEntries } from './helpers/repository.ts';
import { makeKeys } from './helpers/world.ts';

const ACTOR = { name: 'alice', role: 'maintainer' } as const;

test('a backlog past the bound before the first publish goes out whole; after it, edits wait', async (t) => {
	await forEachEngine(t, async (fixture) => {
		const database = await openServiceDb(fixture.options);
		const keysDir = await makeKeys(fixture.dir);
		const publisher = createPublisher({ db: database.db, keysDir, holder: 'only' });
		try {
			await seedDocument(database.db, registryText(2));
			// More changes than one publish's journal may carry, made before any publish.
			for (let i = 1; i <= MAX_UNPUBLISHED_CHANGES + 4; i++) {
				await editDocument(database.db, registryText(2, i));
			}
			const first = await publisher.publishNow();
			assert.equal(first.status, 'published');
			const changes = await changeRows(database.db);
			const [publish] = await publishRows(database.db);
			assert.ok(changes.every((change) => change.publish_id === publish?.id));
			const repoDir = `${fixture.dir}/served`;
			await exportRepository(database.db, repoDir);
			// The registry as it stood, and the publish: the earlier changes are in the rows.
			assert.deepEqual(
				(await logEntries(repoDir, keysDir)).map((entry) => entry.action),
				['edit', 'publish'],
			);

			// After it, a stopped publisher: edits wait up to the bound, then are refused.
			const store = createRegistryStore({ database, clock: () => new Date() });
			for (let i = 0; i < MAX_UNPUBLISHED_CHANGES; i++) {
				await editDocument(database.db, registryText(2, 1000 + i));
			}
			const before = await store.document();
			await assert.rejects(
				store.edit(
					(context) => planBlacklistAdd(context, { url: 'https://example.org/x', reason: 'bad' }),
					ACTOR,
				),
				(error) => isVouchError(error) && error.code === 'UNAVAILABLE',
			);
			assert.equal((await store.document())?.revision, before?.revision);
			// Once they are published, edits go through again.
			assert.equal((await publisher.publishNow()).status, 'published');
			const after = await store.edit(
				(context) => planBlacklistAdd(context, { url: 'https://example.org/x', reason: 'bad' }),
				ACTOR,
			);
			assert.ok(after.stored !== undefined);
		} finally {
			await publisher.stop();
			await database.close();
		}
	});
});

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '@vouch/library';
import { planBlacklistAdd } from '@vouch/library/internal/registry/edit/blacklist-plans';
import { planPluginEdit } from '@vouch/library/internal/registry/edit/plugin-plans';
import { openServiceDb } from '../../src/db/open.ts';
import type { Actor } from '../../src/store/actor.ts';
import { getBlacklistEntry, listBlacklist } from '../../src/store/blacklist-queries.ts';
import { getPlugin, listPlugins } from '../../src/store/plugin-queries.ts';
import { createRegistryStore } from '../../src/store/registry-store.ts';
import { forEachEngine } from '../engines.ts';

// Picard's real registry, as published (a copy kept with the library's fixtures).
const REAL_REGISTRY = await readFile(
	join(import.meta.dirname, '../../../library/test/fixtures/registries/picard-plugins.toml'),
	'utf8',
);
const ALICE: Actor = { name: 'alice', role: 'maintainer' };
const clock = () => new Date('2026-06-01T12:00:00Z');

describe('registry store', () => {
	it('imports a real registry losslessly, searches it, edits it with the library planners', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				const imported = await store.importText(REAL_REGISTRY, ALICE, 'first import');
				assert.equal(imported.stored?.revision, 1);
				assert.equal(imported.stored?.action, 'edit');
				const document = await store.document();
				// Lossless: the exported text is the imported text, byte for byte.
				assert.equal(document?.text, REAL_REGISTRY);

				const all = await listPlugins(database.db, { perPage: 100 });
				const parsed = (await store.registry())?.registry;
				assert.equal(all.total, parsed?.plugins.length);
				assert.ok(all.total > 10);
				const first = parsed?.plugins[0];
				assert.ok(first !== undefined);
				const found = await listPlugins(database.db, { q: first.name.toUpperCase() });
				assert.ok(found.items.some((item) => item.id === first.id));
				// LIKE metacharacters are literal.
				assert.equal((await listPlugins(database.db, { q: '%zq%' })).total, 0);
				assert.equal((await listPlugins(database.db, { q: "' or 1=1 --" })).total, 0);

				const edited = await store.edit(
					(context) =>
						planPluginEdit(context, first.id, { trust: 'trusted', reason: 'reviewed twice' }),
					ALICE,
				);
				assert.equal(edited.stored?.action, 'trust_change');
				assert.equal(edited.stored?.revision, 2);
				assert.equal((await getPlugin(database.db, first.id))?.trust, 'trusted');
				const text = (await store.document())?.text ?? '';
				assert.notEqual(text, REAL_REGISTRY);
				// Outside the edited entry, the text is untouched (comments and layout kept).
				assert.ok(text.startsWith(REAL_REGISTRY.slice(0, REAL_REGISTRY.indexOf('[[plugins]]'))));

				await store.edit(
					(context) =>
						planBlacklistAdd(context, {
							url: 'https://github.com/evil/thing',
							reason: '<script>alert(1)</script> steals tokens',
						}),
					ALICE,
				);
				const blacklist = await listBlacklist(database.db);
				const added = blacklist.at(-1);
				assert.equal(added?.reason, '<script>alert(1)</script> steals tokens');
				assert.equal(
					(await getBlacklistEntry(database.db, added?.id ?? ''))?.value,
					'https://github.com/evil/thing',
				);

				const changes = await database.db
					.selectFrom('changes')
					.selectAll()
					.orderBy('seq')
					.execute();
				assert.deepEqual(
					changes.map((c) => [c.action, c.revision, c.actor_name]),
					[
						['edit', 1, 'alice'],
						['trust_change', 2, 'alice'],
						['blacklist_add', 3, 'alice'],
					],
				);
				// The records chain: each change starts where the previous one ended.
				for (let i = 1; i < changes.length; i++) {
					assert.equal(changes[i]?.sha256_before, changes[i - 1]?.sha256_after);
				}
			} finally {
				await database.close();
			}
		});
	});

	it('refuses a registry the reader refuses, and keeps what it had', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				await store.importText(REAL_REGISTRY, ALICE, 'first import');
				await assert.rejects(
					store.importText('plugins = "not a table"\n[[', ALICE, 'broken'),
					(error) => isVouchError(error),
				);
				assert.equal((await store.document())?.text, REAL_REGISTRY);
				await assert.rejects(
					store.edit(
						(context) =>
							planPluginEdit(context, 'no-such-plugin', { trust: 'official', reason: 'x' }),
						ALICE,
					),
					(error) => isVouchError(error) && error.code === 'PLUGIN_NOT_IN_REGISTRY',
				);
				assert.equal((await store.document())?.revision, 1);
			} finally {
				await database.close();
			}
		});
	});

	it('commits what runs alongside an edit with it, or neither', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				await store.importText(REAL_REGISTRY, ALICE, 'first import');
				const url = 'https://github.com/someone/alongside';
				await assert.rejects(
					store.edit(
						(context) => planBlacklistAdd(context, { url, reason: 'bad' }),
						ALICE,
						async (trx, stored) => {
							assert.ok(stored !== undefined, 'the stored change is handed over');
							await trx
								.updateTable('sync_state')
								.set({ updated_at: 'x' })
								.where('name', '=', 'none')
								.execute();
							throw new Error('the record beside the edit failed');
						},
					),
					/the record beside the edit failed/,
				);
				assert.equal((await store.document())?.revision, 1, 'the edit rolled back too');
				const changes = await database.db.selectFrom('changes').select('seq').execute();
				assert.equal(changes.length, 1, 'only the import is recorded');
				let seen: number | undefined;
				await store.edit(
					(context) => planBlacklistAdd(context, { url, reason: 'bad' }),
					ALICE,
					async (_trx, stored) => {
						seen = stored?.seq;
					},
				);
				assert.equal((await store.document())?.revision, 2);
				assert.ok(seen !== undefined && seen > 1);
			} finally {
				await database.close();
			}
		});
	});

	it('never loses an edit when two writers race on one database', async (t) => {
		await forEachEngine(t, async ({ engine, options }) => {
			// SQLite serves one process, through one connection that runs one transaction at a time
			// (better-sqlite3 blocks the thread while it waits for a lock); several processes are
			// what PostgreSQL is for, so there the writers get a connection pool each.
			const first = await openServiceDb(options);
			const second = engine === 'sqlite' ? first : await openServiceDb(options);
			try {
				const a = createRegistryStore({ database: first, clock, attempts: 10 });
				const b = createRegistryStore({ database: second, clock, attempts: 10 });
				await a.importText(REAL_REGISTRY, ALICE, 'first import');
				const urls = Array.from({ length: 6 }, (_, i) => `https://example.org/bad/${i}`);
				await Promise.all(
					urls.map((url, i) =>
						(i % 2 === 0 ? a : b).edit(
							(context) => planBlacklistAdd(context, { url, reason: `bad ${i}` }),
							ALICE,
						),
					),
				);
				const values = (await listBlacklist(first.db)).map((entry) => entry.value);
				for (const url of urls) assert.ok(values.includes(url), `${url} was lost`);
				const revision = (await a.document())?.revision;
				assert.equal(revision, 1 + urls.length);
				const changes = await first.db.selectFrom('changes').select('revision').execute();
				assert.equal(new Set(changes.map((c) => c.revision)).size, changes.length);
			} finally {
				await first.close();
				if (second !== first) await second.close();
			}
		});
	});
});

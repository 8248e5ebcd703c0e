import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planPluginEdit } from '@vouch/library/internal/registry/edit/plugin-plans';
import { registryTargets } from '@vouch/library/internal/tuf/repository/registry-targets';
import { openServiceDb } from '../../src/db/open.ts';
import type { Actor } from '../../src/store/actor.ts';
import { createRegistryStore } from '../../src/store/registry-store.ts';
import { forEachEngine } from '../engines.ts';
import { registryText } from '../publish/helpers/registry.ts';

const REAL_REGISTRY = await readFile(
	join(import.meta.dirname, '../../../library/test/fixtures/registries/picard-plugins.toml'),
	'utf8',
);
const MIA: Actor = { name: 'mia', role: 'maintainer' };
const clock = () => new Date('2026-06-01T12:00:00Z');

describe('an edit cannot stop the publisher', () => {
	it('refuses an edit that makes a publishable registry one the publisher refuses', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				const text = registryText(3);
				registryTargets(text, { label: 'fixture' }); // publishable to start with
				await store.importText(text, MIA, 'first import');

				// An official plugin needs reviewed releases (D19b): without them the publisher
				// would refuse every later publish, by anyone, until this was undone.
				await assert.rejects(
					store.edit(
						(context) =>
							planPluginEdit(context, 'plugin-0', { trust: 'official', reason: 'promote' }),
						MIA,
					),
					(error: { code?: string; message?: string }) =>
						error.code === 'BAD_REQUEST' && /publisher refuses/.test(error.message ?? ''),
				);
				const after = await store.document();
				assert.equal(after?.text, text);
				assert.equal(after?.revision, 1);
				assert.equal((await database.db.selectFrom('changes').selectAll().execute()).length, 1);

				// An edit that keeps it publishable goes through.
				const trusted = await store.edit(
					(context) =>
						planPluginEdit(context, 'plugin-0', { trust: 'trusted', reason: 'reviewed' }),
					MIA,
				);
				assert.equal(trusted.stored?.revision, 2);
				registryTargets((await store.document())?.text ?? '', { label: 'edited' });
			} finally {
				await database.close();
			}
		});
	});

	it('does not hold an editor to a registry that was unpublishable before the edit', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				// Picard's real registry lists official plugins without pinned releases.
				assert.throws(() => registryTargets(REAL_REGISTRY, { label: 'real' }));
				await store.importText(REAL_REGISTRY, MIA, 'first import');
				const first = (await store.registry())?.registry.plugins.find(
					(plugin) => plugin.trustLevel !== 'official',
				);
				assert.ok(first !== undefined);
				const edited = await store.edit(
					(context) => planPluginEdit(context, first.id, { trust: 'trusted', reason: 'reviewed' }),
					MIA,
				);
				assert.equal(edited.stored?.revision, 2);
			} finally {
				await database.close();
			}
		});
	});
});

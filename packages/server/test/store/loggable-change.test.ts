import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { planBlacklistAdd } from '@vouch/library/internal/registry/edit/blacklist-plans';
import { planPluginEdit } from '@vouch/library/internal/registry/edit/plugin-plans';
import { openServiceDb } from '../../src/db/open.ts';
import { changeRecordOf } from '../../src/publish/change-journal.ts';
import type { Actor } from '../../src/store/actor.ts';
import { createRegistryStore } from '../../src/store/registry-store.ts';
import { forEachEngine } from '../engines.ts';

const REAL_REGISTRY = await readFile(
	join(import.meta.dirname, '../../../library/test/fixtures/registries/picard-plugins.toml'),
	'utf8',
);
const ALICE: Actor = { name: 'alice', role: 'maintainer' };
const clock = () => new Date('2026-06-01T12:00:00Z');

// A report the log refuses would be stored, then stop every later publish (the publisher
// will not skip a change): each of these must be refused when the edit is made.
const UNLOGGABLE_REPORTS = [
	'see ticket 12',
	'http://example.org/report/1',
	'https://example.org/a report',
	'javascript:alert(1)',
	`https://example.org/${'a'.repeat(2100)}`,
];

describe('a change the transparency log refuses is refused at the door', () => {
	it('refuses unloggable reports and reasons, stores nothing, and keeps publishing possible', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				await store.importText(REAL_REGISTRY, ALICE, 'first import');
				const first = (await store.registry())?.registry.plugins[0];
				assert.ok(first !== undefined);
				const before = await store.document();

				for (const report of UNLOGGABLE_REPORTS) {
					await assert.rejects(
						store.edit(
							(context) =>
								planPluginEdit(context, first.id, { trust: 'trusted', reason: 'reviewed', report }),
							ALICE,
						),
						(error: { code?: string }) => error.code === 'BAD_REQUEST',
						`plugin edit with report ${JSON.stringify(report.slice(0, 40))}`,
					);
					await assert.rejects(
						store.edit(
							(context) =>
								planBlacklistAdd(context, {
									url: 'https://github.com/evil/thing',
									reason: 'steals tokens',
									report,
								}),
							ALICE,
						),
						(error: { code?: string }) => error.code === 'BAD_REQUEST',
					);
				}
				await assert.rejects(
					store.importText(`${REAL_REGISTRY}\n# changed\n`, ALICE, ''),
					(error: { code?: string }) => error.code === 'BAD_REQUEST',
				);
				await assert.rejects(
					store.importText(`${REAL_REGISTRY}\n# changed\n`, ALICE, 'r'.repeat(2001)),
					(error: { code?: string }) => error.code === 'BAD_REQUEST',
				);

				// Nothing was written: the document and the change rows are as they were.
				assert.equal((await store.document())?.revision, before?.revision);
				const afterRefusals = await database.db.selectFrom('changes').selectAll().execute();
				assert.equal(afterRefusals.length, 1);

				// A good report still goes through, and every stored row is one the publisher can log.
				const good = await store.edit(
					(context) =>
						planPluginEdit(context, first.id, {
							trust: 'trusted',
							reason: 'reviewed',
							report: 'https://example.org/reports/12',
						}),
					ALICE,
				);
				assert.equal(good.stored?.action, 'trust_change');
				const rows = await database.db.selectFrom('changes').selectAll().orderBy('seq').execute();
				assert.equal(rows.length, 2);
				for (const row of rows) {
					const record = changeRecordOf({
						...row,
						seq: Number(row.seq),
						revision: Number(row.revision),
					});
					assert.equal(record.registrySha256After, row.sha256_after);
				}
				assert.equal(rows[1]?.report, 'https://example.org/reports/12');
			} finally {
				await database.close();
			}
		});
	});
});

/**
 * Issue 12: "the registry in the database is the same model as plugins.toml; import and export
 * are lossless". The real Picard registry goes in and comes out byte for byte, in both formats;
 * and after any sequence of edits through the store's planners, the library's own reading of
 * the exported file is exactly what the store's projections (search, pages) show.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '@vouch/library';
import { sniffRegistryFormat } from '@vouch/library/internal/registry/decode';
import {
	planBlacklistAdd,
	planBlacklistRemove,
} from '@vouch/library/internal/registry/edit/blacklist-plans';
import type { EditContext, EditPlan } from '@vouch/library/internal/registry/edit/plan';
import { planPluginEdit } from '@vouch/library/internal/registry/edit/plugin-plans';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import fc from 'fast-check';
import { createRepo } from '../../../library/test/helpers/git-repos.ts';
import { openServiceDb, type ServiceDb } from '../../src/db/open.ts';
import { createRegistryStore, type RegistryStore } from '../../src/store/registry-store.ts';
import { exportToRepository } from '../../src/sync/export.ts';
import { followRegistryRepository } from '../../src/sync/follow.ts';
import { forEachEngine } from '../engines.ts';
import { AUTHOR, clock, fileAt, REAL_JSON, REAL_TOML, SYNC_ACTOR, testGit } from './fixtures.ts';

const git = testGit();
const ALICE = { name: 'alice', role: 'maintainer' as const };
const TRUST_LEVELS = ['official', 'trusted', 'community'] as const;

async function exportTo(
	store: RegistryStore,
	database: ServiceDb,
	workdir: string,
	path: string,
): Promise<void> {
	await exportToRepository({
		store,
		database,
		git,
		workdir,
		branch: 'main',
		path,
		author: AUTHOR,
		clock,
	});
}

describe('lossless import and export', () => {
	it('gives back the real Picard registry byte for byte, in TOML and in JSON, through git both ways', async (t) => {
		await forEachEngine(t, async ({ options, dir }) => {
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				for (const [text, path] of [
					[REAL_TOML, 'plugins.toml'],
					[REAL_JSON, 'plugins.json'],
				] as const) {
					// In from a followed repository, out to another one.
					const upstream = createRepo({ dir: join(dir, `up-${path}`), files: { [path]: text } });
					const follower = followRegistryRepository({
						store,
						database,
						git,
						url: upstream.dir,
						path,
						workdir: join(dir, `follow-${path}`),
						clock,
						actor: SYNC_ACTOR,
					});
					assert.equal((await follower.syncOnce()).status, 'imported');
					const target = createRepo({
						dir: join(dir, `down-${path}`),
						files: { 'README.md': 'x\n' },
					});
					await exportTo(store, database, target.dir, path);
					assert.equal(fileAt(target.dir, 'HEAD', path), text);
					assert.equal(readFileSync(join(target.dir, path), 'utf8'), text);
				}
			} finally {
				await database.close();
			}
		});
	});

	it('after random edits, the library reads from the export exactly what the projections show', async (t) => {
		await forEachEngine(t, async ({ options, dir }) => {
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				const target = createRepo({ dir: join(dir, 'target'), files: { 'README.md': 'x\n' } });
				const pluginCount = parseRegistryText(REAL_TOML, { label: 'real' }).plugins.length;
				type Planner = (context: EditContext) => EditPlan;
				const reasonArb = fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() !== '');
				const editArb: fc.Arbitrary<{ label: string; planner: Planner }> = fc.oneof(
					fc
						.tuple(fc.nat({ max: pluginCount - 1 }), fc.constantFrom(...TRUST_LEVELS), reasonArb)
						.map(([index, trust, reason]) => ({
							label: `trust #${index} ${trust}`,
							planner: (context: EditContext) => {
								const id = context.registry.plugins[index]?.id ?? '';
								return planPluginEdit(context, id, { trust, reason });
							},
						})),
					fc
						.tuple(
							fc.stringMatching(/^[a-z][a-z0-9-]{0,15}$/),
							reasonArb,
							fc.constantFrom('hard', 'soft'),
						)
						.map(([name, reason, severity]) => ({
							label: `blacklist ${name}`,
							planner: (context: EditContext) =>
								planBlacklistAdd(context, {
									url: `https://github.com/evil/${name}`,
									reason,
									severity: severity as 'hard' | 'soft',
								}),
						})),
					fc.nat({ max: 5 }).map((index) => ({
						label: `unblacklist #${index}`,
						planner: (context: EditContext) => {
							const entries = context.registry.blacklist;
							const entry = entries[index % Math.max(entries.length, 1)];
							return planBlacklistRemove(context, {
								url: entry?.url ?? 'https://nowhere.invalid/x',
								reason: 'lifted',
							});
						},
					})),
				);
				let applied = 0;
				await fc.assert(
					fc.asyncProperty(fc.array(editArb, { minLength: 1, maxLength: 6 }), async (edits) => {
						await store.importText(REAL_TOML, SYNC_ACTOR, 'reset');
						for (const edit of edits) {
							try {
								if ((await store.edit(edit.planner, ALICE)).stored !== undefined) applied++;
							} catch (error) {
								// A planner may refuse an edit (a duplicate entry, nothing to remove): no change then.
								if (!isVouchError(error) || error.code === 'REGISTRY_CONFLICT') throw error;
							}
						}
						await exportTo(store, database, target.dir, 'plugins.toml');
						const exported = fileAt(target.dir, 'HEAD', 'plugins.toml');
						assert.equal(exported, (await store.document())?.text);
						const read = parseRegistryText(exported, {
							label: 'exported',
							format: sniffRegistryFormat(exported),
						});

						const plugins = await database.db
							.selectFrom('plugins')
							.selectAll()
							.orderBy('position')
							.execute();
						assert.deepEqual(
							plugins.map((row) => [
								row.id,
								row.uuid,
								row.name,
								row.trust,
								row.git_url,
								row.categories,
							]),
							read.plugins.map((plugin) => [
								plugin.id,
								plugin.uuid,
								plugin.name,
								plugin.trustLevel,
								plugin.gitUrl,
								`,${plugin.categories.join(',')},`,
							]),
						);
						const blacklist = await database.db
							.selectFrom('blacklist')
							.selectAll()
							.orderBy('position')
							.execute();
						assert.deepEqual(
							blacklist.map((row) => [row.value, row.reason, row.severity]),
							read.blacklist.map((entry) => [
								[entry.uuid, entry.url, entry.urlRegex].filter((v) => v !== undefined).join(' '),
								entry.reason ?? '',
								entry.severity,
							]),
						);
					}),
					{ numRuns: 12 },
				);
				assert.ok(applied > 0, 'the planners made some of the edits');
			} finally {
				await database.close();
			}
		});
	});
});

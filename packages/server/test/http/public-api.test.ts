import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { planBlacklistAdd } from '@vouch/library/internal/registry/edit/blacklist-plans';
import { forEachEngine } from '../engines.ts';
import { errorCode, type JsonDocument, testService } from './helpers.ts';

interface ListBody {
	plugins: { id: string; trust: string; categories: string[] }[];
	total: number;
	page: number;
	perPage: number;
	pages: number;
}

describe('public API', () => {
	it('searches, filters, pages and validates plugin listings', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				const all = (await (
					await service.request('/api/v1/plugins?per_page=100')
				).json()) as ListBody;
				assert.equal(all.total, 26);
				assert.equal(all.plugins.length, 26);

				const found = (await (
					await service.request('/api/v1/plugins?q=collection')
				).json()) as ListBody;
				assert.ok(found.plugins.some((plugin) => plugin.id === 'add-to-collection'));

				const trusted = (await (
					await service.request('/api/v1/plugins?trust=trusted,official&per_page=100')
				).json()) as ListBody;
				assert.ok(trusted.total > 0);
				assert.ok(trusted.plugins.every((p) => p.trust === 'trusted' || p.trust === 'official'));

				const metadata = (await (
					await service.request('/api/v1/plugins?category=metadata&per_page=100')
				).json()) as ListBody;
				assert.ok(metadata.total > 0);
				assert.ok(metadata.plugins.every((p) => p.categories.includes('metadata')));

				const page1 = (await (
					await service.request('/api/v1/plugins?per_page=10&page=1')
				).json()) as ListBody;
				const page3 = (await (
					await service.request('/api/v1/plugins?per_page=10&page=3')
				).json()) as ListBody;
				assert.equal(page1.plugins.length, 10);
				assert.equal(page3.plugins.length, 6);
				assert.equal(page3.pages, 3);
				assert.equal(
					new Set([...page1.plugins, ...page3.plugins].map((p) => p.id)).size,
					16,
					'pages do not overlap',
				);

				for (const [query, field] of [
					['per_page=0', 'per_page'],
					['per_page=101', 'per_page'],
					['page=-1', 'page'],
					['page=abc', 'page'],
					['sort=evil', 'sort'],
					['trust=godlike', 'trust'],
					['category=%3Cscript%3E', 'category'],
					[`q=${'x'.repeat(201)}`, 'q'],
					['unknown=1', 'query'],
				] as const) {
					const response = await service.request(`/api/v1/plugins?${query}`);
					assert.equal(response.status, 400, query);
					const body = (await response.json()) as {
						error: { code: string; details: { field: string } };
					};
					assert.equal(body.error.code, 'BAD_REQUEST');
					assert.equal(body.error.details.field.split('.')[0], field, query);
				}
			} finally {
				await service.close();
			}
		});
	});

	it('treats SQL metacharacters in search parameters as text and changes nothing', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				const before = await service.store.document();
				for (const q of [
					"' OR 1=1 --",
					'"; DROP TABLE plugins; --',
					'%zq%',
					'_zq_',
					'\\zq',
					"'); DELETE FROM plugins; --",
				]) {
					const response = await service.request(`/api/v1/plugins?q=${encodeURIComponent(q)}`);
					assert.equal(response.status, 200, q);
					assert.equal(((await response.json()) as ListBody).total, 0, q);
				}
				const response = await service.request(
					`/api/v1/plugins/${encodeURIComponent("x' OR '1'='1")}`,
				);
				assert.equal(response.status, 404);
				assert.deepEqual(await service.store.document(), before);
				const all = (await (await service.request('/api/v1/plugins')).json()) as ListBody;
				assert.equal(all.total, 26);
			} finally {
				await service.close();
			}
		});
	});

	it('shows one plugin with refs, texts, capabilities of its newest scan and its blacklist state', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				const id = 'additional-artists-details';
				await service.database.db
					.insertInto('scan_reports')
					.values([
						{
							plugin_id: id,
							commit_sha: 'a'.repeat(40),
							ref_name: 'main',
							report_json: JSON.stringify({
								summary: { high: 0, medium: 0, low: 0, info: 0, total: 0 },
								capabilities: { declared: [], inferred: ['network'] },
							}),
							created_at: '2026-01-01T00:00:00.000Z',
						},
						{
							plugin_id: id,
							commit_sha: 'b'.repeat(40),
							ref_name: 'main',
							report_json: JSON.stringify({
								summary: { high: 1, medium: 0, low: 0, info: 0, total: 1 },
								capabilities: {
									status: 'declared',
									declared: ['network'],
									inferred: ['network', 'filesystem'],
									undeclared: ['filesystem'],
									unused: [],
								},
							}),
							created_at: '2026-05-01T00:00:00.000Z',
						},
					])
					.execute();
				const response = await service.request(`/api/v1/plugins/${id}`);
				assert.equal(response.status, 200);
				const detail = (await response.json()) as JsonDocument;
				assert.equal(detail.trust, 'trusted');
				assert.equal(detail.nameI18n.de, 'Weitere Details zu den Künstlern');
				assert.deepEqual(detail.refs, [{ name: 'main' }]);
				assert.deepEqual(detail.releases, []);
				assert.deepEqual(detail.capabilities.declared, ['network']);
				assert.deepEqual(detail.capabilities.detected, ['network', 'filesystem']);
				assert.equal(detail.scan.commit, 'b'.repeat(40));
				assert.equal(detail.scan.summary.high, 1);
				assert.deepEqual(detail.blacklist, { blocked: false });

				await service.store.edit(
					(context) =>
						planBlacklistAdd(context, {
							url: 'HTTPS://GitHub.com/rdswift/picard-plugin-additional-artists-details.git',
							reason: 'exfiltrates <b>tokens</b>',
						}),
					{ name: 'mia', role: 'maintainer' },
				);
				const blocked = (await (
					await service.request(`/api/v1/plugins/${id}`)
				).json()) as JsonDocument;
				assert.equal(blocked.blacklist.blocked, true);
				assert.equal(blocked.blacklist.severity, 'hard');
				assert.deepEqual(blocked.blacklist.matchedOn, ['url']);
				assert.match(blocked.blacklist.entryId, /^bl-/);
				const other = (await (
					await service.request('/api/v1/plugins/add-to-collection')
				).json()) as JsonDocument;
				assert.deepEqual(other.blacklist, { blocked: false });
				assert.equal(other.capabilities, null);

				assert.equal(await errorCode(await service.request('/api/v1/plugins/nope')), 'NOT_FOUND');
			} finally {
				await service.close();
			}
		});
	});

	it('lists the blacklist and shows one entry', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				const empty = (await (await service.request('/api/v1/blacklist')).json()) as {
					entries: unknown[];
				};
				assert.deepEqual(empty.entries, []);
				await service.store.edit(
					(context) =>
						planBlacklistAdd(context, {
							uuid: '00000000-0000-4000-8000-000000000001',
							reason: '<script>alert(1)</script>',
						}),
					{ name: 'mia', role: 'maintainer' },
				);
				const list = (await (await service.request('/api/v1/blacklist')).json()) as {
					entries: { id: string; reason: string; value: string }[];
				};
				assert.equal(list.entries.length, 1);
				const [entry] = list.entries;
				assert.equal(entry?.reason, '<script>alert(1)</script>');
				const one = await service.request(`/api/v1/blacklist/${entry?.id}`);
				assert.equal(one.status, 200);
				assert.equal(
					((await one.json()) as { value: string }).value,
					'00000000-0000-4000-8000-000000000001',
				);
				assert.equal((await service.request('/api/v1/blacklist/bl-nothing')).status, 404);
				assert.equal((await service.request('/api/v1/blacklist/..%2F..%2Fetc')).status, 404);
			} finally {
				await service.close();
			}
		});
	});

	it('answers a repeated read with 304 by ETag, and a changed one with 200', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				const first = await service.request('/api/v1/plugins/add-to-collection');
				const etag = first.headers.get('etag');
				assert.ok(etag?.startsWith('"'));
				assert.match(first.headers.get('cache-control') ?? '', /max-age=\d+/);
				const again = await service.request('/api/v1/plugins/add-to-collection', {
					headers: { 'if-none-match': etag ?? '' },
				});
				assert.equal(again.status, 304);
				assert.equal(await again.text(), '');
				const other = await service.request('/api/v1/plugins/additional-artists-details', {
					headers: { 'if-none-match': etag ?? '' },
				});
				assert.equal(other.status, 200);
			} finally {
				await service.close();
			}
		});
	});

	it('reports health: database, registry revision, last publish and timestamp expiry', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				const before = (await (await service.request('/api/v1/health')).json()) as JsonDocument;
				assert.equal(before.status, 'ok');
				assert.equal(before.registry.revision, 1);
				assert.equal(before.lastPublish, null);
				assert.equal(before.timestampExpires, null);
				// One process unless the service runs workers (test/cluster/).
				assert.equal(before.processes, 1);
				const { db } = service.database;
				const publish = await db
					.insertInto('publishes')
					.values({
						lease_epoch: 1,
						holder: 'test',
						revision: 1,
						targets_version: 1,
						timestamp_version: 1,
						log_size: 1,
						started_at: '2026-06-01T11:59:00.000Z',
						completed_at: '2026-06-01T12:00:00.000Z',
					})
					.returning('id')
					.executeTakeFirstOrThrow();
				await db
					.insertInto('repo_files')
					.values({
						// Where the publisher stores it (publish/timestamp-expiry.ts).
						path: 'metadata/timestamp.json',
						bytes: Buffer.from(JSON.stringify({ signed: { expires: '2026-06-02T12:00:00Z' } })),
						sha256: 'f'.repeat(64),
						immutable: 0,
						publish_id: publish.id,
						updated_at: '2026-06-01T12:00:00.000Z',
					})
					.execute();
				const after = (await (await service.request('/api/v1/health')).json()) as JsonDocument;
				assert.equal(after.lastPublish.completedAt, '2026-06-01T12:00:00.000Z');
				assert.equal(after.timestampExpires, '2026-06-02T12:00:00Z');
			} finally {
				await service.close();
			}
		});
	});
});

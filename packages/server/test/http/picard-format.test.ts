import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRaw } from '@vouch/library/internal/registry/edit/apply';
import { planBlacklistAdd } from '@vouch/library/internal/registry/edit/blacklist-plans';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { listBlacklist } from '../../src/store/blacklist-queries.ts';
import { listPlugins } from '../../src/store/plugin-queries.ts';
import { forEachEngine } from '../engines.ts';
import { REAL_REGISTRY, testService } from './helpers.ts';

describe('Picard format', () => {
	it('serves the stored registry to an unmodified Picard-style client, as TOML and JSON', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				await service.store.edit(
					(context) =>
						planBlacklistAdd(context, {
							urlRegex: '^https://github\\.com/evil-org/.*',
							reason: 'a known bad organisation',
						}),
					{ name: 'mia', role: 'maintainer' },
				);
				const stored = (await service.store.document())?.text;
				const tomlResponse = await service.request('/picard/plugins.toml');
				assert.equal(tomlResponse.status, 200);
				assert.match(tomlResponse.headers.get('content-type') ?? '', /^application\/toml/);
				const toml = await tomlResponse.text();
				// Exactly the stored document, byte for byte.
				assert.equal(toml, stored);
				assert.ok(toml.startsWith(REAL_REGISTRY.slice(0, 200)));

				const jsonResponse = await service.request('/picard/plugins.json');
				assert.match(jsonResponse.headers.get('content-type') ?? '', /^application\/json/);
				const json = await jsonResponse.text();

				const plugins = await listPlugins(service.database.db, { perPage: 100 });
				const blacklist = await listBlacklist(service.database.db);
				for (const [text, format] of [
					[toml, 'toml'],
					[json, 'json'],
				] as const) {
					const parsed = parseRegistryText(text, { label: 'served', format });
					assert.deepEqual(
						parsed.plugins.map((plugin) => plugin.id).sort(),
						plugins.items.map((plugin) => plugin.id).sort(),
						format,
					);
					assert.deepEqual(
						parsed.blacklist.map((entry) => entry.urlRegex),
						blacklist.map((entry) => entry.value),
						format,
					);
				}
				// The JSON twin is the same document: same trust levels, same texts.
				const fromToml = parseRegistryText(toml, { label: 'toml', format: 'toml' });
				const fromJson = parseRegistryText(json, { label: 'json', format: 'json' });
				assert.deepEqual(
					fromJson.plugins.map((p) => [p.id, p.trustLevel, p.name, p.nameI18n]),
					fromToml.plugins.map((p) => [p.id, p.trustLevel, p.name, p.nameI18n]),
				);
			} finally {
				await service.close();
			}
		});
	});

	it('revalidates by ETag and changes the ETag with the document', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				for (const path of ['/picard/plugins.toml', '/picard/plugins.json']) {
					const first = await service.request(path);
					const etag = first.headers.get('etag') ?? '';
					assert.ok(etag.length > 2);
					const again = await service.request(path, { headers: { 'if-none-match': etag } });
					assert.equal(again.status, 304, path);
					assert.equal(again.headers.get('etag'), etag);
				}
				const before = (await service.request('/picard/plugins.toml')).headers.get('etag');
				await service.store.edit(
					(context) =>
						planBlacklistAdd(context, {
							uuid: '00000000-0000-4000-8000-000000000002',
							reason: 'malware',
						}),
					{ name: 'mia', role: 'maintainer' },
				);
				const after = await service.request('/picard/plugins.toml', {
					headers: { 'if-none-match': before ?? '' },
				});
				assert.equal(after.status, 200);
				assert.notEqual(after.headers.get('etag'), before);
				assert.match(await after.text(), /00000000-0000-4000-8000-000000000002/);
			} finally {
				await service.close();
			}
		});
	});

	it('converts a registry stored as JSON to TOML for Picard', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options, { imported: false });
			try {
				assert.equal((await service.request('/picard/plugins.toml')).status, 404);
				const asJson = JSON.stringify(
					decodeRaw({ text: REAL_REGISTRY, format: 'toml', label: 'real' }),
					null,
					2,
				);
				await service.store.importText(asJson, { name: 'setup', role: 'admin' }, 'json import');
				const toml = await (await service.request('/picard/plugins.toml')).text();
				const parsed = parseRegistryText(toml, { label: 'served', format: 'toml' });
				const original = parseRegistryText(REAL_REGISTRY, { label: 'real', format: 'toml' });
				assert.deepEqual(
					parsed.plugins.map((p) => [p.id, p.uuid, p.trustLevel]),
					original.plugins.map((p) => [p.id, p.uuid, p.trustLevel]),
				);
			} finally {
				await service.close();
			}
		});
	});
});

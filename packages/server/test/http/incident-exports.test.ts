/**
 * The app's incident exports and counters, on both engines: each fetch of `timestamp.json`
 * (a 200 or a 304) counts the client's newest version for the uptake metric; OSV and metrics
 * are mounted under `/api/v1`; the pages' report and appeal posts spend the report budget.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import { createAccounts } from '../../src/admin/accounts.ts';
import { openServiceDb } from '../../src/db/open.ts';
import { createApp } from '../../src/http/app.ts';
import { requestClass } from '../../src/http/rate-limit.ts';
import { createUptakeCounter } from '../../src/incidents/uptake.ts';
import { createRegistryStore } from '../../src/store/registry-store.ts';
import { forEachEngine } from '../engines.ts';
import { addPublish } from '../incidents/incident-rows.ts';

const ORIGIN = 'http://127.0.0.1';

describe('incident exports in the app', () => {
	it('counts timestamp fetches per client for uptake, and serves OSV and metrics', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const database = await openServiceDb(options);
			try {
				const clock = () => new Date('2026-06-01T12:00:00Z');
				const uptake = createUptakeCounter();
				const app = createApp({
					database,
					store: createRegistryStore({ database, clock }),
					accounts: createAccounts({ db: database.db, clock }),
					clock,
					uptake,
					limits: { rateLimit: { trustProxy: true } },
				});
				const publishId = await addPublish(database.db, {
					logSize: 2,
					timestampVersion: 4,
					completedAt: '2026-06-01T11:00:00.000Z',
				});
				const bytes = Buffer.from(JSON.stringify({ signed: { _type: 'timestamp', version: 4 } }));
				await database.db
					.insertInto('repo_files')
					.values({
						path: 'metadata/timestamp.json',
						bytes,
						sha256: createHash('sha256').update(bytes).digest('hex'),
						immutable: 0,
						publish_id: publishId,
						updated_at: '2026-06-01T11:00:00.000Z',
					})
					.execute();
				const fetch = (client: string, headers: Record<string, string> = {}) =>
					app.request(`${ORIGIN}/tuf/metadata/timestamp.json`, {
						headers: { 'x-forwarded-for': client, ...headers },
					});
				const first = await fetch('192.0.2.1');
				assert.equal(first.status, 200);
				const etag = first.headers.get('etag') ?? '';
				assert.equal((await fetch('192.0.2.2', { 'if-none-match': etag })).status, 304);
				await fetch('192.0.2.1');
				assert.equal((await app.request(`${ORIGIN}/tuf/4.snapshot.json`)).status, 404);
				assert.equal(uptake.clients, 2);
				assert.equal(uptake.clientsAtLeast(4), 2);
				assert.equal(uptake.clientsAtLeast(5), 0);

				const osv = await app.request(`${ORIGIN}/api/v1/osv`);
				assert.equal(osv.status, 200);
				assert.deepEqual(await osv.json(), []);
				assert.equal((await app.request(`${ORIGIN}/api/v1/osv/VOUCH-MAL-2026-1`)).status, 404);
				const metrics = (await (await app.request(`${ORIGIN}/api/v1/metrics`)).json()) as {
					uptake: { scope: string; clientsSeen: number };
				};
				assert.deepEqual(
					{ scope: metrics.uptake.scope, clientsSeen: metrics.uptake.clientsSeen },
					{ scope: 'process', clientsSeen: 2 },
				);
			} finally {
				await database.close();
			}
		});
	});

	it('puts the pages’ report and appeal posts in the report budget', () => {
		assert.equal(requestClass('POST', '/plugins/some-plugin/report'), 'report');
		assert.equal(requestClass('POST', '/incidents/12/appeal'), 'report');
		assert.equal(requestClass('GET', '/plugins/some-plugin/report'), 'read');
		assert.equal(requestClass('POST', '/reports/status'), 'write');
		assert.equal(requestClass('POST', '/plugins/a/b/report'), 'write');
	});
});

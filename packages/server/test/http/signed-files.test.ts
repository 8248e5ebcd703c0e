import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { describe, it } from 'node:test';
import type { ServiceDb } from '../../src/db/open.ts';
import { createRepoFileCache } from '../../src/http/repo-file-cache.ts';
import { repoPath } from '../../src/http/signed-files.ts';
import { forEachEngine } from '../engines.ts';
import { testService } from './helpers.ts';

let publishes = 0;

async function putFile(database: ServiceDb, path: string, text: string, immutable: boolean) {
	const bytes = Buffer.from(text);
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const { db } = database;
	const publish = await db
		.insertInto('publishes')
		.values({
			lease_epoch: 1,
			holder: 'test',
			revision: 1,
			targets_version: ++publishes,
			timestamp_version: publishes,
			log_size: 0,
			started_at: '2026-06-01T12:00:00.000Z',
			completed_at: '2026-06-01T12:00:00.000Z',
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	await db.deleteFrom('repo_files').where('path', '=', path).execute();
	await db
		.insertInto('repo_files')
		.values({
			path,
			bytes,
			sha256,
			immutable: immutable ? 1 : 0,
			publish_id: publish.id,
			updated_at: '2026-06-01T12:00:00.000Z',
		})
		.execute();
	return sha256;
}

describe('signed files', () => {
	it('serves repo_files with strong ETags, 304s and cache lifetimes by mutability', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				const { database } = service;
				const timestampSha = await putFile(
					database,
					'timestamp.json',
					'{"signed":{"version":1}}',
					false,
				);
				await putFile(database, '3.snapshot.json', '{"signed":{"version":3}}', true);
				await putFile(database, 'log/checkpoint', 'origin\n1\nabc=\n', false);
				await putFile(database, 'log/tile/0/000.p/1', 'tiledata', true);
				await putFile(
					database,
					`targets/${'c'.repeat(64)}.plugins.toml`,
					'api_version = "3.0"\n',
					true,
				);

				const timestamp = await service.request('/tuf/timestamp.json');
				assert.equal(timestamp.status, 200);
				assert.equal(await timestamp.text(), '{"signed":{"version":1}}');
				assert.equal(timestamp.headers.get('etag'), `"${timestampSha}"`);
				assert.equal(timestamp.headers.get('content-type'), 'application/json');
				assert.match(timestamp.headers.get('cache-control') ?? '', /max-age=10\b/);
				assert.doesNotMatch(timestamp.headers.get('cache-control') ?? '', /immutable/);

				const notModified = await service.request('/tuf/timestamp.json', {
					headers: { 'if-none-match': `"${timestampSha}"` },
				});
				assert.equal(notModified.status, 304);
				assert.equal(await notModified.text(), '');
				assert.equal(notModified.headers.get('etag'), `"${timestampSha}"`);

				const head = await service.request('/tuf/timestamp.json', { method: 'HEAD' });
				assert.equal(head.status, 200);
				assert.equal(await head.text(), '');

				const snapshot = await service.request('/tuf/3.snapshot.json');
				assert.equal(snapshot.headers.get('cache-control'), 'public, max-age=31536000, immutable');
				const checkpoint = await service.request('/tuf/log/checkpoint');
				assert.match(checkpoint.headers.get('content-type') ?? '', /^text\/plain/);
				const tile = await service.request('/tuf/log/tile/0/000.p/1');
				assert.equal(tile.status, 200);
				assert.equal(tile.headers.get('content-type'), 'application/octet-stream');
				const target = await service.request(`/tuf/targets/${'c'.repeat(64)}.plugins.toml`);
				assert.equal(await target.text(), 'api_version = "3.0"\n');

				assert.equal((await service.request('/tuf/4.snapshot.json')).status, 404);
			} finally {
				await service.close();
			}
		});
	});

	it('refuses traversal and smuggled paths with a 404', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				await putFile(service.database, 'timestamp.json', '{}', false);
				for (const path of [
					'/tuf/../tuf/timestamp.json/..',
					'/tuf/%2e%2e/%2e%2e/etc/passwd',
					'/tuf/%252e%252e/timestamp.json',
					'/tuf/log/..%2ftimestamp.json',
					'/tuf/..%5ctimestamp.json',
					'/tuf/log%5c..%5ctimestamp.json',
					'/tuf/timestamp.json%00',
					'/tuf/timestamp.json%00.png',
					'/tuf//etc/passwd',
					'/tuf/%2fetc%2fpasswd',
					'/tuf/.hidden',
					'/tuf/./timestamp.json/',
					'/tuf/',
					`/tuf/${'a/'.repeat(300)}x`,
				]) {
					const response = await service.request(path);
					assert.equal(response.status, 404, path);
				}
				// The raw-path check itself, without the URL parser's normalisation in front.
				for (const raw of [
					'/tuf/../x',
					'/tuf/a/../../x',
					'/tuf/a\\b',
					'/tuf/a\u0000b',
					'/tuf//a',
					'/tuf/a/./b',
					'/etc/passwd',
					'/tuf/%2e%2e/x',
				]) {
					assert.equal(repoPath(raw), undefined, raw);
				}
				assert.equal(repoPath('/tuf/log/tile/0/x001/234.p/5'), 'log/tile/0/x001/234.p/5');
			} finally {
				await service.close();
			}
		});
	});

	it('re-reads a mutable file only after its freshness and keeps immutable ones', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				let now = 0;
				const cache = createRepoFileCache({
					db: service.database.db,
					freshMs: 300,
					now: () => now,
				});
				await putFile(service.database, 'timestamp.json', 'one', false);
				await putFile(service.database, '1.root.json', 'root', true);
				assert.equal(
					Buffer.from((await cache.get('timestamp.json'))?.bytes ?? []).toString(),
					'one',
				);
				assert.equal(await cache.get('missing.json'), undefined);
				await putFile(service.database, 'timestamp.json', 'two', false);
				await putFile(service.database, 'missing.json', 'now here', false);
				now = 299;
				// Still fresh: the cached copy (and the cached miss).
				assert.equal(
					Buffer.from((await cache.get('timestamp.json'))?.bytes ?? []).toString(),
					'one',
				);
				assert.equal(await cache.get('missing.json'), undefined);
				now = 300;
				assert.equal(
					Buffer.from((await cache.get('timestamp.json'))?.bytes ?? []).toString(),
					'two',
				);
				assert.equal(
					Buffer.from((await cache.get('missing.json'))?.bytes ?? []).toString(),
					'now here',
				);
				assert.equal(Buffer.from((await cache.get('1.root.json'))?.bytes ?? []).toString(), 'root');
				await service.database.db
					.deleteFrom('repo_files')
					.where('path', '=', '1.root.json')
					.execute();
				now = 100_000;
				// Immutable: never asked again.
				assert.equal(Buffer.from((await cache.get('1.root.json'))?.bytes ?? []).toString(), 'root');
			} finally {
				await service.close();
			}
		});
	});

	it('answers from memory while fresh, re-checks when told, and never goes back a version', async (t) => {
		await forEachEngine(t, async ({ options }) => {
			const service = await testService(options);
			try {
				let now = 0;
				const cache = createRepoFileCache({
					db: service.database.db,
					freshMs: 300,
					now: () => now,
				});
				const path = 'metadata/timestamp.json';
				const text = (version: number) => JSON.stringify({ signed: { version } });
				const read = async () => Buffer.from((await cache.get(path))?.bytes ?? []).toString();
				assert.equal(cache.peek(path), undefined, 'never read: only get() can tell');
				await putFile(service.database, path, text(2), false);
				assert.equal(await read(), text(2));
				assert.equal(Buffer.from(cache.peek(path)?.file?.bytes ?? []).toString(), text(2));

				await putFile(service.database, path, text(3), false);
				assert.equal(await read(), text(2), 'fresh: not asked');
				cache.expire();
				assert.equal(cache.peek(path), undefined, 'told: stale at once');
				assert.equal(await read(), text(3));

				// A re-check already on its way when a publish is announced does not count as fresh.
				await putFile(service.database, path, text(4), false);
				now = 1000;
				const inFlight = cache.get(path);
				cache.expire();
				await inFlight;
				assert.equal(cache.peek(path), undefined);
				assert.equal(await read(), text(4));

				// Older rows are not taken, however often the process looks.
				await putFile(service.database, path, text(1), false);
				cache.expire();
				assert.equal(await read(), text(4));
				now = 100_000;
				assert.equal(await read(), text(4));
				// An unreadable version cannot be compared: it is taken (the publisher wrote it).
				await putFile(service.database, path, 'not json', false);
				cache.expire();
				assert.equal(await read(), 'not json');
			} finally {
				await service.close();
			}
		});
	});
});

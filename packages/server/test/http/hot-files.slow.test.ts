/**
 * The hot path for `timestamp.json` and the log checkpoint, on a real socket: it answers what
 * the app would (same headers, same bytes), keeps the rate limit, hands everything else to the
 * app, never goes back to an older version, and picks up a publish when told.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { request as httpRequest, type IncomingHttpHeaders } from 'node:http';
import { describe, it } from 'node:test';
import type { ServiceDb } from '../../src/db/open.ts';
import { SECURITY_HEADERS } from '../../src/http/security-headers.ts';
import { type ServiceOptions, startService } from '../../src/service.ts';
import { forEachEngine } from '../engines.ts';

const TIMESTAMP = '/tuf/metadata/timestamp.json';
const CHECKPOINT = '/tuf/log/checkpoint';
let publishes = 0;

interface Answer {
	status: number;
	headers: IncomingHttpHeaders;
	body: string;
	/** Header names as sent: the hot path writes `ETag`, the framework `etag`. */
	rawNames: string[];
}

/** A raw request: the target reaches the server exactly as written. */
function send(
	url: string,
	path: string,
	init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<Answer> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve, reject) => {
		const req = httpRequest(
			{ host: hostname, port, path, method: init.method ?? 'GET', headers: init.headers ?? {} },
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					body += chunk;
				});
				res.on('end', () =>
					resolve({
						status: res.statusCode ?? 0,
						headers: res.headers,
						body,
						rawNames: res.rawHeaders.filter((_, index) => index % 2 === 0),
					}),
				);
			},
		);
		req.on('error', reject);
		req.end(init.body);
	});
}

function timestampText(version: number): string {
	return JSON.stringify({ signed: { _type: 'timestamp', version }, signatures: [] });
}

async function putFile(database: ServiceDb, path: string, text: string): Promise<string> {
	const bytes = Buffer.from(text);
	const sha256 = createHash('sha256').update(bytes).digest('hex');
	const { db } = database;
	publishes++;
	const publish = await db
		.insertInto('publishes')
		.values({
			lease_epoch: 1,
			holder: 'test',
			revision: 1,
			targets_version: publishes,
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
			immutable: 0,
			publish_id: publish.id,
			updated_at: '2026-06-01T12:00:00.000Z',
		})
		.execute();
	return `"${sha256}"`;
}

async function withService(
	t: Parameters<typeof forEachEngine>[0],
	options: Partial<ServiceOptions>,
	body: (service: Awaited<ReturnType<typeof startService>>) => Promise<void>,
): Promise<void> {
	await forEachEngine(t, async ({ options: engine, dir }) => {
		const service = await startService({
			dataDir: engine.dataDir ?? dir,
			...(engine.url === undefined ? {} : { database: engine.url }),
			web: false,
			...options,
		});
		try {
			await body(service);
		} finally {
			await service.close();
		}
	});
}

function assertSecurityHeaders(answer: Answer, what: string): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
		assert.equal(answer.headers[name.toLowerCase()], value, `${what}: ${name}`);
	}
	assert.equal(answer.headers['x-powered-by'], undefined, what);
}

describe('the hot signed files', () => {
	it('count host uptake like the app does, once per client', async (t) => {
		await withService(t, {}, async (service) => {
			const etag = await putFile(service.database, 'metadata/timestamp.json', timestampText(9));
			const hot = await send(service.url, TIMESTAMP);
			assert.ok(hot.rawNames.includes('ETag'), 'answered by the hot path');
			assert.equal(
				(await send(service.url, TIMESTAMP, { headers: { 'if-none-match': etag } })).status,
				304,
			);
			const clientsSeen = async () =>
				(
					JSON.parse((await send(service.url, '/api/v1/metrics')).body) as {
						uptake: { clientsSeen: number } | null;
					}
				).uptake?.clientsSeen;
			assert.equal(await clientsSeen(), 1, 'the hot path counted the client');
			// Through the app as well: the same client, still counted once.
			assert.equal((await send(service.url, `${TIMESTAMP}?via=app`)).status, 200);
			assert.equal(await clientsSeen(), 1);
		});
	});

	it('answer 304s and 200s with the same headers and bytes as the app', async (t) => {
		await withService(t, {}, async (service) => {
			const etag = await putFile(service.database, 'metadata/timestamp.json', timestampText(7));
			await putFile(service.database, 'log/checkpoint', 'vouch\n12\nroot\n');
			// A query string makes the request the app's: the reference answer.
			const viaApp = await send(service.url, `${TIMESTAMP}?via=app`, {
				headers: { 'if-none-match': etag },
			});
			const hot = await send(service.url, TIMESTAMP, { headers: { 'if-none-match': etag } });
			assert.ok(hot.rawNames.includes('ETag'), 'answered by the hot path');
			assert.ok(!viaApp.rawNames.includes('ETag'), 'answered by the app');
			assert.equal(viaApp.status, 304);
			assert.equal(hot.status, 304);
			assert.equal(hot.body, '');
			assertSecurityHeaders(hot, 'hot 304');
			assertSecurityHeaders(viaApp, 'app 304');
			for (const name of ['etag', 'cache-control', 'content-type']) {
				assert.equal(hot.headers[name], viaApp.headers[name], name);
			}
			// A weak form of the tag, or one of several, is a match too (RFC 9110).
			const weak = await send(service.url, TIMESTAMP, {
				headers: { 'if-none-match': `"other", W/${etag}` },
			});
			assert.equal(weak.status, 304);

			const full = await send(service.url, TIMESTAMP);
			const fullViaApp = await send(service.url, `${TIMESTAMP}?via=app`);
			assert.equal(full.status, 200);
			assert.equal(full.body, timestampText(7));
			assert.equal(full.body, fullViaApp.body);
			assertSecurityHeaders(full, 'hot 200');
			for (const name of ['etag', 'cache-control', 'content-type']) {
				assert.equal(full.headers[name], fullViaApp.headers[name], name);
			}
			assert.equal(full.headers['content-length'], String(Buffer.byteLength(timestampText(7))));
			const stale = await send(service.url, TIMESTAMP, { headers: { 'if-none-match': '"old"' } });
			assert.equal(stale.status, 200);

			const head = await send(service.url, TIMESTAMP, { method: 'HEAD' });
			assert.equal(head.status, 200);
			assert.equal(head.body, '');
			assert.equal(head.headers.etag, etag);

			const checkpoint = await send(service.url, CHECKPOINT);
			assert.equal(checkpoint.status, 200);
			assert.equal(checkpoint.body, 'vouch\n12\nroot\n');
			assert.equal(checkpoint.headers['content-type'], 'text/plain; charset=utf-8');
			assertSecurityHeaders(checkpoint, 'checkpoint');
		});
	});

	it('hands every other request to the app, which answers it as before', async (t) => {
		await withService(t, {}, async (service) => {
			// Before the first publish the file is missing: the app's 404.
			const missing = await send(service.url, TIMESTAMP);
			assert.equal(missing.status, 404);
			assertSecurityHeaders(missing, 'missing');
			assert.match(String(missing.headers['content-type']), /json|html/);

			await putFile(service.database, 'metadata/timestamp.json', timestampText(1));
			// The miss above is remembered for a moment; the publish is announced instead.
			service.expireSignedFiles();
			const cases: [string, string, Parameters<typeof send>[2], number][] = [
				['a POST', TIMESTAMP, { method: 'POST', body: '{}' }, 404],
				['a DELETE', TIMESTAMP, { method: 'DELETE' }, 404],
				['a trailing slash', `${TIMESTAMP}/`, {}, 404],
				['a doubled slash', '/tuf/metadata//timestamp.json', {}, 404],
				// The adapter resolves dot segments before the app sees the URL: the same file.
				['a dot segment', '/tuf/metadata/./timestamp.json', {}, 200],
				['an encoded letter', '/tuf/metadata/%74imestamp.json', {}, 404],
				['upper case', '/TUF/metadata/timestamp.json', {}, 404],
				['a query string', `${TIMESTAMP}?x=1`, {}, 200],
			];
			for (const [what, path, init, status] of cases) {
				const answer = await send(service.url, path, init);
				assert.equal(answer.status, status, what);
				assertSecurityHeaders(answer, what);
				assert.ok(!answer.rawNames.includes('ETag'), `${what}: answered by the app`);
			}
			// A GET with a body is the app's to judge, whatever it says: the same as it says with a
			// query string (which the hot path never takes).
			const withBody = { body: 'x', headers: { 'content-length': '1' } };
			const hotBody = await send(service.url, TIMESTAMP, withBody);
			const appBody = await send(service.url, `${TIMESTAMP}?via=app`, withBody);
			assert.equal(hotBody.status, appBody.status);
			assert.equal(hotBody.body, appBody.body);
			assert.ok(!hotBody.rawNames.includes('ETag'), 'answered by the app');
		});
	});

	it('takes from the same per-client read budget as the app, and answers 429 past it', async (t) => {
		await withService(
			t,
			{ limits: { rateLimit: { read: { burst: 3, perSecond: 1e-9 } } } },
			async (service) => {
				const etag = await putFile(service.database, 'metadata/timestamp.json', timestampText(1));
				assert.equal((await send(service.url, '/api/v1/health')).status, 200);
				const first = await send(service.url, TIMESTAMP, { headers: { 'if-none-match': etag } });
				assert.equal(first.status, 304);
				const second = await send(service.url, TIMESTAMP, { headers: { 'if-none-match': etag } });
				assert.equal(second.status, 304);
				// The budget of 3 is spent: one API read and two hot ones.
				const limited = await send(service.url, TIMESTAMP, { headers: { 'if-none-match': etag } });
				assert.equal(limited.status, 429);
				assert.match(limited.body, /Too many requests/);
				assertSecurityHeaders(limited, '429');
				assert.equal((await send(service.url, '/api/v1/plugins')).status, 429);
			},
		);
	});

	it('never serves an older version than it served, and takes a new one when told', async (t) => {
		// Fresh for an hour: only `expireSignedFiles()` makes the process look again.
		await withService(
			t,
			{ limits: { rateLimit: false, repoFiles: { freshMs: 3_600_000 } } },
			async (service) => {
				const five = await putFile(service.database, 'metadata/timestamp.json', timestampText(5));
				assert.equal((await send(service.url, TIMESTAMP)).headers.etag, five);

				const six = await putFile(service.database, 'metadata/timestamp.json', timestampText(6));
				assert.equal(
					(await send(service.url, TIMESTAMP)).headers.etag,
					five,
					'within the freshness bound, untold',
				);
				service.expireSignedFiles();
				const after = await send(service.url, TIMESTAMP);
				assert.equal(after.headers.etag, six);
				assert.equal(after.body, timestampText(6));

				// A row going back (a stale replica, a restore) is not taken.
				await putFile(service.database, 'metadata/timestamp.json', timestampText(4));
				service.expireSignedFiles();
				const rolledBack = await send(service.url, TIMESTAMP);
				assert.equal(rolledBack.headers.etag, six);
				assert.equal(rolledBack.body, timestampText(6));
				const viaApp = await send(service.url, `${TIMESTAMP}?via=app`);
				assert.equal(viaApp.body, timestampText(6), 'the app shares the guard');

				await putFile(service.database, 'log/checkpoint', 'vouch\n20\nroot\n');
				assert.equal((await send(service.url, CHECKPOINT)).body, 'vouch\n20\nroot\n');
				await putFile(service.database, 'log/checkpoint', 'vouch\n19\nroot\n');
				service.expireSignedFiles();
				assert.equal((await send(service.url, CHECKPOINT)).body, 'vouch\n20\nroot\n');
				await putFile(service.database, 'log/checkpoint', 'vouch\n21\nroot\n');
				service.expireSignedFiles();
				assert.equal((await send(service.url, CHECKPOINT)).body, 'vouch\n21\nroot\n');
			},
		);
	});
});

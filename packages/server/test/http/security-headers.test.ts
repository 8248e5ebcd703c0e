import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { Hono } from 'hono';
import { CONTENT_SECURITY_POLICY } from '../../src/http/security-headers.ts';
import { testService } from './helpers.ts';

function assertSecurityHeaders(response: Response, what: string): void {
	const csp = response.headers.get('content-security-policy') ?? '';
	assert.equal(csp, CONTENT_SECURITY_POLICY, what);
	assert.match(csp, /default-src 'none'/);
	assert.doesNotMatch(csp, /script-src|unsafe-inline|unsafe-eval/, what);
	assert.match(csp, /frame-ancestors 'none'/);
	assert.equal(response.headers.get('x-content-type-options'), 'nosniff', what);
	assert.equal(response.headers.get('referrer-policy'), 'same-origin', what);
	assert.equal(response.headers.get('x-frame-options'), 'DENY', what);
	assert.equal(response.headers.get('cross-origin-opener-policy'), 'same-origin', what);
	assert.match(response.headers.get('permissions-policy') ?? '', /camera=\(\)/, what);
	assert.equal(response.headers.get('x-powered-by'), null, what);
}

describe('security headers', () => {
	it('are on every response: API, page, signed file, 304, 404, 4xx and 500', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'vouch-headers-'));
		const logged: string[] = [];
		const web = new Hono();
		web.get('/', (c) => c.html('<p>plugins</p>'));
		web.get('/powered', (c) => {
			c.header('X-Powered-By', 'something');
			return c.text('x');
		});
		web.get('/boom', () => {
			throw new Error('select secret from table: internal detail');
		});
		web.get('/api-ish', () => {
			throw new Error('x');
		});
		const service = await testService(
			{ dataDir: join(dir, 'data') },
			{ web, log: (line) => logged.push(line) },
		);
		try {
			const bytes = Buffer.from('{}');
			await service.database.db
				.insertInto('publishes')
				.values({
					lease_epoch: 1,
					holder: 't',
					revision: 1,
					targets_version: 1,
					timestamp_version: 1,
					log_size: 0,
					started_at: 'x',
					completed_at: 'x',
				})
				.execute();
			await service.database.db
				.insertInto('repo_files')
				.values({
					path: 'timestamp.json',
					bytes,
					sha256: createHash('sha256').update(bytes).digest('hex'),
					immutable: 0,
					publish_id: 1,
					updated_at: 'x',
				})
				.execute();
			const etag = (await service.request('/tuf/timestamp.json')).headers.get('etag') ?? '';
			const cases: [string, Promise<Response>, number][] = [
				['api', service.request('/api/v1/plugins'), 200],
				['page', service.request('/'), 200],
				['signed file', service.request('/tuf/timestamp.json'), 200],
				[
					'304',
					service.request('/tuf/timestamp.json', { headers: { 'if-none-match': etag } }),
					304,
				],
				['picard', service.request('/picard/plugins.toml'), 200],
				['404 page', service.request('/nothing/here'), 404],
				['404 api', service.request('/api/v1/nothing'), 404],
				['404 tuf', service.request('/tuf/..%5cx'), 404],
				['400 api', service.request('/api/v1/plugins?page=x'), 400],
				['401 api', service.request('/api/v1/admin/changes'), 401],
				['500 page', service.request('/boom'), 500],
				['powered', service.request('/powered'), 200],
			];
			for (const [what, pending, status] of cases) {
				const response = await pending;
				assert.equal(response.status, status, what);
				assertSecurityHeaders(response, what);
			}
			const boom = await service.request('/boom');
			const text = await boom.text();
			assert.match(boom.headers.get('content-type') ?? '', /^text\/html/);
			assert.doesNotMatch(text, /secret|internal detail|at /);
			assert.ok(
				logged.some((line) => line.includes('internal detail')),
				'the cause is logged',
			);
		} finally {
			await service.close();
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('escapes untrusted text in HTML error pages and returns JSON errors under /api', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'vouch-headers-'));
		const service = await testService({ dataDir: join(dir, 'data') });
		try {
			const page = await service.request('/picard/<script>alert(1)</script>');
			assert.equal(page.status, 404);
			const html = await page.text();
			assert.doesNotMatch(html, /<script/i);
			const api = await service.request('/api/v1/plugins/%3Cscript%3E');
			assert.equal(api.status, 404);
			assert.match(api.headers.get('content-type') ?? '', /^application\/json/);
			const body = (await api.json()) as { error: { code: string; message: string } };
			assert.equal(body.error.code, 'NOT_FOUND');
		} finally {
			await service.close();
			await rm(dir, { recursive: true, force: true });
		}
	});
});

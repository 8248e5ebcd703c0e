import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createRateLimiter } from '../../src/http/rate-limit.ts';
import { errorCode, testService } from './helpers.ts';

describe('rate limit', () => {
	it('gives each client a bucket per class that refills with the injected clock', () => {
		let now = 0;
		const limiter = createRateLimiter({
			read: { burst: 3, perSecond: 1 },
			write: { burst: 1, perSecond: 0.5 },
			now: () => now,
		});
		assert.equal(limiter.take('a', 'read'), 0);
		assert.equal(limiter.take('a', 'read'), 0);
		assert.equal(limiter.take('a', 'read'), 0);
		assert.equal(limiter.take('a', 'read'), 1);
		// Another client and another class have their own buckets.
		assert.equal(limiter.take('b', 'read'), 0);
		assert.equal(limiter.take('a', 'write'), 0);
		assert.equal(limiter.take('a', 'write'), 2);
		now = 1000;
		assert.equal(limiter.take('a', 'read'), 0);
		assert.equal(limiter.take('a', 'read'), 1);
		// A clock that goes backwards grants nothing.
		now = 0;
		assert.equal(limiter.take('a', 'read'), 1);
	});

	it('bounds memory: past maxClients the least recently seen client is forgotten', () => {
		const limiter = createRateLimiter({
			maxClients: 100,
			read: { burst: 1, perSecond: 0.001 },
			now: () => 0,
		});
		for (let i = 0; i < 10_000; i++) limiter.take(`10.0.${i >> 8}.${i & 255}`, 'read');
		assert.equal(limiter.size, 100);
	});

	it('answers 429 with Retry-After, keyed on the socket address and not on X-Forwarded-For', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'vouch-rate-'));
		let now = 0;
		const service = await testService(
			{ dataDir: join(dir, 'data') },
			{ limits: { rateLimit: { read: { burst: 2, perSecond: 1 }, now: () => now } } },
		);
		try {
			const from = '192.0.2.1';
			assert.equal((await service.request('/api/v1/health', { from })).status, 200);
			assert.equal((await service.request('/api/v1/health', { from })).status, 200);
			const limited = await service.request('/api/v1/health', {
				from,
				headers: { 'x-forwarded-for': '203.0.113.9' },
			});
			assert.equal(limited.status, 429);
			assert.equal(limited.headers.get('retry-after'), '1');
			assert.equal(limited.headers.get('x-content-type-options'), 'nosniff');
			assert.match(limited.headers.get('content-security-policy') ?? '', /default-src 'none'/);
			assert.equal(await errorCode(limited), 'RATE_LIMITED');
			const page = await service.request('/tuf/timestamp.json', { from });
			assert.equal(page.status, 429);
			assert.match(page.headers.get('content-type') ?? '', /^text\/html/);
			// Another address is not affected.
			assert.equal((await service.request('/api/v1/health', { from: '192.0.2.2' })).status, 200);
			now = 1000;
			assert.equal((await service.request('/api/v1/health', { from })).status, 200);
		} finally {
			await service.close();
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('believes X-Forwarded-For only with trustProxy, and then its last entry', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'vouch-rate-'));
		const service = await testService(
			{ dataDir: join(dir, 'data') },
			{
				limits: {
					rateLimit: { trustProxy: true, read: { burst: 1, perSecond: 0.001 }, now: () => 0 },
				},
			},
		);
		try {
			const proxy = '127.0.0.1';
			const first = await service.request('/api/v1/health', {
				from: proxy,
				headers: { 'x-forwarded-for': '198.51.100.1' },
			});
			assert.equal(first.status, 200);
			// A client spoofing a first entry is still keyed on what the proxy appended.
			const spoofed = await service.request('/api/v1/health', {
				from: proxy,
				headers: { 'x-forwarded-for': '10.9.9.9, 198.51.100.1' },
			});
			assert.equal(spoofed.status, 429);
			const other = await service.request('/api/v1/health', {
				from: proxy,
				headers: { 'x-forwarded-for': '198.51.100.2' },
			});
			assert.equal(other.status, 200);
		} finally {
			await service.close();
			await rm(dir, { recursive: true, force: true });
		}
	});
});

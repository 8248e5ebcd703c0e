import assert from 'node:assert/strict';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
	clientKey,
	createRateLimiter,
	DEFAULT_BUDGETS,
	requestClass,
} from '../../src/http/rate-limit.ts';
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

	it('gives password guesses a budget far below other writes', async () => {
		assert.equal(requestClass('POST', '/admin/sign-in'), 'sign-in');
		assert.equal(requestClass('GET', '/admin/sign-in'), 'read');
		assert.equal(requestClass('POST', '/admin/sign-out'), 'write');
		assert.ok(DEFAULT_BUDGETS['sign-in'].burst < DEFAULT_BUDGETS.write.burst);
		assert.ok(DEFAULT_BUDGETS['sign-in'].perSecond * 3600 <= 60);

		const dir = await mkdtemp(join(tmpdir(), 'vouch-rate-'));
		let now = 0;
		const service = await testService(
			{ dataDir: join(dir, 'data') },
			{ limits: { rateLimit: { now: () => now } } },
		);
		try {
			const from = '192.0.2.7';
			const guess = (path = '/admin/sign-in') =>
				service.request(path, {
					from,
					method: 'POST',
					headers: { 'content-type': 'application/x-www-form-urlencoded' },
					body: 'name=admin&password=guess-number-one',
				});
			for (let i = 0; i < DEFAULT_BUDGETS['sign-in'].burst; i++) {
				assert.notEqual((await guess()).status, 429, `guess ${i + 1}`);
			}
			assert.equal((await guess()).status, 429);
			// Spelt another way, the same form is the same budget (the router decodes the path too).
			for (const path of ['/admin/sign%2Din', '/admin/%73ign-in', '/admin/sign-in?next=1']) {
				assert.equal((await guess(path)).status, 429, path);
			}
			// Other writes keep their own, larger budget.
			const write = await service.request('/api/v1/admin/accounts', { from, method: 'POST' });
			assert.notEqual(write.status, 429);
			// One guess a minute comes back.
			now = 60_000;
			assert.notEqual((await guess()).status, 429);
			assert.equal((await guess()).status, 429);
		} finally {
			await service.close();
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('keys an IPv6 client on its /64, and an IPv4-mapped address as the IPv4 one', async () => {
		assert.equal(clientKey('2001:db8:1:2:aaaa::1'), clientKey('2001:db8:1:2:ffff:ffff:ffff:fffe'));
		assert.equal(clientKey('2001:db8:1:2::1'), '2001:db8:1:2::/64');
		assert.equal(clientKey('2001:0DB8:0001:0002::1'), '2001:db8:1:2::/64');
		assert.equal(clientKey('fe80::1%eth0'), 'fe80:0:0:0::/64');
		assert.equal(clientKey('::1'), '0:0:0:0::/64');
		assert.notEqual(clientKey('2001:db8:1:2::1'), clientKey('2001:db8:1:3::1'));
		assert.equal(clientKey('::ffff:192.0.2.1'), '192.0.2.1');
		assert.equal(clientKey('192.0.2.1'), '192.0.2.1');
		assert.notEqual(clientKey('192.0.2.1'), clientKey('192.0.2.2'));
		assert.equal(clientKey('unknown'), 'unknown');

		const dir = await mkdtemp(join(tmpdir(), 'vouch-rate-'));
		const service = await testService(
			{ dataDir: join(dir, 'data') },
			{ limits: { rateLimit: { read: { burst: 2, perSecond: 0.001 }, now: () => 0 } } },
		);
		try {
			// One host with a /64 cannot take a fresh bucket per address.
			for (let i = 1; i <= 2; i++) {
				const answer = await service.request('/api/v1/health', { from: `2001:db8:5:6::${i}` });
				assert.equal(answer.status, 200);
			}
			const next = await service.request('/api/v1/health', { from: '2001:db8:5:6::99' });
			assert.equal(next.status, 429);
			const elsewhere = await service.request('/api/v1/health', { from: '2001:db8:5:7::1' });
			assert.equal(elsewhere.status, 200);
		} finally {
			await service.close();
			await rm(dir, { recursive: true, force: true });
		}
	});
});

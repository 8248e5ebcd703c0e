import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, beforeEach, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isVouchError } from '../../../src/core/errors.ts';
import {
	readRegistryCache,
	registryCachePath,
	writeRegistryCache,
} from '../../../src/registry/sources/cache.ts';
import {
	loadRegistryFromSources,
	type RegistryLoadResult,
} from '../../../src/registry/sources/load-sources.ts';
import type { LoadRegistryFromSourcesOptions } from '../../../src/registry/sources/step.ts';
import {
	createUnsignedVerifier,
	type RegistryVerifier,
} from '../../../src/registry/sources/verifier.ts';
import { UNREACHABLE_MS } from '../../helpers/bounds.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import { blacklistEntry, pluginEntry, registryJson, UUID_A, UUID_B } from '../helpers.ts';
import {
	etagOf,
	LAST_MODIFIED,
	type RegistryServer,
	refusedUrl,
	startRegistryServer,
} from './registry-server.ts';

const GOOD = registryJson(
	[pluginEntry('alpha', UUID_A)],
	[blacklistEntry({ url: 'https://github.com/evil/one' })],
);
const CHANGED = registryJson(
	[pluginEntry('alpha', UUID_A), pluginEntry('beta', UUID_B)],
	[blacklistEntry({ url: 'https://github.com/evil/one' }), blacklistEntry({ uuid: UUID_B })],
);
/** Parses as JSON, but a blacklist entry without any key must refuse the whole registry. */
const BAD_BLACKLIST = registryJson([pluginEntry('alpha', UUID_A)], [blacklistEntry()]);
const HOUR = 60 * 60 * 1000;
const START = new Date('2026-11-28T12:00:00Z');

let server: RegistryServer;
let cacheDir: string;
let clock: Date;
const allowUnsigned = createUnsignedVerifier({ name: 'test', allowUnsigned: true });

function options(
	sources: string[],
	overrides: Partial<LoadRegistryFromSourcesOptions> = {},
): LoadRegistryFromSourcesOptions {
	return {
		sources,
		profile: { cacheDir, refreshIntervalHours: 6, maxStalenessDays: 14 },
		verifier: allowUnsigned,
		fetch: globalThis.fetch,
		now: () => clock,
		cwd: cacheDir,
		timeoutMs: UNREACHABLE_MS,
		...overrides,
	};
}

function load(sources: string[], overrides: Partial<LoadRegistryFromSourcesOptions> = {}) {
	return loadRegistryFromSources(options(sources, overrides));
}

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<unknown> {
	let caught: unknown;
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code);
		caught = error;
		return true;
	});
	return caught;
}

function ids(result: RegistryLoadResult): string[] {
	return result.registry.plugins.map((plugin) => plugin.id);
}

before(async () => {
	server = await startRegistryServer();
});
after(() => server.close());
beforeEach(() => {
	cacheDir = makeTempDir();
	clock = START;
});

describe('loadRegistryFromSources: cache and conditional requests', () => {
	it('fetches once, then serves a young cache without any request', async () => {
		const url = `${server.base}/young.json`;
		server.route('/young.json', { kind: 'registry', text: GOOD });
		const first = await load([url]);
		assert.deepEqual(
			{ fromCache: first.fromCache, offline: first.offline, signed: first.signed },
			{ fromCache: false, offline: false, signed: false },
		);
		assert.equal(first.fetchedAt.getTime(), START.getTime());
		assert.equal(first.freshness.state, 'fresh');
		assert.equal(first.source, url);
		assert.equal(server.count('/young.json'), 1);

		clock = new Date(START.getTime() + 5 * HOUR);
		const second = await load([url]);
		assert.equal(second.fromCache, true);
		assert.equal(second.notModified, false);
		assert.equal(second.fetchedAt.getTime(), START.getTime());
		assert.deepEqual(ids(second), ['alpha']);
		assert.equal(server.count('/young.json'), 1);
	});

	it('revalidates an old cache with If-None-Match and If-Modified-Since; a 304 reuses it', async () => {
		const url = `${server.base}/revalidate.json`;
		server.route('/revalidate.json', { kind: 'registry', text: GOOD });
		await load([url]);
		clock = new Date(START.getTime() + 7 * HOUR);
		const result = await load([url]);
		assert.equal(server.count('/revalidate.json'), 2);
		const sent = server.requests.at(-1)?.headers;
		assert.equal(sent?.['if-none-match'], etagOf(GOOD));
		assert.equal(sent?.['if-modified-since'], LAST_MODIFIED);
		assert.deepEqual(
			{ fromCache: result.fromCache, notModified: result.notModified, offline: result.offline },
			{ fromCache: true, notModified: true, offline: false },
		);
		assert.deepEqual(ids(result), ['alpha']);
		// A 304 is a successful contact: the clock of the cached copy restarts.
		assert.equal(result.fetchedAt.getTime(), clock.getTime());
		const cached = await readRegistryCache(cacheDir, url, { now: clock });
		assert.equal(cached.state === 'hit' && cached.entry.fetchedAt.getTime(), clock.getTime());
	});

	it('replaces the cache when the registry changed', async () => {
		const url = `${server.base}/changes.json`;
		server.route('/changes.json', { kind: 'registry', text: GOOD });
		await load([url]);
		server.route('/changes.json', { kind: 'registry', text: CHANGED });
		clock = new Date(START.getTime() + 7 * HOUR);
		const result = await load([url]);
		assert.equal(result.fromCache, false);
		assert.deepEqual(ids(result), ['alpha', 'beta']);
		const cached = await readRegistryCache(cacheDir, url, { now: clock });
		assert.equal(cached.state === 'hit' && cached.entry.etag, etagOf(CHANGED));
	});

	it('refresh mode contacts the server even when the cache is young', async () => {
		const url = `${server.base}/refresh.json`;
		server.route('/refresh.json', { kind: 'registry', text: GOOD });
		await load([url]);
		clock = new Date(START.getTime() + HOUR);
		const events: string[] = [];
		const result = await load([url], {
			mode: 'refresh',
			progress: { start: (message) => events.push(message), stop: () => events.push('stop') },
		});
		assert.equal(server.count('/refresh.json'), 2);
		assert.equal(result.notModified, true);
		assert.equal(result.fetchedAt.getTime(), clock.getTime());
		assert.deepEqual(events, [`Revalidating the registry from ${url}`, 'stop']);
	});
});

describe('loadRegistryFromSources: the fallback chain', () => {
	it('moves on after a refused connection and an HTTP 500', async () => {
		server.route('/500.json', { kind: 'status', status: 500 });
		server.route('/chain-good.json', { kind: 'registry', text: GOOD });
		const refused = await refusedUrl();
		const result = await load([
			refused,
			`${server.base}/500.json`,
			`${server.base}/chain-good.json`,
		]);
		assert.equal(result.source, `${server.base}/chain-good.json`);
		assert.deepEqual(
			result.failures.map((failure) => [failure.source, failure.code]),
			[
				[refused, 'REGISTRY_FETCH_FAILED'],
				[`${server.base}/500.json`, 'REGISTRY_FETCH_FAILED'],
			],
		);
		assert.match(result.failures[1]?.message ?? '', /HTTP 500/);
	});

	it('stops at a parse error and never tries the next source or caches the text', async () => {
		server.route('/broken.json', { kind: 'registry', text: '{"plugins": [' });
		server.route('/after-broken.json', { kind: 'registry', text: GOOD });
		const broken = `${server.base}/broken.json`;
		await rejectsCode(load([broken, `${server.base}/after-broken.json`]), 'REGISTRY_PARSE_ERROR');
		assert.equal(server.count('/after-broken.json'), 0);
		assert.equal((await readRegistryCache(cacheDir, broken, { now: clock })).state, 'missing');
	});

	it('stops at an invalid blacklist entry', async () => {
		server.route('/bad-blacklist.json', { kind: 'registry', text: BAD_BLACKLIST });
		server.route('/after-bad.json', { kind: 'registry', text: GOOD });
		await rejectsCode(
			load([`${server.base}/bad-blacklist.json`, `${server.base}/after-bad.json`]),
			'BLACKLIST_INVALID',
		);
		assert.equal(server.count('/after-bad.json'), 0);
	});

	it('reads local paths and file:// URLs directly, without caching them', async () => {
		const dir = makeTempDir();
		const file = join(dir, 'plugins.json');
		writeFileSync(file, GOOD);
		const missing = join(dir, 'missing.json');
		const byPath = await load([missing, file]);
		assert.equal(byPath.local, true);
		assert.equal(byPath.source, file);
		assert.equal(byPath.failures[0]?.code, 'REGISTRY_NOT_FOUND');
		const byUrl = await load([pathToFileURL(file).href]);
		assert.deepEqual(ids(byUrl), ['alpha']);
		assert.equal(existsSync(join(cacheDir, 'registry')), false);
	});

	it('lists every failed source, credentials redacted, the last error first', async () => {
		const refused = await refusedUrl('/secret.json');
		const withCredentials = refused.replace('http://', 'http://user:hunter2@');
		const missing = join(makeTempDir(), 'nowhere.toml');
		const error = await rejectsCode(load([withCredentials, missing]), 'NO_REGISTRY_AVAILABLE');
		assert.ok(isVouchError(error));
		assert.equal(error.message.includes('hunter2'), false);
		assert.match(error.message.split('\n')[0] ?? '', /nowhere\.toml/);
		assert.match(error.message, /127\.0\.0\.1/);
		const failures = error.details?.failures as { code: string }[];
		assert.deepEqual(
			failures.map((failure) => failure.code),
			['REGISTRY_FETCH_FAILED', 'REGISTRY_NOT_FOUND'],
		);
		assert.match(error.hint ?? '', /vouch refresh/);
		assert.equal(JSON.stringify(error.details).includes('hunter2'), false);
	});
});

describe('loadRegistryFromSources: offline and damaged caches', () => {
	it('falls back to the cache when the server is gone or silent, marked offline', async () => {
		const url = `${server.base}/offline.json`;
		server.route('/offline.json', { kind: 'registry', text: GOOD });
		await load([url]);
		clock = new Date(START.getTime() + 20 * 24 * HOUR);
		for (const outage of [{ kind: 'drop' } as const, { kind: 'hang' } as const]) {
			server.route('/offline.json', outage);
			const result = await load([url], { timeoutMs: 300 });
			assert.equal(result.offline, true);
			assert.equal(result.fromCache, true);
			assert.equal(result.fetchedAt.getTime(), START.getTime());
			assert.deepEqual(ids(result), ['alpha']);
			// Older than max_staleness_days: the caller must apply D1.
			assert.equal(result.freshness.state, 'expired');
			assert.equal(result.freshness.blockUntrustedPlugins, true);
			assert.equal(result.failures.length, 1);
		}
	});

	it('prefers another source over the network to an offline cache', async () => {
		const url = `${server.base}/first-cached.json`;
		server.route('/first-cached.json', { kind: 'registry', text: GOOD });
		server.route('/second-live.json', { kind: 'registry', text: CHANGED });
		await load([url]);
		server.route('/first-cached.json', { kind: 'status', status: 503 });
		clock = new Date(START.getTime() + 7 * HOUR);
		const result = await load([url, `${server.base}/second-live.json`]);
		assert.equal(result.offline, false);
		assert.deepEqual(ids(result), ['alpha', 'beta']);
	});

	it('refresh mode never falls back to the cache, and leaves it as it was', async () => {
		const url = `${server.base}/refresh-offline.json`;
		server.route('/refresh-offline.json', { kind: 'registry', text: GOOD });
		await load([url]);
		server.route('/refresh-offline.json', { kind: 'drop' });
		clock = new Date(START.getTime() + HOUR);
		await rejectsCode(load([url], { mode: 'refresh' }), 'NO_REGISTRY_AVAILABLE');
		const cached = await readRegistryCache(cacheDir, url, { now: clock });
		assert.equal(cached.state === 'hit' && cached.entry.fetchedAt.getTime(), START.getTime());
	});

	it('ignores a corrupt cache file, fetches in full and replaces it', async () => {
		const url = `${server.base}/corrupt.json`;
		server.route('/corrupt.json', { kind: 'registry', text: GOOD });
		mkdirSync(join(cacheDir, 'registry'), { recursive: true });
		writeFileSync(registryCachePath(cacheDir, url), 'vouch-registry-cache/1\n{"garbage"');
		const result = await load([url]);
		assert.equal(result.fromCache, false);
		assert.equal(server.requests.at(-1)?.headers['if-none-match'], undefined);
		assert.match(result.warnings.join('\n'), /Ignored the cached copy/);
		assert.equal((await readRegistryCache(cacheDir, url, { now: clock })).state, 'hit');
	});

	it('ignores a tampered cache that no longer parses, even with a matching digest', async () => {
		const url = `${server.base}/tampered.json`;
		server.route('/tampered.json', { kind: 'registry', text: GOOD });
		// Someone edits the cached copy and rewrites a consistent file around it.
		await writeRegistryCache(cacheDir, {
			url,
			format: 'json',
			etag: etagOf(GOOD),
			fetchedAt: START,
			text: BAD_BLACKLIST,
		});
		const young = await load([url]);
		assert.equal(young.fromCache, false);
		assert.equal(young.registry.blacklist.length, 1);
		assert.equal(server.count('/tampered.json'), 1);

		// Offline, the tampered copy never stands in.
		await writeRegistryCache(cacheDir, {
			url,
			format: 'json',
			fetchedAt: START,
			text: BAD_BLACKLIST,
		});
		server.route('/tampered.json', { kind: 'drop' });
		clock = new Date(START.getTime() + 7 * HOUR);
		await rejectsCode(load([url]), 'NO_REGISTRY_AVAILABLE');
	});

	it('a 304 for a tampered copy costs one more request, never the load', async () => {
		const url = `${server.base}/tampered-304.json`;
		server.route('/tampered-304.json', { kind: 'registry', text: GOOD });
		await writeRegistryCache(cacheDir, {
			url,
			format: 'json',
			etag: etagOf(GOOD),
			fetchedAt: new Date(START.getTime() - 7 * HOUR),
			text: '{"plugins": "not a list"}',
		});
		const result = await load([url]);
		assert.equal(server.count('/tampered-304.json'), 2);
		assert.equal(result.fromCache, false);
		assert.deepEqual(ids(result), ['alpha']);
		const cached = await readRegistryCache(cacheDir, url, { now: clock });
		assert.equal(cached.state === 'hit' && cached.entry.text, GOOD);
	});
});

describe('loadRegistryFromSources: the verifier', () => {
	it('refuses an unsigned registry where the profile does not allow it, cached or not', async () => {
		const url = `${server.base}/unsigned.json`;
		server.route('/unsigned.json', { kind: 'registry', text: GOOD });
		const refuse = createUnsignedVerifier({ name: 'strict', allowUnsigned: false });
		await rejectsCode(load([url], { verifier: refuse }), 'UNSIGNED_REGISTRY_REFUSED');
		assert.equal((await readRegistryCache(cacheDir, url, { now: clock })).state, 'missing');
		// A copy cached under a permissive profile is re-verified, and refused, too (D25).
		await load([url]);
		await rejectsCode(load([url], { verifier: refuse }), 'UNSIGNED_REGISTRY_REFUSED');
		// Offline too: the refusal is the answer, not "no registry available".
		server.route('/unsigned.json', { kind: 'drop' });
		clock = new Date(START.getTime() + 7 * HOUR);
		await rejectsCode(load([url], { verifier: refuse }), 'UNSIGNED_REGISTRY_REFUSED');
		assert.equal((await load([url])).offline, true);
	});

	it('runs the verifier on cached text on every load, and parses what it returns', async () => {
		const url = `${server.base}/verified.json`;
		server.route('/verified.json', { kind: 'registry', text: GOOD });
		const seen: string[] = [];
		const expiresAt = new Date(START.getTime() + 24 * HOUR);
		const signing: RegistryVerifier = {
			async verify(input) {
				seen.push(input.text);
				return { text: CHANGED, format: 'json', signed: true, expiresAt };
			},
		};
		await load([url], { verifier: signing });
		const cached = await load([url], { verifier: signing });
		assert.equal(cached.fromCache, true);
		assert.deepEqual(seen, [GOOD, GOOD]);
		assert.deepEqual(ids(cached), ['alpha', 'beta']);
		assert.equal(cached.signed, true);
		assert.equal(cached.expiresAt, expiresAt);
		assert.equal(cached.freshness.state, 'fresh');
	});
});

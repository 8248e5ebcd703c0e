/**
 * `vouch refresh` and the cache behind every read command, end to end through the CLI against
 * a registry server on 127.0.0.1. Profiles and caches live in temp dirs; HOME points nowhere.
 */
import assert from 'node:assert/strict';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
	readRegistryCache,
	writeRegistryCache,
} from '@vouch/library/internal/registry/sources/cache';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import {
	blacklistEntry,
	pluginEntry,
	registryJson,
	UUID_A,
} from '../../library/test/registry/helpers.ts';
import {
	etagOf,
	type RegistryServer,
	startRegistryServer,
} from '../../library/test/registry/sources/registry-server.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const REGISTRY = registryJson(
	[pluginEntry('alpha', UUID_A)],
	[blacklistEntry({ url: 'https://github.com/evil/one' })],
);
/** The fixed clock of `runVouch`. */
const NOW = new Date('2026-11-28T12:00:00Z');

/** Real fetch, but only to the test server: a fallback to a built-in URL must fail, not go out. */
const loopbackFetch: typeof fetch = (input, init) => {
	const url = new URL(input instanceof Request ? input.url : String(input));
	if (url.hostname !== '127.0.0.1') throw new Error(`tests must not reach ${url.host}`);
	return fetch(input, init);
};

let server: RegistryServer;
before(async () => {
	server = await startRegistryServer();
});
after(() => server.close());

interface Host {
	dir: string;
	profile: string;
	url: string;
	path: string;
	cacheDir: string;
}

/** A profile file in a fresh temp dir, its cache beside it, its registry at a fresh path. */
function host(name: string, extra = 'allow_unsigned = true'): Host {
	const dir = makeTempDir('vouch-refresh-');
	const path = `/${name}.json`;
	const url = `${server.base}${path}`;
	const profile = join(dir, 'profile.toml');
	writeFileSync(
		profile,
		`name = "testhost"\napi_versions = ["3.0"]\nregistry_urls = ["${url}"]\n${extra}\ncache_dir = "cache"\ndata_dir = "data"\nconfig_dir = "config"\n`,
	);
	server.route(path, { kind: 'registry', text: REGISTRY });
	return { dir, profile, url, path, cacheDir: join(dir, 'cache') };
}

function vouch(argv: string[], h: Host, stderrIsTTY = false) {
	return runVouch([...argv, '--profile', h.profile], { fetch: loopbackFetch, stderrIsTTY });
}

describe('vouch refresh', () => {
	it('fetches, caches, then reports an unchanged registry after a 304', async () => {
		const h = host('refresh-human');
		const first = await vouch(['refresh'], h);
		assert.equal(first.code, 0, first.stderr);
		assert.match(first.stdout, new RegExp(`${h.url.replaceAll('.', '\\.')}: fetched`));
		assert.match(first.stdout, /1 plugin\(s\), 1 blacklist entry, unsigned registry/);
		const cached = await readRegistryCache(h.cacheDir, h.url, { now: NOW });
		assert.equal(cached.state === 'hit' && cached.entry.etag, etagOf(REGISTRY));

		const second = await vouch(['refresh'], h);
		assert.equal(second.code, 0, second.stderr);
		assert.match(second.stdout, /unchanged \(304 Not Modified\)/);
		assert.equal(server.count(h.path), 2);
		assert.equal(server.requests.at(-1)?.headers['if-none-match'], etagOf(REGISTRY));
	});

	it('--json describes the fetch', async () => {
		const h = host('refresh-json');
		const run = await vouch(['refresh', '--json'], h);
		assert.equal(run.code, 0, run.stderr);
		assert.deepEqual(parseJson(run), {
			ok: true,
			registry: {
				source: h.url,
				signed: false,
				fromCache: false,
				offline: false,
				fetchedAt: NOW.toISOString(),
				blacklistFreshness: 'fresh',
				unchanged: false,
				local: false,
			},
			pluginCount: 1,
			blacklistCount: 1,
			failures: [],
			warnings: [],
		});
		const again = parseJson(await vouch(['refresh', '--json'], h)) as {
			registry: { unchanged: boolean; fromCache: boolean };
		};
		assert.equal(again.registry.unchanged, true);
		assert.equal(again.registry.fromCache, true);
	});

	it('shows a spinner on a terminal, and none with --json', async () => {
		const h = host('refresh-spinner');
		const tty = await vouch(['refresh'], h, true);
		assert.match(tty.stderr, /Fetching the registry from/);
		const json = await vouch(['refresh', '--json'], h, true);
		assert.doesNotMatch(json.stderr, /registry from/);
	});

	it('fails with exit 1 when the network is down, even with a cached copy', async () => {
		const h = host('refresh-offline');
		assert.equal((await vouch(['refresh'], h)).code, 0);
		server.route(h.path, { kind: 'drop' });
		const json = await vouch(['refresh', '--json'], h);
		assert.equal(json.code, 1);
		const result = parseJson(json) as {
			ok: boolean;
			error: { code: string; hint: string; details: { failures: unknown[] } };
		};
		assert.equal(result.ok, false);
		assert.equal(result.error.code, 'NO_REGISTRY_AVAILABLE');
		assert.match(result.error.hint, /vouch refresh/);
		assert.equal(result.error.details.failures.length, 1);
		const human = await vouch(['refresh'], h);
		assert.equal(human.code, 1);
		assert.match(human.stderr, /No registry could be loaded/);
		assert.match(human.stderr, /hint:/);
	});

	it('reads a local --registry file directly and says it is not cached', async () => {
		const h = host('refresh-local');
		const file = join(h.dir, 'plugins.json');
		writeFileSync(file, REGISTRY);
		const run = await vouch(['refresh', '--registry', file], h);
		assert.equal(run.code, 0, run.stderr);
		assert.match(run.stdout, /read \(local file, not cached\)/);
		assert.equal(existsSync(h.cacheDir), false);
	});

	it('uses the XDG cache directory for a built-in profile', async () => {
		const h = host('refresh-xdg');
		const xdg = makeTempDir('vouch-xdg-');
		const run = await runVouch(['refresh', '--json'], {
			fetch: loopbackFetch,
			env: { XDG_CACHE_HOME: xdg, VOUCH_REGISTRY_URL: h.url },
		});
		assert.equal(run.code, 0, run.stderr);
		const cached = await readRegistryCache(join(xdg, 'vouch', 'picard'), h.url, { now: NOW });
		assert.equal(cached.state, 'hit');
	});
});

describe('read commands and the cache', () => {
	it('use a young cache without contacting the server', async () => {
		const h = host('read-young');
		assert.equal((await vouch(['refresh'], h)).code, 0);
		server.route(h.path, { kind: 'status', status: 500 });
		const run = await vouch(['browse', '--json'], h);
		assert.equal(run.code, 0, run.stderr);
		const result = parseJson(run) as { registry: { source: string }; plugins: unknown[] };
		assert.equal(result.registry.source, h.url);
		assert.equal(result.plugins.length, 1);
		assert.equal(server.count(h.path), 1);
	});

	it('revalidate an old cache, and fall back to it offline with a notice', async () => {
		const h = host('read-offline');
		await writeRegistryCache(h.cacheDir, {
			url: h.url,
			format: 'json',
			etag: etagOf(REGISTRY),
			fetchedAt: new Date(NOW.getTime() - 7 * 60 * 60 * 1000),
			text: REGISTRY,
		});
		const online = await vouch(['check-blacklist', 'https://github.com/evil/one', '--json'], h);
		assert.equal(online.code, 3, online.stderr);
		assert.equal(server.count(h.path), 1);
		assert.equal(server.requests.at(-1)?.headers['if-none-match'], etagOf(REGISTRY));

		await writeRegistryCache(h.cacheDir, {
			url: h.url,
			format: 'json',
			fetchedAt: new Date(NOW.getTime() - 7 * 60 * 60 * 1000),
			text: REGISTRY,
		});
		server.route(h.path, { kind: 'drop' });
		const offline = await vouch(['check-blacklist', 'https://github.com/evil/one'], h);
		assert.equal(offline.code, 3, offline.stderr);
		assert.match(offline.stderr, /offline: using the cached registry/);
	});

	it('refuse an unsigned registry where the profile does not allow it', async () => {
		const h = host('read-strict', 'allow_unsigned = false\ntrusted_root = "root.json"');
		const run = await vouch(['browse', '--json'], h);
		assert.equal(run.code, 1);
		assert.equal(
			(parseJson(run) as { error: { code: string } }).error.code,
			'UNSIGNED_REGISTRY_REFUSED',
		);
		assert.equal(existsSync(h.cacheDir), false);
	});
});

/**
 * A host profile with a trusted root, end to end through the CLI: a real TUF repository in a
 * temp dir, served on 127.0.0.1, read by `vouch refresh` and every read command (D19). Covers
 * a blacklist update reaching the client, refusals of a hostile mirror, the offline fallback
 * to the verified cache, a tampered cache and its reset, and the D1 gate driven by the
 * verified timestamp.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { tufStateDirs } from '@vouch/library/internal/tuf/client/for-profile';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { makeFixture, registryToml, type TufFixture } from '../../library/test/tuf/helpers.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const HOUR = 60 * 60 * 1000;

let fixture: TufFixture;
before(async () => {
	fixture = await makeFixture();
});
after(() => fixture.close());

interface Host {
	profile: string;
	cacheDir: string;
}

/** A profile that accepts only the repository signed under the shipped root. */
function host(): Host {
	const dir = makeTempDir('vouch-signed-host-');
	const profile = join(dir, 'profile.toml');
	writeFileSync(
		profile,
		[
			'name = "signedhost"',
			'api_versions = ["3.0"]',
			`registry_urls = ["${fixture.server.base}"]`,
			`trusted_root = "${join(fixture.dir, 'shipped-root.json')}"`,
			'allow_unsigned = false',
			'cache_dir = "cache"',
			'data_dir = "data"',
			'config_dir = "config"',
			'plugins_dir = "plugins"',
			'',
		].join('\n'),
	);
	return { profile, cacheDir: join(dir, 'cache') };
}

const loopbackFetch: typeof fetch = (input, init) => {
	const url = new URL(input instanceof Request ? input.url : String(input));
	if (url.hostname !== '127.0.0.1') throw new Error(`tests must not reach ${url.host}`);
	return fetch(input, init);
};

function vouch(h: Host, argv: string[], at: Date = new Date()) {
	return runVouch([...argv, '--profile', h.profile], { fetch: loopbackFetch, now: () => at });
}

function errorCode(run: { stdout: string }): string {
	return (parseJson(run as never).error as { code: string }).code;
}

describe('a signed registry through the CLI', () => {
	it('refreshes a verified registry and shows it as signed', async () => {
		const h = host();
		const run = await vouch(h, ['refresh', '--json']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const registry = parseJson(run).registry as Record<string, unknown>;
		assert.equal(registry.signed, true);
		assert.equal(typeof registry.expiresAt, 'string');
		assert.equal(parseJson(run).pluginCount, 2);
		const human = await vouch(h, ['refresh']);
		assert.match(human.stdout, /verified \(TUF\)/);
		assert.match(human.stdout, /signed registry/);
		assert.doesNotMatch(human.stdout, /unsigned/);
	});

	it('delivers a blacklist update through `vouch refresh`, with no registry release', async () => {
		const h = host();
		const target = 'https://github.com/evil/two';
		assert.equal((await vouch(h, ['refresh'])).code, 0);
		assert.equal((await vouch(h, ['check-blacklist', target])).code, 0);
		await fixture.publish(registryToml(['https://github.com/evil/one', target]));
		try {
			const refreshed = await vouch(h, ['refresh', '--json']);
			assert.equal(refreshed.code, 0, refreshed.stdout + refreshed.stderr);
			assert.equal(parseJson(refreshed).blacklistCount, 2);
			const blocked = await vouch(h, ['check-blacklist', target, '--json']);
			assert.equal(blocked.code, 3, blocked.stdout);
		} finally {
			await fixture.publish();
		}
	});

	it('serves read commands from the verified cache inside the refresh interval', async () => {
		const h = host();
		assert.equal((await vouch(h, ['refresh'])).code, 0);
		const before = fixture.server.requests.length;
		const run = await vouch(h, ['browse', '--json']);
		assert.equal(run.code, 0, run.stderr);
		assert.equal(fixture.server.requests.length, before, 'no request inside the interval');
		assert.equal((parseJson(run).registry as { signed: boolean }).signed, true);
	});

	it('falls back to the verified cache when the repository is down, and says so', async () => {
		const h = host();
		assert.equal((await vouch(h, ['refresh'])).code, 0);
		fixture.server.override('/metadata/timestamp.json', { status: 503 });
		fixture.server.override('/metadata/2.root.json', { status: 503 });
		try {
			const later = new Date(Date.now() + 7 * HOUR);
			const read = await vouch(h, ['browse', '--json'], later);
			assert.equal(read.code, 0, read.stderr);
			const registry = parseJson(read).registry as Record<string, unknown>;
			assert.equal(registry.offline, true);
			assert.equal(registry.signed, true);
			assert.match(read.stderr, /offline/);
			const refresh = await vouch(h, ['refresh', '--json'], later);
			assert.equal(refresh.code, 1, 'a refresh that reached nothing has failed');
		} finally {
			fixture.server.clear('/metadata/timestamp.json');
			fixture.server.clear('/metadata/2.root.json');
		}
	});

	it('refuses a rolled-back timestamp from the mirror and keeps the newer verified state', async () => {
		const h = host();
		const oldTimestamp = fixture.file('metadata/timestamp.json');
		await fixture.publish(
			registryToml(['https://github.com/evil/one', 'https://github.com/evil/three']),
		);
		try {
			assert.equal((await vouch(h, ['refresh'])).code, 0);
			fixture.server.override('/metadata/timestamp.json', { body: oldTimestamp });
			const refused = await vouch(h, ['refresh', '--json']);
			assert.equal(refused.code, 1);
			assert.equal(errorCode(refused), 'TUF_ROLLBACK');
			// The newer blacklist entry the rollback tried to hide still blocks.
			const blocked = await vouch(h, ['check-blacklist', 'https://github.com/evil/three']);
			assert.equal(blocked.code, 3, blocked.stdout + blocked.stderr);
		} finally {
			fixture.server.clear('/metadata/timestamp.json');
			await fixture.publish();
		}
	});

	it('refuses a target the snapshot does not vouch for', async () => {
		const h = host();
		const run0 = await vouch(h, ['refresh', '--json']);
		assert.equal(run0.code, 0);
		const published = await fixture.publish(registryToml(['https://github.com/evil/four']));
		const version = published.versions.targets;
		const targets = JSON.parse(
			fixture.file(`metadata/${version}.targets.json`).toString('utf8'),
		) as {
			signed: { targets: Record<string, { hashes: { sha256: string } }> };
		};
		const blacklist = targets.signed.targets['blacklist.json'];
		assert.ok(blacklist !== undefined);
		// A mirror serving an empty blacklist under the signed name: only the hash can tell.
		const path = `/targets/${blacklist.hashes.sha256}.blacklist.json`;
		fixture.server.override(path, { body: '{"blacklist":[]}' });
		try {
			const refused = await vouch(h, ['refresh', '--json']);
			assert.equal(refused.code, 1);
			assert.equal(errorCode(refused), 'TUF_TARGET_HASH_MISMATCH');
		} finally {
			fixture.server.clear(path);
			await fixture.publish();
		}
	});

	it('refuses a tampered cache, and `refresh --reset-tuf-cache` starts again from the root', async () => {
		const h = host();
		assert.equal((await vouch(h, ['refresh'])).code, 0);
		const state = join(tufStateDirs(h).metadataDir, 'trusted-metadata.json');
		// The timestamp edited to stay fresh for ever: its signature no longer verifies.
		const document = JSON.parse(readFileSync(state, 'utf8')) as Record<string, string>;
		const timestamp = JSON.parse(document.timestamp as string);
		timestamp.signed.expires = '2099-01-01T00:00:00Z';
		document.timestamp = JSON.stringify(timestamp);
		writeFileSync(state, JSON.stringify(document));
		const read = await vouch(h, ['browse', '--json']);
		assert.equal(read.code, 1, 'a read command refuses it too');
		assert.equal(errorCode(read), 'TUF_CACHE_TAMPERED');
		const refused = await vouch(h, ['refresh', '--json']);
		assert.equal(refused.code, 1, refused.stdout);
		assert.equal(errorCode(refused), 'TUF_CACHE_TAMPERED');
		const reset = await vouch(h, ['refresh', '--reset-tuf-cache', '--json']);
		assert.equal(reset.code, 0, reset.stdout + reset.stderr);
		assert.equal((parseJson(reset).registry as { signed: boolean }).signed, true);
	});

	it('refuses frozen metadata, and the D1 gate then refuses installs', async () => {
		const h = host();
		assert.equal((await vouch(h, ['refresh'])).code, 0);
		// Two days on, the one-day timestamp has expired and the mirror still serves it.
		const later = new Date(Date.now() + 48 * HOUR);
		const frozen = await vouch(h, ['refresh', '--json'], later);
		assert.equal(frozen.code, 1);
		assert.equal(errorCode(frozen), 'TUF_METADATA_EXPIRED');
		// Read commands keep the last verified state, marked stale, and the gate refuses.
		const browse = await vouch(h, ['browse', '--json'], later);
		assert.equal(browse.code, 0, browse.stderr);
		assert.equal(
			(parseJson(browse).registry as Record<string, unknown>).blacklistFreshness,
			'stale',
		);
		assert.match(browse.stderr, /expired/);
		const install = await vouch(h, ['install', 'alpha', '--yes', '--json'], later);
		assert.equal(install.code, 1, install.stdout);
		assert.equal(errorCode(install), 'BLACKLIST_STALE');
	});

	it('refuses --reset-tuf-cache for a profile without a trusted root', async () => {
		const run = await runVouch(['refresh', '--reset-tuf-cache', '--json']);
		assert.equal(run.code, 2);
		assert.equal(errorCode(run), 'USAGE');
	});
});

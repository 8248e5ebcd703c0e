/**
 * Root key rotation and threshold signing driven entirely through the maintainers' commands,
 * with a host reading the repository over HTTP on 127.0.0.1 through `vouch refresh`: the host
 * ships only root 1 and must follow the signed chain to root 2 and its new online keys.
 */
import assert from 'node:assert/strict';
import { copyFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import {
	type RepositoryServer,
	registryToml,
	serveDirectory,
} from '../../library/test/tuf/helpers.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

let dir: string;
let server: RepositoryServer;
let profile: string;

const loopbackFetch: typeof fetch = (input, init) => {
	const url = new URL(input instanceof Request ? input.url : String(input));
	if (url.hostname !== '127.0.0.1') throw new Error(`tests must not reach ${url.host}`);
	return fetch(input, init);
};

function maintainer(argv: string[]) {
	return runVouch([...argv, '--json'], { cwd: dir, now: () => new Date() });
}

function publish(keys: string) {
	// The tests edit plugins.toml by hand: the transparency log needs the reason (D28).
	const reason = ['--reason', 'Edited by the test.'];
	return maintainer([
		'registry',
		'publish',
		'plugins.toml',
		'--keys',
		keys,
		'--out',
		'repo',
		...reason,
	]);
}

function sign(key: string) {
	return maintainer(['registry', 'sign', '--repo', 'repo', '--key', key]);
}

function host(argv: string[]) {
	return runVouch([...argv, '--profile', profile, '--json'], {
		cwd: dir,
		fetch: loopbackFetch,
		now: () => new Date(),
	});
}

before(async () => {
	dir = makeTempDir('vouch-rotation-');
	writeFileSync(join(dir, 'plugins.toml'), registryToml());
	assert.equal((await maintainer(['registry', 'keys', 'init', '--dir', 'keys'])).code, 0);
	const published = await publish('keys');
	assert.equal(published.code, 0, published.stdout);
	copyFileSync(join(dir, 'repo', 'metadata', '1.root.json'), join(dir, 'shipped-root.json'));
	server = await serveDirectory(join(dir, 'repo'));
	profile = join(dir, 'host.toml');
	writeFileSync(
		profile,
		[
			'name = "rotatinghost"',
			'api_versions = ["3.0"]',
			`registry_urls = ["${server.base}"]`,
			`trusted_root = "${join(dir, 'shipped-root.json')}"`,
			'allow_unsigned = false',
			'cache_dir = "host/cache"',
			'data_dir = "host/data"',
			'config_dir = "host/config"',
			'plugins_dir = "host/plugins"',
			'',
		].join('\n'),
	);
});
after(() => server.close());

describe('root rotation through the CLI', () => {
	it('collects a threshold of old and new root signatures, then the host follows the chain', async () => {
		assert.equal((await host(['refresh'])).code, 0);
		// The new key set goes on signing the same transparency log (D28).
		const newKeys = ['registry', 'keys', 'init', '--dir', 'new-keys', '--log-key-from', 'keys'];
		assert.equal((await maintainer(newKeys)).code, 0);
		const proposed = await maintainer([
			'registry',
			'root',
			'propose',
			'--repo',
			'repo',
			'--keys',
			'new-keys',
		]);
		assert.equal(proposed.code, 0, proposed.stdout);

		// One old signature: below both thresholds, publishing keeps the current root.
		const first = await sign('keys/root-1.pem');
		assert.equal(first.code, 0, first.stdout);
		assert.equal((parseJson(first) as { complete: boolean }).complete, false);
		const stillOld = await publish('keys');
		assert.equal(stillOld.code, 0, stillOld.stdout);
		assert.equal((parseJson(stillOld) as { versions: { root: number } }).versions.root, 1);

		for (const key of ['keys/root-2.pem', 'new-keys/root-1.pem']) {
			assert.equal((await sign(key)).code, 0);
		}
		const last = await sign('new-keys/root-2.pem');
		assert.equal((parseJson(last) as { complete: boolean }).complete, true);

		writeFileSync(join(dir, 'plugins.toml'), registryToml(['https://github.com/evil/rotated']));
		const rotated = await publish('new-keys');
		assert.equal(rotated.code, 0, rotated.stdout);
		assert.equal((parseJson(rotated) as { versions: { root: number } }).versions.root, 2);

		// The host ships root 1 only; its refresh verifies root 2, then the new online keys.
		const refresh = await host(['refresh']);
		assert.equal(refresh.code, 0, refresh.stdout + refresh.stderr);
		const blocked = await host(['check-blacklist', 'https://github.com/evil/rotated']);
		assert.equal(blocked.code, 3, blocked.stdout);
	});

	it('never completes a rotation signed by the proposed keys alone', async () => {
		// A planted "root 3" listing only the attacker's keys, signed by those keys.
		assert.equal((await maintainer(['registry', 'keys', 'init', '--dir', 'evil-keys'])).code, 0);
		assert.equal(
			(await maintainer(['registry', 'root', 'propose', '--repo', 'repo', '--keys', 'evil-keys']))
				.code,
			0,
		);
		for (const key of ['evil-keys/root-1.pem', 'evil-keys/root-2.pem']) {
			assert.equal((await sign(key)).code, 0);
		}
		const status = await sign('evil-keys/root-3.pem');
		assert.equal(
			(parseJson(status) as { complete: boolean }).complete,
			false,
			'without the current root keys the rotation never completes',
		);
		const published = await publish('new-keys');
		assert.equal((parseJson(published) as { versions: { root: number } }).versions.root, 2);
		assert.equal((await host(['refresh'])).code, 0);
	});
});

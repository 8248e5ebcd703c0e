/**
 * D19b end to end: a TUF-signed registry served on 127.0.0.1 pins reviewed releases of
 * plugins served over git smart HTTP on 127.0.0.1. Installs and updates through the CLI must
 * match a signed pin (commit and tree) or be refused with exit code 3; an installed official
 * plugin edited afterwards is disabled at startup, naming the file.
 */
import assert from 'node:assert/strict';
import { copyFileSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '@vouch/library/internal/lifecycle/store/index';
import { initKeys } from '@vouch/library/internal/tuf/repository/init-keys';
import { publishRepository } from '@vouch/library/internal/tuf/repository/publish';
import { pinOf, type TestPin } from '../../../library/test/helpers/pins.ts';
import { type RepositoryServer, serveDirectory } from '../../../library/test/tuf/helpers.ts';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, registryEntry, type ServedPlugin, type World } from './world.ts';

const OFFICIAL = { name: 'official-pinned', uuid: '0a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' };
const TRUSTED = { name: 'trusted-pinned', uuid: '1b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e' };

let world: World;
let tufServer: RepositoryServer;
let keysDir: string;
let repoDir: string;
let profileFile: string;
let dataDir: string;
let pluginsDir: string;
let official: ServedPlugin;
let trusted: ServedPlugin;
let officialPin: TestPin;
let trustedV1: TestPin;

/** Signs and publishes a registry holding both plugins with the given pins. */
async function publish(pins: { official: TestPin[]; trusted: TestPin[] }): Promise<void> {
	const registry = {
		api_version: '3.0',
		plugins: [
			registryEntry(official, OFFICIAL, {
				trust_level: 'official',
				versioning_scheme: 'semver',
				releases: pins.official,
			}),
			registryEntry(trusted, TRUSTED, {
				trust_level: 'trusted',
				versioning_scheme: 'semver',
				releases: pins.trusted,
			}),
		],
		blacklist: [],
	};
	await publishRepository({
		registryText: JSON.stringify(registry),
		format: 'json',
		keysDir,
		outDir: repoDir,
		now: new Date(),
		// Each publish pins other releases by hand: the transparency log needs the reason (D28).
		reason: 'Pins changed by the test.',
	});
}

/** Real fetch, to the TUF server on 127.0.0.1 only. */
const loopbackFetch: typeof fetch = (input, init) => {
	const url = new URL(input instanceof Request ? input.url : String(input));
	if (url.hostname !== '127.0.0.1') throw new Error(`tests must not reach ${url.host}`);
	return fetch(input, init);
};

function vouch(args: string[]): Promise<CliRun> {
	return world.vouch([...args, '--profile', profileFile], {
		now: () => new Date(),
		fetch: loopbackFetch,
	});
}

function errorCode(run: CliRun): string {
	return (parseJson(run).error as { code: string }).code;
}

before(async () => {
	world = await createWorld();
	official = world.serve(OFFICIAL);
	official.repo.tag('v1.0.0');
	world.publish(official);
	trusted = world.serve(TRUSTED);
	trusted.repo.tag('v1.0.0');
	world.publish(trusted);
	officialPin = await pinOf(official.repo, 'v1.0.0');
	trustedV1 = await pinOf(trusted.repo, 'v1.0.0');

	keysDir = join(world.root, 'tuf-keys');
	repoDir = join(world.root, 'tuf-repo');
	await initKeys({ dir: keysDir });
	await publish({ official: [officialPin], trusted: [trustedV1] });
	const shippedRoot = join(world.root, 'shipped-root.json');
	copyFileSync(join(repoDir, 'metadata', '1.root.json'), shippedRoot);
	tufServer = await serveDirectory(repoDir);

	const hostDir = join(world.root, 'signed-host');
	profileFile = join(world.root, 'signed-host.toml');
	dataDir = join(hostDir, 'data');
	pluginsDir = join(hostDir, 'plugins');
	writeFileSync(
		profileFile,
		[
			'name = "signedhost"',
			'api_versions = ["3.0"]',
			`registry_urls = ["${tufServer.base}"]`,
			`trusted_root = "${shippedRoot}"`,
			'allow_unsigned = false',
			`cache_dir = "${join(hostDir, 'cache')}"`,
			`data_dir = "${dataDir}"`,
			`config_dir = "${join(hostDir, 'config')}"`,
			`plugins_dir = "${pluginsDir}"`,
			'',
		].join('\n'),
	);
});

after(async () => {
	await tufServer.close();
	await world.close();
});

describe('reviewed releases from a signed registry (D19b)', () => {
	it('installs an official plugin whose commit and tree match a signed pin', async () => {
		const run = await vouch(['install', OFFICIAL.name, '--yes', '--json']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const plugin = parseJson(run).plugin as {
			source: { commit: string };
			release: { state: string; ref?: string };
		};
		assert.equal(plugin.source.commit, officialPin.commit);
		assert.deepEqual(plugin.release, { state: 'verified', ref: 'v1.0.0' });
		assert.doesNotMatch(run.stderr, /unsigned/);
		const info = await vouch(['info', OFFICIAL.name]);
		assert.match(info.stdout, /reviewed release v1\.0\.0 \(verified against the signed registry\)/);
	});

	it('disables an installed official plugin whose file was edited, naming it', async () => {
		const file = join(pluginsDir, `official_pinned_${OFFICIAL.uuid}`, '__init__.py');
		const original = readFileSync(file, 'utf8');
		writeFileSync(file, `${original}import os\n`);
		try {
			const run = await vouch(['startup-check', '--json']);
			assert.equal(run.code, 0, run.stderr);
			const report = parseJson(run) as {
				load: { uuid: string }[];
				disabled: { uuid: string; kind: string; files?: string[] }[];
			};
			const disabled = report.disabled.find((item) => item.uuid === OFFICIAL.uuid);
			assert.equal(disabled?.kind, 'integrity');
			assert.deepEqual(disabled?.files, ['__init__.py']);
			assert.equal(
				report.load.some((item) => item.uuid === OFFICIAL.uuid),
				false,
			);
			const state = await openStore({ dataDir }).read();
			assert.equal(state.enabled.includes(OFFICIAL.uuid), false);
		} finally {
			writeFileSync(file, original);
		}
		assert.equal((await vouch(['enable', OFFICIAL.name])).code, 0);
	});

	it('refuses a trusted plugin at a commit the signed registry did not pin, with exit 3', async () => {
		trusted.repo.commit({ 'extra.py': 'y = 2\n' });
		trusted.repo.tag('v1.1.0');
		world.publish(trusted);
		const run = await vouch(['install', TRUSTED.name, '--ref', 'v1.1.0', '--yes', '--json']);
		assert.equal(run.code, 3, run.stdout);
		assert.equal(errorCode(run), 'PIN_MISMATCH');
	});

	it('installs the pinned release by default, and updates only to a newer pin', async () => {
		const run = await vouch(['install', TRUSTED.name, '--yes', '--json']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.equal(
			(parseJson(run).plugin as { source: { ref: string } }).source.ref,
			'v1.0.0',
			'v1.1.0 exists upstream but is not reviewed',
		);
		const check = await vouch(['check-updates', '--json']);
		const checks = parseJson(check).plugins as { uuid: string; status: string }[];
		assert.equal(checks.find((item) => item.uuid === TRUSTED.uuid)?.status, 'up-to-date');

		// The registry pins v1.1.0, but with a tree that is not what the git server serves.
		const v11 = await pinOf(trusted.repo, 'v1.1.0');
		await publish({
			official: [officialPin],
			trusted: [trustedV1, { ...v11, tree: `sha256:${'1'.repeat(64)}` }],
		});
		assert.equal((await vouch(['refresh'])).code, 0);
		const refused = await vouch(['update', TRUSTED.name, '--yes', '--json']);
		assert.equal(refused.code, 3, refused.stdout);
		assert.equal(errorCode(refused), 'PIN_MISMATCH');
		const kept = (await openStore({ dataDir }).read()).plugins[TRUSTED.uuid];
		assert.equal(kept?.source.ref, 'v1.0.0', 'the old release stays');

		await publish({ official: [officialPin], trusted: [trustedV1, v11] });
		assert.equal((await vouch(['refresh'])).code, 0);
		const updated = await vouch(['update', TRUSTED.name, '--yes', '--json']);
		assert.equal(updated.code, 0, updated.stdout + updated.stderr);
		const record = (await openStore({ dataDir }).read()).plugins[TRUSTED.uuid];
		assert.equal(record?.source.ref, 'v1.1.0');
		assert.deepEqual(record?.release, { state: 'verified', ref: 'v1.1.0' });
	});
});

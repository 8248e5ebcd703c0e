/**
 * `vouch install` end to end over git's smart HTTP protocol on 127.0.0.1: the order of the
 * checks, trust prompts, and that a failure or a "no" leaves nothing behind (spec items 13,
 * 14, 26, 27, 28, 33, 36, 37, 39–42, 58; D1, D6, D10, D12).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPluginRepo, manifestToml } from '../../../library/test/helpers/git-repos.ts';
import { pinOf } from '../../../library/test/helpers/pins.ts';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, registryEntry, type World } from './world.ts';

const TAGGER = { name: 'tagger', uuid: '3f1c9a52-7be4-4d21-9c8e-51a7d2e60b94' };
const OFFICIAL = { name: 'official-one', uuid: '8d2e6f10-4c3b-4a9e-b7d1-0f5e2a9c3b71' };

let world: World;

function errorCode(run: CliRun): unknown {
	return (parseJson(run).error as { code?: string } | undefined)?.code;
}

describe('vouch install', () => {
	before(async () => {
		world = await createWorld();
	});
	after(() => world.close());

	it('installs a registry plugin by id, records it and enables it', async () => {
		const tagger = world.serve(TAGGER);
		world.writeRegistry([registryEntry(tagger, TAGGER, { trust_level: 'trusted' })]);
		const run = await world.vouch([
			'install',
			'tagger',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const plugin = parseJson(run).plugin as Record<string, unknown>;
		assert.equal(plugin.uuid, TAGGER.uuid);
		assert.equal(plugin.trustAtInstall, 'trusted');
		assert.equal(plugin.enabled, true);
		const state = await world.state();
		const record = state.plugins[TAGGER.uuid];
		assert.ok(record);
		assert.equal(record.source.commit, tagger.repo.commitOf());
		assert.equal(record.source.refType, 'branch');
		assert.ok(record.files['MANIFEST.toml']?.startsWith('sha256:'));
		assert.deepEqual(state.enabled, [TAGGER.uuid]);
		assert.ok(existsSync(join(world.profile.pluginsDir, `tagger_${TAGGER.uuid}`, 'MANIFEST.toml')));
		// The trusted note is printed even with --yes (D12).
		assert.match(run.stderr, /trusted plugins come from approved authors/);
	});

	it('refuses the same URL twice, unless --reinstall (item 14)', async () => {
		const again = await world.vouch([
			'install',
			'tagger',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(again.code, 1);
		assert.equal(errorCode(again), 'ALREADY_INSTALLED');
		const reinstall = await world.vouch([
			'install',
			'tagger',
			'--reinstall',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(reinstall.code, 0, reinstall.stderr + reinstall.stdout);
		assert.equal(parseJson(reinstall).reinstalled, true);
		assert.deepEqual(
			world.pluginDirs().filter((name) => !name.startsWith('.')),
			[`tagger_${TAGGER.uuid}`],
		);
	});

	it('checks the URL against the blacklist before any network access (item 26)', async () => {
		const evil = world.serve({ name: 'evil', uuid: '6b1e0d3c-2f4a-4e8b-9a7c-d5f3e1b2c4a6' });
		world.writeRegistry([], [{ url: evil.url, reason: 'Steals tokens' }]);
		const requestsBefore = world.server.requests.length;
		const run = await world.vouch([
			'install',
			evil.url,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 3);
		assert.equal(errorCode(run), 'BLACKLISTED');
		assert.equal(world.server.requests.length, requestsBefore, 'git was never asked');
	});

	it('blocks a blacklisted UUID found at a clean URL, and removes the clone (item 27)', async () => {
		const spec = { name: 'copycat', uuid: '0a9b8c7d-6e5f-4a3b-8c2d-1e0f9a8b7c6d' };
		const copycat = world.serve(spec);
		world.writeRegistry([], [{ uuid: spec.uuid, reason: 'Known malware' }]);
		const run = await world.vouch([
			'install',
			copycat.url,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 3);
		assert.match(String((parseJson(run).error as { message: string }).message), /Known malware/);
		assert.ok(world.server.requests.length > 0);
		assert.equal(
			world.pluginDirs().some((name) => name.startsWith('copycat')),
			false,
		);
		assert.deepEqual(listStaging(world), []);
		assert.equal((await world.state()).plugins[spec.uuid], undefined);
	});

	it('refuses without a terminal and without --yes, leaving nothing (D12)', async () => {
		const spec = { name: 'community-one', uuid: '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f' };
		const plugin = world.serve(spec);
		world.writeRegistry([registryEntry(plugin, spec)]);
		const run = await world.vouch([
			'install',
			spec.name,
			'--registry',
			world.registryFile,
			'--json',
		]);
		assert.equal(run.code, 1);
		assert.equal(errorCode(run), 'CONFIRMATION_REQUIRED');
		assert.match(run.stderr, /community plugins are not reviewed/);
		const error = parseJson(run).error as { message: string; hint: string };
		assert.match(error.message, /needs your confirmation, and has no way to ask for it here/);
		assert.match(error.hint, /Run it in a terminal, or pass --yes/);
		assert.equal((await world.state()).plugins[spec.uuid], undefined);
		assert.deepEqual(listStaging(world), []);
	});

	it('exits 130 when the user answers no, and with anything but y/yes (item 39)', async () => {
		for (const answer of ['n\n', 'ok\n', '\n']) {
			const run = await world.vouch(
				['install', 'community-one', '--registry', world.registryFile],
				{
					stdin: answer,
				},
			);
			assert.equal(run.code, 130, answer);
			assert.match(run.stderr, /\[y\/N\]/);
		}
		assert.equal((await world.state()).plugins['1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f'], undefined);
		const yes = await world.vouch(['install', 'community-one', '--registry', world.registryFile], {
			stdin: 'yes\n',
		});
		assert.equal(yes.code, 0, yes.stderr);
	});

	it('refuses a second plugin with an installed UUID from another source (item 13)', async () => {
		const fork = world.serve(TAGGER, 'someone/tagger-fork.git');
		const run = await world.vouch([
			'install',
			fork.url,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 1);
		assert.equal(errorCode(run), 'UUID_CONFLICT');
	});

	it('shows a same-UUID fork of a registered plugin as unregistered and flags it (item 37)', async () => {
		const official = world.serve(OFFICIAL);
		const fork = world.serve(OFFICIAL, 'mallory/official-one.git');
		world.writeRegistry([registryEntry(official, OFFICIAL, { trust_level: 'official' })]);
		const run = await world.vouch([
			'install',
			fork.url,
			'--registry',
			world.registryFile,
			'--yes',
			'--accept-impersonation',
			'--json',
		]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		assert.equal(
			(parseJson(run).plugin as { trustAtInstall: string }).trustAtInstall,
			'unregistered',
		);
		assert.match(run.stderr, /POSSIBLE IMPERSONATION/);
		assert.match(run.stderr, /SECURITY WARNING/);
	});

	it('refuses a remote install when no blacklist can be read (D1), unless overridden loudly', async () => {
		const spec = { name: 'needs-list', uuid: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' };
		const plugin = world.serve(spec);
		const missing = join(world.root, 'no-such-registry.json');
		const refused = await world.vouch([
			'install',
			plugin.url,
			'--registry',
			missing,
			'--yes',
			'--json',
		]);
		assert.equal(refused.code, 1);
		assert.equal(errorCode(refused), 'BLACKLIST_STALE');
		const forced = await world.vouch([
			'install',
			plugin.url,
			'--registry',
			missing,
			'--yes',
			'--allow-stale-blacklist',
			'--json',
		]);
		assert.equal(forced.code, 0, forced.stderr + forced.stdout);
		assert.match(forced.stderr, /DANGER/);
	});

	it('installs only a reviewed release of an official plugin with pins (D19b)', async () => {
		const spec = { name: 'pinned-official', uuid: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a80' };
		const plugin = world.serve(spec);
		const reviewed = plugin.repo.commitOf();
		plugin.repo.tag('v1.0.0');
		const unreviewed = plugin.repo.commit({ 'later.py': 'x = 1\n' });
		plugin.repo.tag('v1.1.0');
		world.publish(plugin);
		const pin = await pinOf(plugin.repo, 'v1.0.0');
		assert.equal(pin.commit, reviewed);
		world.writeRegistry([
			registryEntry(plugin, spec, {
				trust_level: 'official',
				versioning_scheme: 'semver',
				releases: [pin],
			}),
		]);
		const refused = await world.vouch([
			'install',
			spec.name,
			'--ref',
			unreviewed,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(refused.code, 3, 'a release that is not reviewed is refused like a blacklist hit');
		assert.equal(errorCode(refused), 'PIN_MISMATCH');
		const run = await world.vouch([
			'install',
			spec.name,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const installed = parseJson(run).plugin as {
			source: { ref: string; commit: string };
			release?: { state: string };
		};
		assert.deepEqual(
			[installed.source.ref, installed.source.commit],
			['v1.0.0', reviewed],
			'not the newer, unreviewed v1.1.0',
		);
		// The registry file is unsigned: the pin matched, but nothing vouches for the pin itself.
		assert.deepEqual(installed.release, { state: 'unsigned-registry' });
		assert.match(run.stderr, /unsigned registry: release not verified/);
	});

	it('refuses a reviewed commit whose files differ from the pinned tree (D19b)', async () => {
		const spec = { name: 'pinned-tree', uuid: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a81' };
		const plugin = world.serve(spec);
		plugin.repo.tag('v1.0.0');
		world.publish(plugin);
		const pin = await pinOf(plugin.repo, 'v1.0.0');
		const forged = { ...pin, tree: `sha256:${'0'.repeat(64)}` };
		world.writeRegistry([
			registryEntry(plugin, spec, { trust_level: 'trusted', releases: [forged] }),
		]);
		const run = await world.vouch([
			'install',
			spec.name,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 3, run.stdout);
		assert.equal(errorCode(run), 'PIN_MISMATCH');
		assert.match(String((parseJson(run).error as { message: string }).message), /do not match/);
		assert.deepEqual(
			world.pluginDirs().filter((name) => name.startsWith('pinned_tree')),
			[],
			'nothing placed',
		);
	});

	it('clones a local git repository like any other, leaving the original alone', async () => {
		const uuid = '6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c';
		createPluginRepo({
			dir: join(world.root, 'checkout'),
			manifest: manifestToml({ uuid, name: 'From checkout' }),
		});
		const run = await world.vouch([
			'install',
			'./checkout',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const plugin = parseJson(run).plugin as {
			path: string;
			source: { refType: string; kind: string };
		};
		assert.equal(plugin.source.kind, 'git');
		assert.equal(plugin.source.refType, 'branch');
		assert.ok(plugin.path.startsWith(world.profile.pluginsDir));
		assert.ok(existsSync(join(world.root, 'checkout', 'MANIFEST.toml')));
	});

	it('registers a local directory without git in place, never copying it', async () => {
		const dir = join(world.root, 'local-plugin');
		mkdirSync(dir);
		const uuid = '4d5e6f7a-8b9c-4d0e-9f1a-2b3c4d5e6f7a';
		writeFileSync(
			join(dir, 'MANIFEST.toml'),
			`uuid = "${uuid}"\nname = "Local"\ndescription = "Local one"\napi = ["3.0"]\n`,
		);
		const run = await world.vouch([
			'install',
			'./local-plugin',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stderr + run.stdout);
		const plugin = parseJson(run).plugin as { path: string; source: { refType: string } };
		assert.equal(plugin.path, dir);
		assert.equal(plugin.source.refType, 'local');
		assert.equal(
			world.pluginDirs().some((name) => name.startsWith('local')),
			false,
		);
	});
});

function listStaging(world: World): string[] {
	const dirs = world.pluginDirs();
	if (!dirs.includes('.vouch-staging')) return [];
	return readdirSync(join(world.profile.pluginsDir, '.vouch-staging'));
}

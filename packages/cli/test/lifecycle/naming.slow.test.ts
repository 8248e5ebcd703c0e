/**
 * Naming plugins, driven through the CLI as a user would: the id `list` shows works in every
 * command, a local clone of a registered plugin answers to its registry id, the short aliases,
 * "did you mean", installing twice, and `info` telling the truth about the remote's refs.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { runTestGit } from '../../../library/test/helpers/git-repos.ts';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, type PluginSpec, registryEntry, type World } from './world.ts';

let world: World;
const REGISTERED: PluginSpec = {
	name: 'lyrics-fetch',
	uuid: 'd1e2f3a4-b5c6-4d7e-8f9a-0b1c2d3e4f5a',
	manifestExtra: 'version = "1.0.0"',
};
const CLONED: PluginSpec = { name: 'cover-art', uuid: 'e2f3a4b5-c6d7-4e8f-9a0b-1c2d3e4f5a6b' };
const STRANGER: PluginSpec = { name: 'My Stranger', uuid: 'f3a4b5c6-d7e8-4f9a-8b1c-2d3e4f5a6b7c' };

const errorOf = (run: CliRun) =>
	parseJson(run).error as {
		code: string;
		message: string;
		hint?: string;
		details?: Record<string, unknown>;
	};

function withRegistry(args: string[]): Promise<CliRun> {
	return world.vouch([...args, '--registry', world.registryFile, '--json']);
}

interface ListedPlugin {
	id: string | null;
	handle: string;
	uuid: string;
	name: string;
}

async function listed(): Promise<ListedPlugin[]> {
	const run = await withRegistry(['ls']);
	assert.equal(run.code, 0, run.stderr + run.stdout);
	return (parseJson(run) as { plugins: ListedPlugin[] }).plugins;
}

describe('naming plugins', () => {
	let cloneDir: string;

	before(async () => {
		world = await createWorld();
		const registered = world.serve(REGISTERED);
		const cloned = world.serve(CLONED);
		const stranger = world.serve(STRANGER, 'stranger.git');
		world.writeRegistry([
			registryEntry(registered, REGISTERED),
			registryEntry(cloned, CLONED, { id: 'cover-art-plus' }),
		]);
		// A clone on disk of a registered plugin, installed by path: its origin is the
		// registered URL and its UUID the registered one.
		cloneDir = join(world.root, 'clones', 'my-cover-art');
		// Cloned from the bare copy (a synchronous git cannot talk to this process's server),
		// then pointed at the served address, as a clone made over the network would be.
		runTestGit(world.root, ['clone', '-q', cloned.bare, cloneDir]);
		runTestGit(cloneDir, ['remote', 'set-url', 'origin', cloned.url]);
		for (const target of ['lyrics-fetch', cloneDir, stranger.url]) {
			// The clone carries a registered UUID away from the registered address: the files on
			// disk may differ from the registered code, so it still needs its own consent.
			const accept = target === cloneDir ? ['--accept-impersonation'] : [];
			const run = await withRegistry(['i', target, '--yes', ...accept]);
			assert.equal(run.code, 0, `${target}: ${run.stderr}${run.stdout}`);
		}
	});
	after(() => world.close());

	it('list shows the id each plugin is addressed by', async () => {
		const plugins = await listed();
		const byUuid = new Map(plugins.map((plugin) => [plugin.uuid, plugin]));
		assert.equal(byUuid.get(REGISTERED.uuid)?.id, 'lyrics-fetch');
		// The local clone answers to its registry id, not its directory name.
		assert.equal(byUuid.get(CLONED.uuid)?.id, 'cover-art-plus');
		assert.equal(byUuid.get(CLONED.uuid)?.handle, 'cover-art-plus');
		// Unregistered, with a name that needs quoting: the UUID is what works.
		assert.equal(byUuid.get(STRANGER.uuid)?.handle, STRANGER.uuid);
		assert.equal(byUuid.get(STRANGER.uuid)?.id, null);
		const human = await world.vouch(['list', '--registry', world.registryFile]);
		assert.match(human.stdout, /"cover-art"\s+id cover-art-plus/);
		assert.match(human.stdout, /"lyrics-fetch"\s+id lyrics-fetch/);
	});

	it('every command takes the listed id, registry id or UUID, the clone included', async () => {
		for (const plugin of await listed()) {
			const off = await world.vouch(['disable', plugin.handle, '--json']);
			assert.equal(off.code, 0, `${plugin.handle}: ${off.stdout}${off.stderr}`);
			assert.equal((parseJson(off).plugin as { uuid: string }).uuid, plugin.uuid);
			const on = await withRegistry(['enable', plugin.handle, '--yes']);
			assert.equal(on.code, 0, `${plugin.handle}: ${on.stdout}${on.stderr}`);
		}
		// Case does not matter in a registry id; info finds the installed clone by it.
		const info = await withRegistry(['info', 'Cover-Art-Plus']);
		assert.equal(info.code, 0, info.stderr + info.stdout);
		const installed = parseJson(info).installed as { uuid: string };
		assert.equal(installed.uuid, CLONED.uuid);
		// The clone on disk is listed like any remote.
		const remote = parseJson(info).remote as { listed: boolean; branches: string[] };
		assert.equal(remote.listed, true);
		assert.deepEqual(remote.branches, ['main']);
		const human = await world.vouch(['info', 'lyrics-fetch', '--registry', world.registryFile]);
		assert.match(human.stdout, /Branches: +main \(installed\)/);
		const update = await withRegistry(['update', 'cover-art-plus', '--yes']);
		assert.equal(update.code, 0, update.stderr + update.stdout);
	});

	it('an unknown id suggests the closest installed and registry ids', async () => {
		const disable = await world.vouch(['disable', 'lyrics-fecth', '--json']);
		assert.equal(disable.code, 1);
		const error = errorOf(disable);
		assert.equal(error.code, 'NOT_INSTALLED');
		assert.deepEqual(error.details?.suggestions, ['lyrics-fetch']);
		const human = await world.vouch(['disable', 'cover-art-pluss']);
		assert.match(human.stderr, /hint: Did you mean cover-art-plus\?/);

		const install = await withRegistry(['install', 'lyric-fetch', '--yes']);
		assert.equal(errorOf(install).code, 'SOURCE_NOT_FOUND');
		assert.deepEqual(errorOf(install).details?.suggestions, ['lyrics-fetch']);
		assert.match(String(errorOf(install).hint), /Did you mean lyrics-fetch\?/);
	});

	it('installing an installed plugin says which ref is there and explains --reinstall', async () => {
		const again = await withRegistry(['install', 'lyrics-fetch', '--yes']);
		assert.equal(again.code, 1);
		const error = errorOf(again);
		assert.equal(error.code, 'ALREADY_INSTALLED');
		assert.match(error.message, /lyrics-fetch 1\.0\.0 is already installed \(main @[0-9a-f]{7}\)/);
		assert.match(String(error.hint), /--reinstall/);
		assert.match(String(error.hint), /vouch update lyrics-fetch/);
		assert.equal(error.details?.ref, 'main');
		assert.equal(error.details?.version, '1.0.0');
		const human = await world.vouch([
			'install',
			'lyrics-fetch',
			'--registry',
			world.registryFile,
			'--yes',
		]);
		assert.match(human.stderr, /already installed/);
		assert.match(human.stderr, /hint: .*--reinstall/);
		const reinstall = await withRegistry(['install', 'lyrics-fetch', '--yes', '--reinstall']);
		assert.equal(reinstall.code, 0, reinstall.stderr + reinstall.stdout);
	});

	it('rm uninstalls by registry id, with no registry loaded', async () => {
		const run = await world.vouch(['rm', 'cover-art-plus', '--json']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.equal(parseJson(run).uuid, CLONED.uuid);
		assert.equal((await world.state()).plugins[CLONED.uuid], undefined);
	});
});

describe('info lists the refs the remote has and the one install would choose', () => {
	const TAGGED: PluginSpec = { name: 'tagged', uuid: 'a4b5c6d7-e8f9-4a0b-9c1d-3e4f5a6b7c8d' };

	before(async () => {
		world = await createWorld();
	});
	after(() => world.close());

	it('a registry entry saying main, with tag v2.2, would install v2.2', async () => {
		const served = world.serve(TAGGED);
		served.repo.commit({ 'version.py': 'VERSION = "2.1"\n' });
		served.repo.tag('v2.1');
		served.repo.commit({ 'version.py': 'VERSION = "2.2"\n' });
		served.repo.tag('v2.2');
		world.publish(served);
		runTestGit(world.root, ['--git-dir', served.bare, 'branch', 'dev', 'main']);
		world.writeRegistry([
			registryEntry(served, TAGGED, { refs: [{ name: 'main' }], versioning_scheme: 'semver' }),
		]);

		const json = await withRegistry(['info', 'tagged']);
		assert.equal(json.code, 0, json.stderr + json.stdout);
		const result = parseJson(json) as {
			remote: { listed: boolean; branches: string[]; tags: string[]; head: string };
			wouldInstall: { ref: string; refType: string; reason: string };
			plugin: { refs: { name: string }[] };
		};
		assert.deepEqual(
			result.plugin.refs.map((ref) => ref.name),
			['main'],
		);
		assert.equal(result.remote.listed, true);
		assert.deepEqual(result.remote.branches, ['dev', 'main']);
		assert.deepEqual(result.remote.tags, ['v2.2', 'v2.1']);
		assert.equal(result.remote.head, 'main');
		assert.equal(result.wouldInstall.ref, 'v2.2');
		assert.equal(result.wouldInstall.refType, 'tag');

		const human = await world.vouch(['info', 'tagged', '--registry', world.registryFile]);
		assert.equal(human.code, 0, human.stderr);
		assert.match(human.stdout, /Refs: +main \(registry entry\)/);
		assert.match(human.stdout, /Tags: +v2\.2 \(would install\), v2\.1/);
		assert.match(human.stdout, /Installs: +tag v2\.2 \(newest version tag/);

		// The preview and the install agree: one choice.
		const install = await withRegistry(['install', 'tagged', '--yes']);
		assert.equal(install.code, 0, install.stderr + install.stdout);
		const record = (await world.state()).plugins[TAGGED.uuid];
		assert.equal(record?.source.ref, 'v2.2');
	});

	it('an unreachable remote: "could not list refs" with the cause, and the rest shown', async () => {
		const port = await closedPort();
		const spec: PluginSpec = { name: 'gone', uuid: 'b5c6d7e8-f9a0-4b1c-8d2e-4f5a6b7c8d9e' };
		world.writeRegistry([
			{
				...registryEntry({ url: `http://127.0.0.1:${port}/gone.git` } as never, spec),
				trust_level: 'trusted',
			},
		]);
		const human = await world.vouch(['info', 'gone', '--registry', world.registryFile]);
		assert.equal(human.code, 0, human.stderr);
		assert.match(human.stdout, /could not list refs: \S/);
		assert.match(human.stdout, /Git URL: +http:\/\/127\.0\.0\.1/);
		assert.match(human.stdout, /Blacklist: +not blacklisted/);
		const json = await withRegistry(['info', 'gone']);
		assert.equal(json.code, 0);
		const result = parseJson(json) as {
			remote: { listed: boolean; error: string };
			wouldInstall: unknown;
			plugin: { trust: string };
		};
		assert.equal(result.remote.listed, false);
		assert.ok(result.remote.error.length > 0);
		assert.equal(result.wouldInstall, null);
		assert.equal(result.plugin.trust, 'trusted');
	});
});

/** A loopback port nothing listens on: taken, then released. */
async function closedPort(): Promise<number> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const address = server.address();
	await new Promise<void>((resolve) => server.close(() => resolve()));
	if (address === null || typeof address === 'string') throw new Error('no port');
	return address.port;
}

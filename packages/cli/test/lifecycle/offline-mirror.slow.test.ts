/**
 * D11 with local mirrors, driven as a user would: a registry the user keeps on disk may list
 * local repositories (an air-gapped mirror) and installs them for real; the same list served
 * over HTTP from 127.0.0.1 is refused. Also: a dumb-HTTP git server is named as such, and
 * check-updates without a registry does not misjudge version tags.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { startDumbHttpServer } from '../../../library/test/helpers/dumb-http-server.ts';
import {
	bareClone,
	createPluginRepo,
	manifestToml,
	runTestGit,
} from '../../../library/test/helpers/git-repos.ts';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, type PluginSpec, registryEntry, type World } from './world.ts';

const errorCode = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;

const mirrored: PluginSpec = { name: 'mirrored', uuid: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d' };
const tagged: PluginSpec = { name: 'tagged', uuid: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e' };
const evil: PluginSpec = { name: 'evil', uuid: '3c4d5e6f-7a8b-4c9d-8e1f-2a3b4c5d6e7f' };
const dumb: PluginSpec = { name: 'dumb', uuid: '4d5e6f7a-8b9c-4d0e-9f2a-3b4c5d6e7f80' };

function bareRepo(spec: PluginSpec, root: string, path: string, tag?: string): string {
	const repo = createPluginRepo({
		manifest: manifestToml({ uuid: spec.uuid, name: spec.name }),
	});
	if (tag !== undefined) repo.tag(tag);
	return bareClone(repo, root, path);
}

function entry(spec: PluginSpec, gitUrl: string, extra: Record<string, unknown> = {}) {
	return registryEntry({ url: gitUrl } as never, spec, { trust_level: 'trusted', ...extra });
}

function writeJson(file: string, plugins: unknown[], blacklist: unknown[] = []): string {
	writeFileSync(file, JSON.stringify({ api_version: '3.0', plugins, blacklist }));
	return file;
}

/** Installed plugin directories (staging leftovers of refused installs are not installs). */
function installedDirs(world: World, prefix: string): string[] {
	return world.pluginDirs().filter((dir) => dir.startsWith(prefix));
}

describe('offline mirrors (D11)', () => {
	let world: World;
	let mirror: string;
	let registryServer: Server;
	let registryUrl: string;
	let remoteRegistry = '';

	before(async () => {
		world = await createWorld();
		mirror = join(world.root, 'mirror');
		mkdirSync(mirror, { recursive: true });
		bareRepo(mirrored, mirror, 'repos/mirrored.git');
		bareRepo(tagged, mirror, 'repos/tagged.git', 'v1.0.0');
		bareRepo(evil, mirror, 'repos/evil.git');
		symlinkSync(join(mirror, 'repos', 'evil.git'), join(mirror, 'innocent.git'));
		registryServer = createServer((_request, response) => {
			response.writeHead(200, { 'content-type': 'application/json' }).end(remoteRegistry);
		});
		await new Promise<void>((resolve) => registryServer.listen(0, '127.0.0.1', resolve));
		registryUrl = `http://127.0.0.1:${(registryServer.address() as AddressInfo).port}/plugins.json`;
	});
	after(async () => {
		registryServer.closeAllConnections();
		await new Promise((resolve) => registryServer.close(resolve));
		await world.close();
	});

	it('a local registry installs from relative paths, next to the registry file', async () => {
		const registry = writeJson(join(mirror, 'plugins.json'), [
			entry(mirrored, 'repos/mirrored.git'),
		]);
		const elsewhere = join(world.root, 'elsewhere');
		mkdirSync(elsewhere, { recursive: true });
		const run = await world.vouch(
			['install', 'mirrored', '--registry', registry, '--yes', '--json', '--verbose'],
			{ cwd: elsewhere },
		);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.ok(
			run.stderr.includes(`git clone ${join(mirror, 'repos', 'mirrored.git')}`),
			`--verbose names git's target:\n${run.stderr}`,
		);
		const state = await world.state();
		assert.equal(state.plugins[mirrored.uuid]?.source.url, join(mirror, 'repos', 'mirrored.git'));
		assert.ok(world.pluginDirs().some((dir) => dir.startsWith('mirrored_')));
	});

	it('a local registry installs from file:// URLs, stored as a setting', async () => {
		const url = pathToFileURL(join(mirror, 'repos', 'mirrored.git')).href;
		const registry = writeJson(join(mirror, 'file-urls.json'), [entry(mirrored, url)]);
		assert.equal((await world.vouch(['config', 'set', 'registry', registry])).code, 0);
		const run = await world.vouch(['install', 'mirrored', '--reinstall', '--yes', '--json']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.equal(parseJson(run).ok, true);
		await world.vouch(['config', 'unset', 'registry']);
	});

	it('a registry served over the network may not list local paths or helpers', async () => {
		const absolute = join(mirror, 'repos', 'mirrored.git');
		for (const gitUrl of [
			pathToFileURL(absolute).href,
			absolute,
			'repos/mirrored.git',
			`ext::sh -c touch% ${join(world.root, 'pwned')}`,
		]) {
			remoteRegistry = JSON.stringify({
				api_version: '3.0',
				plugins: [entry(mirrored, gitUrl)],
				blacklist: [],
			});
			// Each list is read from the server, not from the cache of the one before.
			const refresh = await world.vouch(['refresh', '--registry', registryUrl], {
				fetch: globalThis.fetch,
			});
			assert.equal(refresh.code, 0, `${gitUrl}: ${refresh.stdout}${refresh.stderr}`);
			const run = await world.vouch(
				['install', 'mirrored', '--registry', registryUrl, '--reinstall', '--yes', '--json'],
				{ fetch: globalThis.fetch },
			);
			assert.notEqual(run.code, 0, `${gitUrl}: ${run.stdout}`);
			const code = errorCode(run);
			if (gitUrl.startsWith('ext::')) {
				// A helper URL never makes an entry: the registry reader drops it, so there is
				// nothing to install, and git never sees it.
				assert.equal(code, 'SOURCE_NOT_FOUND', `${gitUrl}: ${run.stdout}`);
				assert.equal(existsSync(join(world.root, 'pwned')), false);
				continue;
			}
			assert.equal(code, 'TRANSPORT_REFUSED', `${gitUrl}: ${run.stdout}`);
			// Spoken to the user: who to tell, and how a mirror of their own would work.
			const hint = (parseJson(run).error as { hint?: string }).hint ?? '';
			assert.match(hint, /registry maintainers.*config set registry/);
		}
	});

	it('info lists the refs of a local repository only for a local registry', async () => {
		const absolute = join(mirror, 'repos', 'tagged.git');
		const local = writeJson(join(mirror, 'info.json'), [entry(tagged, absolute)]);
		const mine = await world.vouch(['info', 'tagged', '--registry', local, '--json']);
		const listed = parseJson(mine).remote as { listed: boolean; tags?: string[] };
		assert.equal(listed.listed, true, mine.stdout);
		assert.deepEqual(listed.tags, ['v1.0.0']);
		for (const gitUrl of [absolute, pathToFileURL(absolute).href, 'repos/tagged.git']) {
			remoteRegistry = JSON.stringify({
				api_version: '3.0',
				plugins: [entry(tagged, gitUrl)],
				blacklist: [],
			});
			// The cache holds the previous answer of this server: read the new one.
			const refresh = await world.vouch(['refresh', '--registry', registryUrl], {
				fetch: globalThis.fetch,
			});
			assert.equal(refresh.code, 0, refresh.stdout + refresh.stderr);
			const run = await world.vouch(['info', 'tagged', '--registry', registryUrl, '--json'], {
				fetch: globalThis.fetch,
			});
			assert.equal(run.code, 0, run.stdout + run.stderr);
			const remote = parseJson(run).remote as { listed: boolean; error?: string };
			assert.equal(remote.listed, false, `${gitUrl}: git was pointed at a local path`);
			assert.match(remote.error ?? '', /only a registry kept as a local file/);
			const human = await world.vouch(['info', 'tagged', '--registry', registryUrl], {
				fetch: globalThis.fetch,
			});
			assert.doesNotMatch(human.stdout, /v1\.0\.0/, gitUrl);
		}
	});

	it('symlinks and `..` resolve to the real path, where the blacklist still applies', async () => {
		const realEvil = join(mirror, 'repos', 'evil.git');
		for (const gitUrl of ['innocent.git', 'repos/../repos/evil.git', './repos/x/../evil.git']) {
			const registry = writeJson(
				join(mirror, 'tricks.json'),
				[entry(evil, gitUrl)],
				[{ url: realEvil, reason: 'known bad', blacklisted_at: '2026-01-01T00:00:00Z' }],
			);
			const run = await world.vouch(['install', 'evil', '--registry', registry, '--yes', '--json']);
			assert.equal(run.code, 3, `${gitUrl}: ${run.stdout}`);
			assert.equal(errorCode(run), 'BLACKLISTED', gitUrl);
			assert.deepEqual(installedDirs(world, 'evil_'), [], gitUrl);
		}
	});

	it('a blacklist entry names a local repository as the registry file does: next to it, through symlinks', async () => {
		const elsewhere = join(world.root, 'elsewhere');
		mkdirSync(elsewhere, { recursive: true });
		for (const url of ['repos/evil.git', './innocent.git', 'repos/x/../evil.git']) {
			const registry = writeJson(
				join(mirror, 'relative-block.json'),
				[entry(evil, 'repos/evil.git')],
				[{ url, reason: 'known bad', blacklisted_at: '2026-01-01T00:00:00Z' }],
			);
			const run = await world.vouch(
				['install', 'evil', '--registry', registry, '--yes', '--json'],
				{ cwd: elsewhere },
			);
			assert.equal(run.code, 3, `${url}: ${run.stdout}`);
			assert.equal(errorCode(run), 'BLACKLISTED', url);
			assert.deepEqual(installedDirs(world, 'evil_'), [], url);
		}
	});

	it('a local path typed through a symlink meets the blacklist entry of the real path', async () => {
		const registry = writeJson(
			join(mirror, 'real-block.json'),
			[],
			[
				{
					url: join(mirror, 'repos', 'evil.git'),
					reason: 'known bad',
					blacklisted_at: '2026-01-01T00:00:00Z',
				},
			],
		);
		const run = await world.vouch([
			'install',
			join(mirror, 'innocent.git'),
			'--registry',
			registry,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 3, run.stdout);
		assert.equal(errorCode(run), 'BLACKLISTED');
		assert.deepEqual(installedDirs(world, 'evil_'), []);
		// `info` asks by the same real path, so it does not call clean what install refuses.
		const info = await world.vouch([
			'info',
			join(mirror, 'innocent.git'),
			'--registry',
			registry,
			'--offline',
			'--json',
		]);
		assert.equal(info.code, 0, info.stdout + info.stderr);
		assert.equal(parseJson(info).query, join(mirror, 'innocent.git'));
		assert.equal((parseJson(info).blacklisted as { reason?: string } | null)?.reason, 'known bad');
		// Nor does check-blacklist, the command that exists to answer this.
		for (const spelling of [
			join(mirror, 'innocent.git'),
			pathToFileURL(join(mirror, 'innocent.git')).href,
		]) {
			const check = await world.vouch([
				'check-blacklist',
				spelling,
				'--registry',
				registry,
				'--json',
			]);
			assert.equal(check.code, 3, `${spelling}: ${check.stdout}${check.stderr}`);
			assert.equal(parseJson(check).reason, 'known bad');
		}
		const search = await world.vouch([
			'blacklist',
			'search',
			pathToFileURL(join(mirror, 'innocent.git')).href,
			'--registry',
			registry,
			'--json',
		]);
		assert.equal(search.code, 0, search.stdout + search.stderr);
		assert.equal((parseJson(search).url as { blocked?: boolean }).blocked, true, search.stdout);
		assert.equal(parseJson(search).count, 1);
	});

	it('a working copy whose .git is a gitfile or a link to a blacklisted repository meets its entry', async () => {
		const realEvil = join(mirror, 'repos', 'evil.git');
		const registry = writeJson(
			join(mirror, 'pointer-block.json'),
			[],
			[{ url: realEvil, reason: 'known bad', blacklisted_at: '2026-01-01T00:00:00Z' }],
		);
		// git clones the repository the `.git` names, not the directory it sits in: a second
		// name for the blocked repository, like a symlink to it.
		const viaFile = join(world.root, 'pointer-file');
		mkdirSync(viaFile, { recursive: true });
		writeFileSync(join(viaFile, '.git'), `gitdir: ${realEvil}\n`);
		const viaLink = join(world.root, 'pointer-link');
		mkdirSync(viaLink, { recursive: true });
		symlinkSync(realEvil, join(viaLink, '.git'));
		for (const dir of [viaFile, viaLink]) {
			const run = await world.vouch(['install', dir, '--registry', registry, '--yes', '--json']);
			assert.equal(run.code, 3, `${dir}: ${run.stdout}${run.stderr}`);
			assert.equal(errorCode(run), 'BLACKLISTED', dir);
			assert.deepEqual(installedDirs(world, 'evil_'), [], dir);
			const info = await world.vouch(['info', dir, '--registry', registry, '--offline', '--json']);
			assert.equal(info.code, 0, info.stdout + info.stderr);
			const shown = parseJson(info).blacklisted as { reason?: string } | null;
			assert.equal(shown?.reason, 'known bad', dir);
			// An entry naming the directory itself blocks it as before.
			const byDir = writeJson(
				join(mirror, 'pointer-dir-block.json'),
				[],
				[{ url: dir, reason: 'this copy', blacklisted_at: '2026-01-01T00:00:00Z' }],
			);
			const refused = await world.vouch(['install', dir, '--registry', byDir, '--yes', '--json']);
			assert.equal(refused.code, 3, `${dir}: ${refused.stdout}${refused.stderr}`);
			const infoByDir = await world.vouch([
				'info',
				dir,
				'--registry',
				byDir,
				'--offline',
				'--json',
			]);
			const shownByDir = parseJson(infoByDir).blacklisted as { reason?: string } | null;
			assert.equal(shownByDir?.reason, 'this copy', dir);
			assert.deepEqual(installedDirs(world, 'evil_'), [], dir);
		}
	});

	it('a path that does not exist is named as such, and checks as not blacklisted', async () => {
		const registry = writeJson(join(mirror, 'empty.json'), []);
		const missing = join(world.root, 'no-such-plugin');
		const install = await world.vouch([
			'install',
			missing,
			'--registry',
			registry,
			'--yes',
			'--json',
		]);
		assert.equal(errorCode(install), 'SOURCE_NOT_FOUND', install.stdout);
		const check = await world.vouch(['check-blacklist', missing, '--registry', registry, '--json']);
		assert.equal(check.code, 0, check.stdout + check.stderr);
		const info = await world.vouch(['info', missing, '--registry', registry, '--json']);
		assert.equal(info.code, 0, info.stdout + info.stderr);
	});

	it('check-updates without a registry says the versions cannot be judged', async () => {
		const registry = writeJson(join(mirror, 'tagged.json'), [
			entry(tagged, 'repos/tagged.git', { versioning_scheme: 'semver' }),
		]);
		const install = await world.vouch([
			'install',
			'tagged',
			'--registry',
			registry,
			'--yes',
			'--json',
		]);
		assert.equal(install.code, 0, install.stdout + install.stderr);
		assert.equal((await world.state()).plugins[tagged.uuid]?.source.refType, 'tag');
		const gone = join(world.root, 'no-such-registry.json');
		const run = await world.vouch(['check-updates', '--registry', gone, '--json']);
		const checks = parseJson(run).plugins as { name: string; status: string; reason?: string }[];
		const check = checks.find((item) => item.name === 'tagged');
		assert.equal(check?.status, 'skipped', run.stdout);
		assert.match(check?.reason ?? '', /registry is unavailable/);
		assert.doesNotMatch(run.stdout, /not a version tag/);
		const human = await world.vouch(['check-updates', '--registry', gone]);
		const warning = human.stderr.split('\n').filter((line) => line.trim() !== '');
		assert.equal(warning.length, 2, `one line and a hint:\n${human.stderr}`);
		assert.match(warning[0] ?? '', /^warning: no registry could be loaded/);
		assert.match(warning[1] ?? '', /^\s+hint: /);
	});

	it('a clone whose origin is a symlink answers for the real repository, at install and startup', async () => {
		const realEvil = join(mirror, 'repos', 'evil.git');
		const clone = join(world.root, 'clone-of-link');
		// The mirror's copy is where the chain ends: the record keeps the furthest origin.
		runTestGit(realEvil, ['remote', 'remove', 'origin']);
		runTestGit(world.root, ['clone', '-q', join(mirror, 'innocent.git'), clone]);
		const block = [{ url: realEvil, reason: 'known bad', blacklisted_at: '2026-01-01T00:00:00Z' }];
		const blocked = writeJson(join(mirror, 'origin-block.json'), [], block);
		const refused = await world.vouch(['install', clone, '--registry', blocked, '--yes', '--json']);
		assert.equal(refused.code, 3, refused.stdout);
		assert.equal(errorCode(refused), 'BLACKLISTED');
		assert.deepEqual(installedDirs(world, 'evil_'), []);
		// Installed before the entry existed: the origin recorded is the real one, so the
		// startup check that reads the record meets the entry too.
		const open = writeJson(join(mirror, 'origin-open.json'), []);
		const installed = await world.vouch(['install', clone, '--registry', open, '--yes', '--json']);
		assert.equal(installed.code, 0, installed.stdout + installed.stderr);
		assert.equal((await world.state()).plugins[evil.uuid]?.originUrl, realEvil);
		const startup = await world.vouch(['startup-check', '--registry', blocked, '--json']);
		const quarantined = parseJson(startup).quarantined as { uuid: string }[];
		assert.deepEqual(
			quarantined.map((plugin) => plugin.uuid),
			[evil.uuid],
			startup.stdout,
		);
	});
});

describe('a dumb HTTP git server', () => {
	let world: World;
	let server: Awaited<ReturnType<typeof startDumbHttpServer>>;
	before(async () => {
		world = await createWorld();
		const served = join(world.root, 'static');
		const bare = bareRepo(dumb, served, 'dumb.git');
		runTestGit(bare, ['update-server-info']);
		server = await startDumbHttpServer(served);
	});
	after(async () => {
		await server.close();
		await world.close();
	});

	it('is named in plain words, with a hint for whoever hosts it', async () => {
		world.writeRegistry([entry(dumb, `${server.url}/dumb.git`)]);
		const run = await world.vouch([
			'install',
			'dumb',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		const error = parseJson(run).error as { code: string; message: string; hint: string };
		assert.equal(error.code, 'GIT_SHALLOW_UNSUPPORTED', run.stdout);
		assert.match(error.message, /"dumb" HTTP/);
		assert.match(error.hint, /smart HTTP/);
		assert.match(error.hint, /registry maintainer/);
		assert.deepEqual(installedDirs(world, 'dumb_'), []);
	});
});

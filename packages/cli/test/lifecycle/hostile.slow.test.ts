/**
 * Hostile repositories: what a malicious plugin author or a crafted URL can try at install.
 * Each case must fail safe, leave nothing behind, and never reach the terminal unsanitised.
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manifestToml } from '../../../library/test/helpers/git-repos.ts';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, type World } from './world.ts';

let world: World;
const code = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;
const ESCAPES = ['\u001b', '\u0007', '\u009b'];

function assertNothingLeft(): void {
	const dirs = world.pluginDirs().filter((name) => !name.startsWith('.'));
	assert.deepEqual(dirs, []);
	const staging = join(world.profile.pluginsDir, '.vouch-staging');
	if (existsSync(staging)) assert.deepEqual(readdirSync(staging), []);
}

async function install(url: string): Promise<CliRun> {
	return world.vouch(['install', url, '--registry', world.registryFile, '--yes', '--json']);
}

describe('hostile repositories', () => {
	before(async () => {
		world = await createWorld();
	});
	after(() => world.close());

	it('refuses a plugin with symlinks pointing outside it', async () => {
		for (const [name, target] of [
			['absolute', '/etc/passwd'],
			['relative', '../../../../home/user/.ssh/id_ed25519'],
		] as const) {
			const plugin = world.serve({
				name: `links-${name}`,
				uuid: '0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e',
			});
			plugin.repo.git(['rm', '-q', '--cached', '__init__.py']);
			const { symlinkSync } = await import('node:fs');
			symlinkSync(target, join(plugin.repo.dir, 'steal'));
			plugin.repo.commit({});
			world.publish(plugin);
			const run = await install(plugin.url);
			assert.equal(run.code, 1, run.stdout);
			assert.equal(code(run), 'UNSAFE_CONTENT');
			assertNothingLeft();
		}
	});

	it('keeps a path-traversal name inside the plugins directory', async () => {
		const uuid = '1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f';
		const plugin = world.serve({ name: 'traversal', uuid });
		plugin.repo.commit({
			'MANIFEST.toml': manifestToml({ uuid, name: '../../../../tmp/evil\u0000x' }),
		});
		world.publish(plugin);
		const run = await install(plugin.url);
		// A NUL cannot even be written in TOML: then the manifest is refused, which is as safe.
		if (run.code === 0) {
			const path = String((parseJson(run).plugin as { path: string }).path);
			assert.ok(path.startsWith(`${world.profile.pluginsDir}/`));
			assert.match(path, /\/[a-z0-9_]+_1c2d3e4f-5a6b-4c7d-8e9f-0a1b2c3d4e5f$/);
			assert.equal((await world.vouch(['uninstall', uuid, '--json'])).code, 0);
		} else {
			assert.equal(code(run), 'MANIFEST_INVALID');
		}
		const plain = world.serve({
			name: 'traversal-two',
			uuid: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a',
		});
		plain.repo.commit({
			'MANIFEST.toml': manifestToml({
				uuid: '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a',
				name: '../../outside/plugin',
			}),
		});
		world.publish(plain);
		const ok = await install(plain.url);
		assert.equal(ok.code, 0, ok.stdout + ok.stderr);
		const path = String((parseJson(ok).plugin as { path: string }).path);
		assert.equal(
			path,
			join(world.profile.pluginsDir, 'outside_plugin_2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a'),
		);
		assert.equal(existsSync(join(world.root, 'outside')), false);
		assert.equal((await world.vouch(['uninstall', 'outside/plugin', '--json'])).code !== 0, true);
		assert.equal(
			(await world.vouch(['uninstall', '2d3e4f5a-6b7c-4d8e-9f0a-1b2c3d4e5f6a', '--json'])).code,
			0,
		);
	});

	it('refuses a huge manifest without reading it whole', async () => {
		const uuid = '3e4f5a6b-7c8d-4e9f-8a0b-1c2d3e4f5a6b';
		const plugin = world.serve({ name: 'huge', uuid });
		plugin.repo.commit({
			'MANIFEST.toml': `${manifestToml({ uuid, name: 'huge' })}\n# ${'x'.repeat(2 * 1024 * 1024)}\n`,
		});
		world.publish(plugin);
		const run = await install(plugin.url);
		assert.equal(run.code, 1);
		assertNothingLeft();
	});

	it('never lets terminal escapes from a manifest reach the screen', async () => {
		const uuid = '4f5a6b7c-8d9e-4f0a-9b1c-2d3e4f5a6b7c';
		const plugin = world.serve({ name: 'escapes', uuid });
		const name = 'Nice\\u001b]0;owned\\u0007\\u001b[2J\\u009b31m';
		plugin.repo.commit({
			'MANIFEST.toml': `uuid = "${uuid}"\nname = "${name}"\ndescription = "Hi\\u001b[1A"\napi = ["3.0"]\n`,
		});
		world.publish(plugin);
		for (const json of [true, false]) {
			const run = await world.vouch([
				'install',
				plugin.url,
				'--registry',
				world.registryFile,
				'--yes',
				'--reinstall',
				...(json ? ['--json'] : []),
			]);
			for (const control of ESCAPES) {
				assert.equal(run.stdout.includes(control), false, `stdout ${JSON.stringify(control)}`);
				assert.equal(run.stderr.includes(control), false, `stderr ${JSON.stringify(control)}`);
			}
		}
		const list = await world.vouch(['list', '--registry', world.registryFile]);
		for (const control of ESCAPES) assert.equal(list.stdout.includes(control), false);
	});

	it('refuses URLs that git would read as options, and runs nothing', async () => {
		const marker = join(world.root, 'pwned');
		for (const url of [
			`--upload-pack=touch ${marker}`,
			`-u/touch ${marker}`,
			`-oProxyCommand=touch ${marker}:x/y`,
			`ext::sh -c touch% ${marker}/x`,
		]) {
			const run = await world.vouch([
				'install',
				'--registry',
				world.registryFile,
				'--yes',
				'--json',
				'--',
				url,
			]);
			assert.notEqual(run.code, 0, url);
			assert.equal(existsSync(marker), false, url);
		}
	});
});

/**
 * Spec §11 items not covered elsewhere: 28 (redirect before blacklist), 33 (--force-blacklisted),
 * 35 (switch-ref on a blacklisted plugin), 59 (a bad update is rolled back), 62 (local plugins).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, registryEntry, type World } from './world.ts';

let world: World;
const code = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;
const vouch = (args: string[], json = true) =>
	world.vouch([...args, '--registry', world.registryFile, '--yes', ...(json ? ['--json'] : [])]);

describe('spec items at the lifecycle layer', () => {
	before(async () => {
		world = await createWorld();
	});
	after(() => world.close());

	it('item 28: an old URL that is blacklisted still installs from the safe new home', async () => {
		const spec = { name: 'relocated', uuid: 'f6a7b8c9-d0e1-4f2a-8b3c-4d5e6f7a8b9c' };
		const plugin = world.serve(spec, 'new/relocated.git');
		const oldUrl = `${world.server.url}/old/relocated.git`;
		world.writeRegistry(
			[registryEntry(plugin, spec, { trust_level: 'trusted', redirect_from: [oldUrl] })],
			[{ url: oldUrl, reason: 'The old account was taken over' }],
		);
		const run = await vouch(['install', oldUrl]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const source = (parseJson(run).plugin as { source: { url: string } }).source;
		assert.equal(source.url, plugin.url);
	});

	it('item 33: --force-blacklisted installs with a danger notice; update has no such flag', async () => {
		const spec = { name: 'forced', uuid: 'a7b8c9d0-e1f2-4a3b-9c4d-5e6f7a8b9c0d' };
		const plugin = world.serve(spec);
		world.writeRegistry([], [{ uuid: spec.uuid, reason: 'Mined coins', severity: 'soft' }]);
		const refused = await vouch(['install', plugin.url]);
		assert.equal(refused.code, 3);
		const forced = await vouch(['install', plugin.url, '--force-blacklisted']);
		assert.equal(forced.code, 0, forced.stdout + forced.stderr);
		assert.match(forced.stderr, /DANGER: .*blacklisted \(Mined coins\)/);
		const update = await vouch(['update', spec.uuid, '--force-blacklisted']);
		assert.equal(update.code, 2, 'update does not know --force-blacklisted (D10)');
		// item 35: switch-ref on a blacklisted plugin is refused too.
		const switched = await vouch(['switch-ref', spec.uuid, 'main']);
		assert.equal(switched.code, 3);
		assert.equal(code(switched), 'BLACKLISTED');
	});

	it('item 33: a registered plugin forced past its entry gets the danger notice once', async () => {
		const spec = { name: 'forced-registered', uuid: 'c3d4e5f6-a7b8-4c9d-8e0f-1a2b3c4d5e6f' };
		const plugin = world.serve(spec);
		// Checked before the clone (by the entry's UUID) and after it: one entry, one notice.
		world.writeRegistry(
			[registryEntry(plugin, spec)],
			[{ uuid: spec.uuid, reason: 'Mined coins', severity: 'hard' }],
		);
		const forced = await vouch(['install', 'forced-registered', '--force-blacklisted']);
		assert.equal(forced.code, 0, forced.stdout + forced.stderr);
		assert.equal(forced.stderr.match(/DANGER: /g)?.length, 1, forced.stderr);
	});

	it('item 59: an update whose manifest is invalid leaves the installed version in place', async () => {
		const spec = { name: 'breaks-later', uuid: 'b8c9d0e1-f2a3-4b4c-8d5e-6f7a8b9c0d1e' };
		const plugin = world.serve(spec);
		world.writeRegistry([registryEntry(plugin, spec, { trust_level: 'trusted' })]);
		assert.equal((await vouch(['install', 'breaks-later'])).code, 0);
		const before = (await world.state()).plugins[spec.uuid];
		plugin.repo.commit({ 'MANIFEST.toml': 'name = "no uuid"\n' });
		world.publish(plugin);
		const run = await vouch(['update', 'breaks-later']);
		assert.equal(run.code, 1);
		assert.equal(code(run), 'MANIFEST_INVALID');
		const after = (await world.state()).plugins[spec.uuid];
		assert.deepEqual(after, before);
		const dir = join(world.profile.pluginsDir, `breaks_later_${spec.uuid}`);
		assert.match(readFileSync(join(dir, 'MANIFEST.toml'), 'utf8'), /uuid = /);
		assert.equal((await world.vouch(['uninstall', spec.uuid])).code, 0);
	});

	it('item 62: a local plugin is checked by path and UUID, reloaded, unregistered on uninstall', async () => {
		const dir = join(world.root, 'dev-plugin');
		mkdirSync(dir);
		const uuid = 'c9d0e1f2-a3b4-4c5d-9e6f-7a8b9c0d1e2f';
		const manifest = (name: string) =>
			`uuid = "${uuid}"\nname = "${name}"\ndescription = "Work in progress"\napi = ["3.0"]\n`;
		writeFileSync(join(dir, 'MANIFEST.toml'), manifest('Dev'));
		world.writeRegistry([], [{ url: dir, reason: 'Blocked path' }]);
		assert.equal(
			(await vouch(['install', './dev-plugin'])).code,
			3,
			'blacklisted by absolute path',
		);
		world.writeRegistry([], [{ uuid, reason: 'Blocked UUID' }]);
		assert.equal((await vouch(['install', './dev-plugin'])).code, 3, 'blacklisted by UUID');
		world.writeRegistry([]);
		assert.equal((await vouch(['install', './dev-plugin'])).code, 0);
		writeFileSync(join(dir, 'MANIFEST.toml'), manifest('Dev renamed'));
		const reload = await vouch(['update', uuid]);
		assert.equal(reload.code, 0, reload.stdout + reload.stderr);
		assert.equal((parseJson(reload).results as { status: string }[])[0]?.status, 'reloaded');
		assert.equal((await world.state()).plugins[uuid]?.name, 'Dev renamed');
		const switched = await vouch(['switch-ref', uuid, 'main']);
		assert.equal(code(switched), 'NOT_SUPPORTED');
		const removed = await world.vouch(['uninstall', uuid, '--json']);
		assert.equal(removed.code, 0);
		assert.ok(existsSync(join(dir, 'MANIFEST.toml')), 'the files stay on disk');
		// A local path that disappears is dropped at startup.
		assert.equal((await vouch(['install', './dev-plugin'])).code, 0);
		rmSync(dir, { recursive: true });
		const startup = await world.vouch([
			'startup-check',
			'--registry',
			world.registryFile,
			'--json',
		]);
		assert.deepEqual(
			(parseJson(startup).removed as { uuid: string }[]).map((item) => item.uuid),
			[uuid],
		);
		assert.equal((await world.state()).plugins[uuid], undefined);
	});

	it('update --all checks remotes in parallel, then updates what moved', async () => {
		const specs = [0, 1, 2].map((n) => ({
			name: `many-${n}`,
			uuid: `d0e1f2a3-b4c5-4d6e-8f7a-8b9c0d1e2f3${n}`,
		}));
		const plugins = specs.map((spec) => world.serve(spec));
		world.writeRegistry(
			plugins.map((plugin, n) =>
				registryEntry(plugin, specs[n] as (typeof specs)[number], { trust_level: 'trusted' }),
			),
			[{ uuid: 'a7b8c9d0-e1f2-4a3b-9c4d-5e6f7a8b9c0d', reason: 'Mined coins', severity: 'soft' }],
		);
		for (const spec of specs) assert.equal((await vouch(['install', spec.name])).code, 0);
		const moved = plugins[1];
		assert.ok(moved);
		moved.repo.commit({ 'new.py': 'n = 1\n' });
		world.publish(moved);
		const requestsBefore = world.server.requests.length;
		const run = await vouch(['update', '--all']);
		// The force-installed plugin of item 33 is still blacklisted: reported, never updated.
		assert.equal(run.code, 1, run.stdout + run.stderr);
		const statuses = Object.fromEntries(
			(parseJson(run).results as { name: string; status: string }[]).map((item) => [
				item.name,
				item.status,
			]),
		);
		assert.equal(statuses['many-1'], 'updated');
		assert.equal(statuses['many-0'], 'up-to-date');
		assert.equal(statuses.forced, 'blocked');
		assert.ok(world.server.requests.length > requestsBefore);
	});
});

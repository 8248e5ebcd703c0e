/**
 * Blacklist `versions` ranges (D4) against the version a plugin really is, not only the one its
 * manifest claims: the tag that was fetched counts too, and a plugin with no readable version
 * counts as inside every range. Install, update, switch-ref, enable and the startup check.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, type PluginSpec, registryEntry, type World } from './world.ts';

let world: World;
const code = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;

function vouch(...args: string[]): Promise<CliRun> {
	return world.vouch([...args, '--registry', world.registryFile, '--yes', '--json']);
}

const LIAR: PluginSpec = {
	name: 'liar',
	uuid: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
	// The author claims a version far above the blocked range.
	manifestExtra: 'version = "9.9.9"',
};
const BLANK: PluginSpec = { name: 'blank', uuid: '3c4d5e6f-7a8b-4c9d-8e0f-2a3b4c5d6e7f' };
const blockBelow2 = (uuid: string) => ({
	uuid,
	versions: '<2.0.0',
	reason: 'Releases before 2.0.0 leak tokens',
});

describe('blacklist versions ranges match the fetched tag, and an unknown version', () => {
	before(async () => {
		world = await createWorld();
	});
	after(() => world.close());

	it('blocks install of tag v1.0.0 whose manifest claims 9.9.9', async () => {
		const served = world.serve(LIAR);
		served.repo.tag('v1.0.0');
		world.publish(served);
		const entry = registryEntry(served, LIAR, { versioning_scheme: 'semver' });
		world.writeRegistry([entry], [blockBelow2(LIAR.uuid)]);
		const run = await vouch('install', 'liar', '--ref', 'v1.0.0');
		assert.equal(run.code, 3, run.stdout + run.stderr);
		assert.equal(code(run), 'BLACKLISTED');
		assert.equal((await world.state()).plugins[LIAR.uuid], undefined);
		// The same range does not block a tag outside it.
		served.repo.commit({ 'fixed.py': 'x = 1\n' });
		served.repo.tag('v2.0.0');
		world.publish(served);
		const newer = await vouch('install', 'liar', '--ref', 'v2.0.0');
		assert.equal(newer.code, 0, newer.stdout + newer.stderr);
	});

	it('blocks switch-ref back onto v1.0.0, and enable and startup of a plugin installed there', async () => {
		const refused = await vouch('switch-ref', 'liar', 'v1.0.0');
		assert.equal(refused.code, 3, refused.stdout + refused.stderr);
		assert.equal((await world.state()).plugins[LIAR.uuid]?.source.ref, 'v2.0.0');

		// Installed at v1.0.0 while the blacklist was clean, then the entry arrives.
		const registry = JSON.parse(readFileSync(world.registryFile, 'utf8')) as {
			plugins: unknown[];
		};
		world.writeRegistry(registry.plugins, []);
		const back = await vouch('switch-ref', 'liar', 'v1.0.0');
		assert.equal(back.code, 0, back.stdout + back.stderr);
		assert.equal((await world.vouch(['disable', 'liar', '--json'])).code, 0);
		world.writeRegistry(registry.plugins, [blockBelow2(LIAR.uuid)]);
		const enable = await vouch('enable', 'liar');
		assert.equal(enable.code, 3, enable.stdout + enable.stderr);
		assert.equal(code(enable), 'BLACKLISTED');

		world.writeRegistry(registry.plugins, []);
		assert.equal((await vouch('enable', 'liar')).code, 0);
		world.writeRegistry(registry.plugins, [blockBelow2(LIAR.uuid)]);
		const startup = await world.vouch([
			'startup-check',
			'--registry',
			world.registryFile,
			'--json',
		]);
		assert.equal(startup.code, 0, startup.stderr);
		const report = parseJson(startup) as { disabled: { uuid: string; kind: string }[] };
		assert.equal(
			report.disabled.find((item) => item.uuid === LIAR.uuid)?.kind,
			'blacklist',
			startup.stdout,
		);
	});

	it('blocks update onto a tag inside the range whatever the manifest says', async () => {
		const spec: PluginSpec = {
			...LIAR,
			name: 'liar2',
			uuid: '4d5e6f7a-8b9c-4d0e-8f1a-3b4c5d6e7f80',
		};
		const served = world.serve(spec);
		served.repo.tag('v0.1.0');
		world.publish(served);
		const entry = registryEntry(served, spec, { versioning_scheme: 'semver' });
		world.writeRegistry([entry], [{ ...blockBelow2(spec.uuid), versions: '>=0.5.0 <2.0.0' }]);
		assert.equal((await vouch('install', 'liar2')).code, 0);
		served.repo.commit({ 'more.py': 'y = 2\n' });
		served.repo.tag('v1.5.0');
		world.publish(served);
		const update = await vouch('update', 'liar2');
		assert.equal(update.code, 3, update.stdout + update.stderr);
		assert.equal(code(update), 'BLACKLISTED');
		assert.equal((await world.state()).plugins[spec.uuid]?.source.ref, 'v0.1.0');
	});

	it('blocks a plugin with no version at all under any range for its UUID or URL', async () => {
		const served = world.serve(BLANK);
		for (const blacklist of [
			[{ uuid: BLANK.uuid, versions: '>=5.0.0', reason: 'Bad 5.x' }],
			[{ url: served.url, versions: '^0.0.1', reason: 'Bad 0.0.x' }],
		]) {
			world.writeRegistry([], blacklist);
			const run = await vouch('install', served.url);
			assert.equal(run.code, 3, run.stdout + run.stderr);
			assert.equal(code(run), 'BLACKLISTED');
		}
		world.writeRegistry([], []);
		assert.equal((await vouch('install', served.url)).code, 0);
		world.writeRegistry([], [{ uuid: BLANK.uuid, versions: '>=5.0.0', reason: 'Bad 5.x' }]);
		const startup = await world.vouch([
			'startup-check',
			'--registry',
			world.registryFile,
			'--json',
		]);
		const report = parseJson(startup) as { disabled: { uuid: string }[] };
		assert.ok(
			report.disabled.some((item) => item.uuid === BLANK.uuid),
			startup.stdout,
		);
	});
});

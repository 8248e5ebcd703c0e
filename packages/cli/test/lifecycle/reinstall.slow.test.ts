/**
 * `install --reinstall` without `--ref` fetches what is installed: the same tag, branch or
 * commit pin, never the default branch that has moved on since.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseJson } from '../helpers/cli.ts';
import { createWorld, type PluginSpec, type ServedPlugin, type World } from './world.ts';

let world: World;

function install(url: string, ...extra: string[]) {
	return world.vouch([
		'install',
		url,
		'--registry',
		world.registryFile,
		'--yes',
		'--json',
		...extra,
	]);
}

function release(served: ServedPlugin, version: string, tag?: string): string {
	const commit = served.repo.commit({ 'version.py': `VERSION = "${version}"\n` });
	if (tag !== undefined) served.repo.tag(tag);
	world.publish(served);
	return commit;
}

describe('install --reinstall keeps the installed ref', () => {
	before(async () => {
		world = await createWorld();
	});
	after(() => world.close());

	it('stays on tag v1.0.0 when the default branch is newer', async () => {
		const spec: PluginSpec = { name: 'tagged', uuid: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b' };
		const served = world.serve(spec);
		const tagged = release(served, '1.0.0', 'v1.0.0');
		const first = await install(served.url, '--ref', 'v1.0.0');
		assert.equal(first.code, 0, first.stderr + first.stdout);
		// The default branch moves on after the install.
		const newer = release(served, '2.0.0-dev');
		assert.notEqual(newer, tagged);

		const again = await install(served.url, '--reinstall');
		assert.equal(again.code, 0, again.stderr + again.stdout);
		assert.equal(parseJson(again).reinstalled, true);
		const record = (await world.state()).plugins[spec.uuid];
		assert.equal(record?.source.refType, 'tag');
		assert.equal(record?.source.ref, 'v1.0.0');
		assert.equal(record?.source.commit, tagged);
		const dir = join(world.profile.pluginsDir, `tagged_${spec.uuid}`);
		assert.equal(readFileSync(join(dir, 'version.py'), 'utf8'), 'VERSION = "1.0.0"\n');

		// --ref still chooses explicitly.
		const moved = await install(served.url, '--reinstall', '--ref', 'main');
		assert.equal(moved.code, 0, moved.stderr + moved.stdout);
		const onMain = (await world.state()).plugins[spec.uuid];
		assert.equal(onMain?.source.ref, 'main');
		assert.equal(onMain?.source.commit, newer);
	});

	it('keeps a commit pin, and a branch that is not the default one', async () => {
		const spec: PluginSpec = { name: 'pinnedc', uuid: '6f7a8b9c-0d1e-4f2a-9b3c-4d5e6f7a8b9c' };
		const served = world.serve(spec);
		const pinned = release(served, '1.0.0');
		served.repo.branch('stable');
		release(served, '2.0.0');
		const first = await install(served.url, '--ref', pinned);
		assert.equal(first.code, 0, first.stderr + first.stdout);
		const again = await install(served.url, '--reinstall');
		assert.equal(again.code, 0, again.stderr + again.stdout);
		const record = (await world.state()).plugins[spec.uuid];
		assert.equal(record?.source.refType, 'commit');
		assert.equal(record?.source.commit, pinned);

		served.repo.git(['push', '-q', '--force', served.bare, 'stable:refs/heads/stable']);
		const onStable = await install(served.url, '--reinstall', '--ref', 'stable');
		assert.equal(onStable.code, 0, onStable.stderr + onStable.stdout);
		const stableAgain = await install(served.url, '--reinstall');
		assert.equal(stableAgain.code, 0, stableAgain.stderr + stableAgain.stdout);
		const onBranch = (await world.state()).plugins[spec.uuid];
		assert.equal(onBranch?.source.refType, 'branch');
		assert.equal(onBranch?.source.ref, 'stable');
		assert.equal(onBranch?.source.commit, pinned);
	});

	it('refuses, naming the ref, when the installed tag is gone (never falls back)', async () => {
		const spec: PluginSpec = { name: 'vanished', uuid: '7a8b9c0d-1e2f-4a3b-8c4d-5e6f7a8b9c0d' };
		const served = world.serve(spec);
		release(served, '1.0.0', 'v1.0.0');
		const first = await install(served.url, '--ref', 'v1.0.0');
		assert.equal(first.code, 0, first.stderr + first.stdout);
		served.repo.git(['push', '-q', served.bare, ':refs/tags/v1.0.0']);
		const again = await install(served.url, '--reinstall');
		assert.equal(again.code, 1, again.stdout);
		const error = parseJson(again).error as { code: string; message: string };
		assert.equal(error.code, 'SOURCE_NOT_FOUND');
		assert.match(error.message, /v1\.0\.0/);
		assert.equal((await world.state()).plugins[spec.uuid]?.source.ref, 'v1.0.0');
	});
});

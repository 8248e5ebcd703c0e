/**
 * `update`, `switch-ref` and `check-updates` against real repositories served over HTTP on
 * 127.0.0.1 (spec items 29, 30, 50, 56, 57, 59–61; D7, D14, D20).
 */
import assert from 'node:assert/strict';
import { readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { manifestToml } from '../../../library/test/helpers/git-repos.ts';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import {
	createWorld,
	type PluginSpec,
	registryEntry,
	type ServedPlugin,
	type World,
} from './world.ts';

let world: World;
const code = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;

async function install(args: string[]): Promise<void> {
	const run = await world.vouch([
		'install',
		...args,
		'--registry',
		world.registryFile,
		'--yes',
		'--json',
	]);
	assert.equal(run.code, 0, run.stdout + run.stderr);
}

function commitTo(plugin: ServedPlugin, files: Record<string, string>, tag?: string): string {
	const commit = plugin.repo.commit(files);
	if (tag !== undefined) plugin.repo.tag(tag);
	world.publish(plugin);
	return commit;
}

describe('vouch update and check-updates', () => {
	const branchy: PluginSpec = { name: 'branchy', uuid: '7a1b2c3d-4e5f-4a6b-8c7d-9e0f1a2b3c4d' };
	const taggy: PluginSpec = { name: 'taggy', uuid: '8b2c3d4e-5f6a-4b7c-9d8e-0f1a2b3c4d5e' };
	const pinned: PluginSpec = { name: 'pinned', uuid: '9c3d4e5f-6a7b-4c8d-8e9f-1a2b3c4d5e6f' };
	let branchyServed: ServedPlugin;
	let taggyServed: ServedPlugin;
	let pinnedServed: ServedPlugin;
	let pinnedCommit: string;

	before(async () => {
		world = await createWorld();
		branchyServed = world.serve(branchy);
		taggyServed = world.serve(taggy);
		taggyServed.repo.tag('v1.0.0');
		world.publish(taggyServed);
		pinnedServed = world.serve(pinned);
		pinnedCommit = pinnedServed.repo.commitOf();
		world.writeRegistry([
			registryEntry(branchyServed, branchy, { trust_level: 'trusted' }),
			registryEntry(taggyServed, taggy, { trust_level: 'trusted', versioning_scheme: 'semver' }),
			registryEntry(pinnedServed, pinned, { trust_level: 'trusted' }),
		]);
		await install(['branchy']);
		await install(['taggy']);
		await install(['pinned', '--ref', pinnedCommit]);
	});
	after(() => world.close());

	it('installs the newest version tag of a semver plugin (item 55)', async () => {
		const state = await world.state();
		assert.equal(state.plugins[taggy.uuid]?.source.ref, 'v1.0.0');
		assert.equal(state.plugins[taggy.uuid]?.source.refType, 'tag');
		assert.equal(state.plugins[pinned.uuid]?.source.refType, 'commit');
	});

	it('reports what moved, and never a pinned commit (item 56)', async () => {
		const newBranch = commitTo(branchyServed, { 'extra.py': 'x = 1\n' });
		commitTo(taggyServed, { 'extra.py': 'y = 2\n' }, 'v1.1.0');
		commitTo(pinnedServed, { 'extra.py': 'z = 3\n' });
		const run = await world.vouch(['check-updates', '--registry', world.registryFile, '--json']);
		assert.equal(run.code, 0, run.stderr);
		const checks = parseJson(run).plugins as {
			name: string;
			status: string;
			to?: string;
			commit?: string;
		}[];
		const byName = Object.fromEntries(checks.map((check) => [check.name, check]));
		assert.equal(byName.branchy?.status, 'available');
		assert.equal(byName.branchy?.commit, newBranch);
		assert.equal(byName.taggy?.to, 'v1.1.0');
		assert.equal(byName.pinned?.status, 'pinned');
		const list = await world.vouch(['list', '--registry', world.registryFile]);
		assert.match(list.stdout, /update available: v1\.0\.0 -> v1\.1\.0/);
	});

	it('updates a branch to its tip and a tag to the newest tag, swapping files atomically', async () => {
		const run = await world.vouch([
			'update',
			'--all',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const results = parseJson(run).results as { name: string; status: string }[];
		assert.deepEqual(results.map((result) => [result.name, result.status]).sort(), [
			['branchy', 'updated'],
			['pinned', 'pinned'],
			['taggy', 'updated'],
		]);
		const state = await world.state();
		assert.equal(state.plugins[taggy.uuid]?.source.ref, 'v1.1.0');
		assert.equal(state.plugins[pinned.uuid]?.source.commit, pinnedCommit);
		const dir = join(world.profile.pluginsDir, `branchy_${branchy.uuid}`);
		assert.equal(readFileSync(join(dir, 'extra.py'), 'utf8'), 'x = 1\n');
		assert.ok(state.plugins[branchy.uuid]?.files['extra.py']);
		const list = await world.vouch(['list', '--registry', world.registryFile]);
		assert.doesNotMatch(list.stdout, /update available/, 'the hint is gone once updated');
	});

	it('refuses to discard local changes (item 61)', async () => {
		commitTo(branchyServed, { 'extra.py': 'x = 2\n' });
		const file = join(world.profile.pluginsDir, `branchy_${branchy.uuid}`, 'extra.py');
		writeFileSync(file, 'my local edit\n');
		const run = await world.vouch([
			'update',
			'branchy',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 1);
		assert.equal(code(run), 'LOCAL_CHANGES');
		assert.equal(readFileSync(file, 'utf8'), 'my local edit\n');
		// The refusal names the changed files: up to five, sanitised, and counts the rest.
		const details = (parseJson(run).error as { details?: { files: string[]; more: number } })
			.details;
		assert.deepEqual(details, { files: ['extra.py'], more: 0 });
		const dir = join(world.profile.pluginsDir, `branchy_${branchy.uuid}`);
		const added = ['a1.py', 'a2.py', 'a3.py', 'a4.py', 'a5.py', 'evil\u001b[2J.py'];
		for (const name of added) writeFileSync(join(dir, name), 'x\n');
		const many = await world.vouch([
			'update',
			'branchy',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(code(many), 'LOCAL_CHANGES');
		const listed = (parseJson(many).error as { details: { files: string[]; more: number } })
			.details;
		assert.equal(listed.files.length, 5);
		assert.equal(listed.files[0], 'extra.py');
		assert.equal(listed.more, 2);
		const human = await world.vouch(['update', 'branchy', '--registry', world.registryFile]);
		assert.equal(human.code, 1);
		assert.match(
			human.stderr,
			/local changes in extra\.py, a1\.py, a2\.py, a3\.py, a4\.py, and 2 more/,
		);
		assert.equal(human.stderr.includes('\u001b'), false);
		for (const name of added) rmSync(join(dir, name));
		const yes = await world.vouch(['update', 'branchy', '--registry', world.registryFile], {
			stdin: 'y\n',
		});
		assert.equal(yes.code, 0, yes.stderr);
		assert.equal(readFileSync(file, 'utf8'), 'x = 2\n');
	});

	it('blocks an update to a blacklisted plugin and keeps the working copy (item 29)', async () => {
		const before = (await world.state()).plugins[branchy.uuid]?.source.commit;
		commitTo(branchyServed, { 'extra.py': 'x = 3\n' });
		const registry = readFileSync(world.registryFile, 'utf8');
		const parsed = JSON.parse(registry) as { plugins: unknown[] };
		world.writeRegistry(parsed.plugins, [
			{ uuid: branchy.uuid, reason: 'Compromised', severity: 'soft' },
		]);
		const run = await world.vouch([
			'update',
			'branchy',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 3);
		assert.equal((await world.state()).plugins[branchy.uuid]?.source.commit, before);
		const checks = await world.vouch(['check-updates', '--registry', world.registryFile, '--json']);
		const branchyCheck = (parseJson(checks).plugins as { name: string; status: string }[]).find(
			(check) => check.name === 'branchy',
		);
		assert.equal(
			branchyCheck?.status,
			'blocked',
			'no update is offered for a blacklisted plugin (item 30)',
		);
		const enable = await world.vouch([
			'enable',
			'branchy',
			'--registry',
			world.registryFile,
			'--json',
		]);
		assert.notEqual(enable.code, 0, 'enable refuses a blacklisted plugin without consent (D10)');
		world.writeRegistry(parsed.plugins);
	});

	it('keeps the old version when an update asks for new capabilities without consent (D20)', async () => {
		const before = (await world.state()).plugins[taggy.uuid];
		assert.equal(before?.capabilities.status, 'undeclared');
		// Undeclared was accepted as "anything": nothing new to ask. Declare, then widen.
		commitTo(
			taggyServed,
			{
				'MANIFEST.toml': manifestToml(
					{ uuid: taggy.uuid, name: 'taggy' },
					'[capabilities]\nnetwork = false\n',
				),
			},
			'v1.2.0',
		);
		const narrowed = await world.vouch([
			'update',
			'taggy',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(narrowed.code, 0, narrowed.stdout + narrowed.stderr);
		commitTo(
			taggyServed,
			{
				'MANIFEST.toml': manifestToml(
					{ uuid: taggy.uuid, name: 'taggy' },
					'[capabilities]\nnetwork = true\nsubprocess = true\n',
				),
			},
			'v1.3.0',
		);
		const refused = await world.vouch([
			'update',
			'taggy',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(refused.code, 130);
		assert.match(refused.stderr, /Talk to any server/);
		assert.equal((await world.state()).plugins[taggy.uuid]?.source.ref, 'v1.2.0');
		const granted = await world.vouch([
			'update',
			'taggy',
			'--registry',
			world.registryFile,
			'--grant-capabilities',
			'--json',
		]);
		assert.equal(granted.code, 0, granted.stdout + granted.stderr);
		const after = (await world.state()).plugins[taggy.uuid];
		assert.equal(after?.source.ref, 'v1.3.0');
		assert.deepEqual(after?.capabilities, {
			status: 'declared',
			granted: ['network', 'subprocess'],
		});
	});

	it('rejects an update that changes the UUID without a declared move (D7)', async () => {
		commitTo(
			taggyServed,
			{
				'MANIFEST.toml': manifestToml(
					{ uuid: '5e6f7a8b-9c0d-4e1f-8a2b-3c4d5e6f7a8b', name: 'taggy' },
					'[capabilities]\nnetwork = true\nsubprocess = true\n',
				),
			},
			'v1.4.0',
		);
		const run = await world.vouch([
			'update',
			'taggy',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(run.code, 3);
		assert.equal(code(run), 'UUID_CHANGE_REJECTED');
		assert.equal((await world.state()).plugins[taggy.uuid]?.source.ref, 'v1.3.0');
	});

	it('switches to an existing ref and refuses one that does not exist, listing refs (item 57)', async () => {
		const missing = await world.vouch([
			'switch-ref',
			'taggy',
			'v9.9.9',
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(missing.code, 1);
		assert.equal(code(missing), 'REF_NOT_FOUND');
		assert.match(String((parseJson(missing).error as { message: string }).message), /v1\.1\.0/);
		const back = await world.vouch([
			'switch-ref',
			'taggy',
			'v1.1.0',
			'--registry',
			world.registryFile,
			'--yes',
			'--grant-capabilities',
			'--json',
		]);
		assert.equal(back.code, 0, back.stdout + back.stderr);
		assert.equal((await world.state()).plugins[taggy.uuid]?.source.ref, 'v1.1.0');
	});
});

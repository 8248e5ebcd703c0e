/**
 * Out of quarantine once a block is lifted (an appeal granted): `enable` moves the kept files
 * back only when a fresh blacklist no longer names the plugin, only when the files are exactly
 * those installed, and only after the person agrees.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import {
	createWorld,
	type PluginSpec,
	registryEntry,
	type ServedPlugin,
	type World,
} from './world.ts';

const BLOCKED: PluginSpec = { name: 'appealed', uuid: 'd4e5f6a7-b8c9-4d0e-9f1a-3b4c5d6e7f80' };
let world: World;
let served: ServedPlugin;
let entries: Record<string, unknown>[];
let quarantinePath: string;

const code = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;
const vouch = (args: string[]) =>
	world.vouch([...args, '--registry', world.registryFile, '--json']);
const show = (run: CliRun) => `exit ${run.code}\n${run.stdout}\n${run.stderr}`;

describe('enable after a lifted block brings a plugin back from quarantine', () => {
	before(async () => {
		world = await createWorld();
		served = world.serve(BLOCKED);
		entries = [registryEntry(served, BLOCKED)];
		world.writeRegistry(entries);
		const installed = await vouch(['install', 'appealed', '--yes']);
		assert.equal(installed.code, 0, show(installed));
		world.writeRegistry(entries, [{ uuid: BLOCKED.uuid, reason: 'Reported as malware' }]);
		const startup = await vouch(['startup-check']);
		assert.equal(startup.code, 0, show(startup));
		const moved = (parseJson(startup).quarantined as { uuid: string; path: string }[]).find(
			(item) => item.uuid === BLOCKED.uuid,
		);
		assert.ok(moved, 'quarantined at startup');
		quarantinePath = moved.path;
	});
	after(() => world.close());

	it('stays in quarantine while the blacklist still names it', async () => {
		const run = await vouch(['enable', 'appealed', '--yes']);
		assert.equal(run.code, 3, show(run));
		assert.equal(code(run), 'BLACKLISTED');
		assert.match(run.stdout + run.stderr, /Reported as malware/);
		assert.equal((await world.state()).plugins[BLOCKED.uuid]?.state, 'quarantined');
	});

	it('refuses files changed while in quarantine', async () => {
		world.writeRegistry(entries);
		const file = join(quarantinePath, '__init__.py');
		const original = readFileSync(file, 'utf8');
		writeFileSync(file, `${original}import os\n`);
		try {
			const run = await vouch(['enable', 'appealed', '--yes']);
			assert.equal(run.code, 1, show(run));
			assert.equal(code(run), 'UNSAFE_CONTENT');
			assert.ok(existsSync(file), 'the files stay in quarantine');
			assert.equal((await world.state()).plugins[BLOCKED.uuid]?.state, 'quarantined');
		} finally {
			writeFileSync(file, original);
		}
	});

	it('does not move anything without the person agreeing', async () => {
		const run = await vouch(['enable', 'appealed']);
		assert.notEqual(run.code, 0, show(run));
		assert.equal(code(run), 'DECLINED');
		assert.ok(existsSync(join(quarantinePath, 'MANIFEST.toml')));
		assert.equal((await world.state()).plugins[BLOCKED.uuid]?.state, 'quarantined');
	});

	it('with agreement, moves the files back and enables the plugin', async () => {
		const run = await vouch(['enable', 'appealed', '--yes']);
		assert.equal(run.code, 0, show(run));
		const state = await world.state();
		const record = state.plugins[BLOCKED.uuid];
		assert.equal(record?.state, 'active');
		assert.equal(record?.quarantinePath, undefined);
		assert.ok(state.enabled.includes(BLOCKED.uuid));
		assert.equal(existsSync(quarantinePath), false);
		assert.ok(
			existsSync(join(world.profile.pluginsDir, `appealed_${BLOCKED.uuid}`, 'MANIFEST.toml')),
		);
		const startup = await vouch(['startup-check']);
		assert.equal(startup.code, 0, show(startup));
		assert.ok(
			(parseJson(startup).load as { uuid: string }[]).some((item) => item.uuid === BLOCKED.uuid),
			'loads again at startup',
		);
	});
});

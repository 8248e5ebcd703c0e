/** Two `vouch` processes installing into one profile at once: nothing lost, nothing doubled. */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createWorld, registryEntry, type World } from './world.ts';

const BIN = new URL('../../bin/vouch.mjs', import.meta.url).pathname;
const ALPHA = { name: 'alpha', uuid: 'f2a3b4c5-d6e7-4f8a-9b0c-1d2e3f4a5b6c' };
const BETA = { name: 'beta', uuid: 'a3b4c5d6-e7f8-4a9b-8c0d-2e3f4a5b6c7d' };
let world: World;

interface Result {
	code: number | null;
	stdout: string;
}

/** The real executable, as a user would run it; async so this process's git server can answer. */
async function vouchProcess(args: string[]): Promise<Result> {
	const child = spawn(process.execPath, [BIN, ...args], {
		cwd: world.root,
		env: world.env,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stdout = '';
	child.stdout.on('data', (chunk) => {
		stdout += chunk;
	});
	const [code] = (await once(child, 'exit')) as [number | null];
	return { code, stdout };
}

const install = (name: string) =>
	vouchProcess(['install', name, '--registry', world.registryFile, '--yes', '--json']);

describe('concurrent installs into one profile', () => {
	before(async () => {
		world = await createWorld();
		const alpha = world.serve(ALPHA);
		const beta = world.serve(BETA);
		world.writeRegistry([
			registryEntry(alpha, ALPHA, { trust_level: 'trusted' }),
			registryEntry(beta, BETA, { trust_level: 'trusted' }),
		]);
	});
	after(() => world.close());

	it('installs two different plugins at once, keeping both', async () => {
		const [first, second] = await Promise.all([install('alpha'), install('beta')]);
		assert.equal(first?.code, 0, first?.stdout);
		assert.equal(second?.code, 0, second?.stdout);
		const state = await world.state();
		assert.deepEqual(Object.keys(state.plugins).sort(), [ALPHA.uuid, BETA.uuid].sort());
		assert.deepEqual([...state.enabled].sort(), [ALPHA.uuid, BETA.uuid].sort());
	});

	it('installs one plugin requested twice at once exactly once', async () => {
		assert.equal((await vouchProcess(['uninstall', 'alpha', '--json'])).code, 0);
		const results = await Promise.all([install('alpha'), install('alpha')]);
		const codes = results.map((result) => result.code).sort();
		assert.deepEqual(codes, [0, 1], results.map((result) => result.stdout).join('\n'));
		const failure = JSON.parse((results.find((result) => result.code === 1) as Result).stdout);
		assert.equal(failure.error.code, 'ALREADY_INSTALLED');
		const dirs = readdirSync(world.profile.pluginsDir).filter((name) => name.startsWith('alpha'));
		assert.deepEqual(dirs, [`alpha_${ALPHA.uuid}`]);
		const clean = await vouchProcess(['clean', '--json']);
		assert.equal(clean.code, 0);
		const backups = join(world.profile.pluginsDir, '.vouch-old');
		if (existsSync(backups)) assert.deepEqual(readdirSync(backups), []);
		assert.equal(Object.keys((await world.state()).plugins).length, 2);
	});
});

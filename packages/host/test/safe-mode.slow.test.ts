/**
 * Safe mode against real host processes: an in-process plugin that kills its host on enable
 * crashes three start-ups in a row; the fourth starts with no plugins. Also the flag, the
 * environment variable, and the 30 healthy seconds (driven by hand).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { childNodeArgv } from '../../library/test/helpers/child-entry.ts';
import { createPluginHost } from '../src/create-plugin-host.ts';
import { hostStatePath } from '../src/host-state.ts';
import { createHostTestWorld, ManualTimers } from './helpers/world.ts';

const HOST = new URL('./fixtures/safe-mode-host.ts', import.meta.url);
const REPOSITORY = fileURLToPath(new URL('../../../', import.meta.url));

function runHost(
	world: ReturnType<typeof createHostTestWorld>,
	args: string[] = [],
	env: NodeJS.ProcessEnv = {},
) {
	const [node, ...options] = childNodeArgv(HOST);
	const run = spawnSync(node as string, [...options, world.profileFile, world.root, ...args], {
		cwd: REPOSITORY,
		env: { ...world.env, ...env },
		encoding: 'utf8',
	});
	const line = run.stdout.trim().split('\n').at(-1) ?? '';
	return {
		status: run.status,
		out:
			line === '' ? undefined : (JSON.parse(line) as { safeMode: string | null; plugins: number }),
	};
}

const unhealthyStarts = (world: ReturnType<typeof createHostTestWorld>) =>
	(JSON.parse(readFileSync(hostStatePath(world.dataDir), 'utf8')) as { unhealthyStarts: number })
		.unhealthyStarts;

describe('safe mode', () => {
	it('three start-ups that crashed in a row: the fourth loads no plugins', async () => {
		const world = createHostTestWorld();
		await world.install({
			name: 'host-killer',
			code: 'export function enable() { process.exit(70); }\n',
		});
		for (let start = 1; start <= 3; start++) {
			const run = runHost(world);
			assert.equal(run.status, 70, `start ${start} crashed`);
			assert.equal(run.out, undefined);
			assert.equal(unhealthyStarts(world), start, 'the marker was written before loading');
		}
		const safe = runHost(world);
		assert.equal(safe.status, 0);
		assert.deepEqual(safe.out, { safeMode: 'crashed-starts', plugins: 0 });
		// It stays in safe mode until the host leaves it.
		assert.deepEqual(runHost(world).out, { safeMode: 'crashed-starts', plugins: 0 });
		assert.deepEqual(runHost(world, ['--leave-safe-mode']).out, {
			safeMode: 'crashed-starts',
			plugins: 0,
		});
		assert.equal(unhealthyStarts(world), 0);
		assert.equal(runHost(world).status, 70, 'after leaving, the plugin loads (and crashes) again');
	});

	it('--safe-mode and VOUCH_SAFE_MODE=1 start with no plugins; a clean run clears the marker', async () => {
		const world = createHostTestWorld();
		await world.install({ name: 'quiet', code: 'export function enable() {}\n' });
		assert.deepEqual(runHost(world, ['--safe-mode']).out, { safeMode: 'flag', plugins: 0 });
		assert.deepEqual(runHost(world, [], { VOUCH_SAFE_MODE: '1' }).out, {
			safeMode: 'environment',
			plugins: 0,
		});
		assert.deepEqual(runHost(world, [], { VOUCH_SAFE_MODE: '0' }).out, {
			safeMode: null,
			plugins: 1,
		});
		assert.equal(unhealthyStarts(world), 0);
	});

	it('the marker is cleared after 30 healthy seconds, not before', async () => {
		const world = createHostTestWorld();
		await world.install({ name: 'quiet', code: 'export function enable() {}\n' });
		const timers = new ManualTimers();
		const host = createPluginHost({
			vouch: world.vouch,
			mode: 'in-process',
			api: {},
			env: {},
			timers,
		});
		try {
			await host.start();
			assert.equal(unhealthyStarts(world), 1);
			timers.advance(29_999);
			await new Promise((resolve) => setTimeout(resolve, 50));
			assert.equal(unhealthyStarts(world), 1);
			timers.advance(1);
			while (unhealthyStarts(world) !== 0) await new Promise((resolve) => setTimeout(resolve, 10));
		} finally {
			await host.stop();
		}
		assert.ok(join(world.dataDir, 'host').length > 0);
	});
});

/**
 * Two real `vouch install` processes on one profile at once. A proxy holds their ref listings
 * until both have asked, so both have read the state as "not installed" before either
 * commits. Two different plugins must both end up installed (neither write loses the other);
 * the same plugin twice must be installed once, the other process failing with a clear error
 * and leaving nothing behind. A last case pauses one install inside its transaction, so the
 * other's commit certainly meets the held lock rather than depending on when each one runs.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
	copyWorld,
	createWorld,
	type PluginSpec,
	registryEntry,
	type ServedPlugin,
	type World,
} from '../world.ts';
import { type BarrierProxy, startBarrierProxy } from './barrier-proxy.ts';
import {
	type ChildExit,
	REPO_ROOT,
	type StagedChild,
	spawnInWorld,
	startCrashChild,
} from './children.ts';
import {
	assertExactly,
	assertNoLeftovers,
	clean,
	stagingEntries,
	type Version,
} from './crash-world.ts';

const VOUCH = join(REPO_ROOT, 'packages', 'cli', 'bin', 'vouch.js');
const LEFT: PluginSpec = {
	name: 'left',
	uuid: '1a2b3c4d-5e6f-4a7b-8c9d-0e1f2a3b4c5d',
	files: { 'version.py': 'SIDE = "left"\n' },
};
const RIGHT: PluginSpec = {
	name: 'right',
	uuid: '2b3c4d5e-6f7a-4b8c-9d0e-1f2a3b4c5d6e',
	files: { 'version.py': 'SIDE = "right"\n' },
};

const cleanups: (() => Promise<void>)[] = [];
const children: StagedChild[] = [];
after(async () => {
	for (const child of children) child.stop();
	// The proxies first, then the server they forward to.
	for (const cleanup of cleanups.reverse()) await cleanup();
});

/** LEFT and RIGHT served, with the version each one installs; built once for the file. */
async function buildServedWorld(): Promise<{
	world: World;
	served: Map<PluginSpec, ServedPlugin>;
	versions: Map<PluginSpec, Version>;
}> {
	const world = await createWorld();
	cleanups.push(() => world.close());
	const served = new Map<PluginSpec, ServedPlugin>();
	const versions = new Map<PluginSpec, Version>();
	for (const spec of [LEFT, RIGHT]) {
		const plugin = world.serve(spec);
		served.set(spec, plugin);
		versions.set(spec, {
			commit: plugin.repo.commitOf(),
			marker: { path: 'version.py', content: spec.files?.['version.py'] ?? '' },
		});
	}
	return { world, served, versions };
}

let template: ReturnType<typeof buildServedWorld> | undefined;

/**
 * A world of its own (a copy of the served one's empty profile, on its server) whose registry
 * sends git through a barrier proxy for `parties` ref listings.
 */
async function racingWorld(parties: number): Promise<{
	world: World;
	proxy: BarrierProxy;
	versions: Map<PluginSpec, Version>;
}> {
	template ??= buildServedWorld();
	const { world: served, served: plugins, versions } = await template;
	const world = copyWorld(served);
	const proxy = await startBarrierProxy({ target: world.server.url, parties });
	cleanups.push(() => proxy.close());
	world.writeRegistry(
		[LEFT, RIGHT].map((spec) =>
			registryEntry(plugins.get(spec) as ServedPlugin, spec, {
				trust_level: 'trusted',
				git_url: `${proxy.url}/${spec.name}.git`,
			}),
		),
	);
	return { world, proxy, versions };
}

/** Starts `vouch install` for each name at once, as separate processes; waits for all. */
async function installAtOnce(
	world: World,
	proxy: BarrierProxy,
	names: string[],
): Promise<ChildExit[]> {
	const runs = names.map((name) => {
		const { exit } = spawnInWorld(
			world,
			[VOUCH, 'install', name, '--yes', '--json', '--registry', world.registryFile],
			{},
			world.root,
		);
		// One that ends before its listing reached the proxy would hold the other forever.
		void exit.then(() => proxy.release());
		return exit;
	});
	return Promise.all(runs);
}

interface ErrorDocument {
	code?: string;
	message?: string;
	details?: { uuid?: string };
}

function errorOf(exit: ChildExit): ErrorDocument | undefined {
	return (JSON.parse(exit.stdout) as { error?: ErrorDocument }).error;
}

describe('two vouch processes installing into one profile at once', () => {
	it('two different plugins: both succeed and the state keeps both', async () => {
		const { world, proxy, versions } = await racingWorld(2);
		const exits = await installAtOnce(world, proxy, [LEFT.name, RIGHT.name]);
		assert.equal(proxy.openedBy, 'barrier', 'the two installs did not overlap');
		for (const exit of exits) assert.equal(exit.code, 0, exit.stdout + exit.stderr);

		for (const spec of [LEFT, RIGHT]) {
			await assertExactly(world, spec, versions.get(spec) as Version);
		}
		const state = await world.state();
		assert.deepEqual(Object.keys(state.plugins).sort(), [LEFT.uuid, RIGHT.uuid].sort());
		assert.deepEqual([...state.enabled].sort(), [LEFT.uuid, RIGHT.uuid].sort());
		await assertNoLeftovers(world);
		assert.deepEqual(stagingEntries(world), []);
	});

	it('the same plugin twice: one installs it, the other fails cleanly', async () => {
		const { world, proxy, versions } = await racingWorld(2);
		const exits = await installAtOnce(world, proxy, [LEFT.name, LEFT.name]);
		assert.equal(proxy.openedBy, 'barrier', 'the two installs did not overlap');

		const won = exits.filter((exit) => exit.code === 0);
		const lost = exits.filter((exit) => exit.code !== 0);
		assert.equal(won.length, 1, exits.map((exit) => exit.stdout + exit.stderr).join('\n'));
		const [loser] = lost;
		assert.ok(loser);
		assert.equal(loser.code, 1, loser.stderr);
		assert.equal(loser.signal, null);
		const error = errorOf(loser);
		// Both passed the early check; the one that came second learns it under the lock.
		assert.equal(error?.code, 'ALREADY_INSTALLED', loser.stdout);
		// It names the copy the other process installed.
		assert.equal(error?.details?.uuid, LEFT.uuid, loser.stdout);
		assert.doesNotMatch(loser.stderr, /Internal error|at .*\.ts:\d+/);

		const state = await assertExactly(world, LEFT, versions.get(LEFT) as Version);
		assert.deepEqual(Object.keys(state.plugins), [LEFT.uuid]);
		assert.deepEqual(state.enabled, [LEFT.uuid]);
		// The loser removed its own clone on the way out; clean finds nothing to settle.
		assert.deepEqual(stagingEntries(world), []);
		await assertNoLeftovers(world);
		const report = await clean(world);
		assert.deepEqual(report.recovered, []);
		assert.deepEqual(report.removed, []);
		await assertExactly(world, LEFT, versions.get(LEFT) as Version);
		await assertNoLeftovers(world);
	});

	it('a process inside its transaction makes the other wait for the lock; both are kept', async () => {
		const { world, proxy, versions } = await racingWorld(0);
		// No barrier here: the pause below orders the two processes.
		proxy.release();
		// LEFT stops inside its transaction, holding the lock, its state already read.
		const left = startCrashChild(world, 'install', LEFT.name, 'before-place', 'pause');
		children.push(left);
		await left.reached();
		// RIGHT read the state long before; it says so just before it asks for the lock.
		const right = startCrashChild(world, 'install', RIGHT.name, 'before-transaction', 'signal');
		children.push(right);
		await right.reached();
		left.go();
		const exits = await Promise.all([left.exit, right.exit]);
		for (const exit of exits) assert.equal(exit.code, 0, exit.stdout + exit.stderr);

		// Without the lock, one of the two writes would have been made from a stale read.
		for (const spec of [LEFT, RIGHT]) {
			await assertExactly(world, spec, versions.get(spec) as Version);
		}
		const state = await world.state();
		assert.deepEqual(Object.keys(state.plugins).sort(), [LEFT.uuid, RIGHT.uuid].sort());
		await assertNoLeftovers(world);
		assert.deepEqual(stagingEntries(world), []);
	});
});

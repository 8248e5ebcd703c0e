/**
 * A block that arrives while the host runs must win at once:
 * - a plugin being (re)started is not started: the start in progress is abandoned, and
 *   `stop()` leaves no plugin process starting behind it. The moment is chosen by hand: the
 *   report of a real startup check is handed to the host from the `grants` callback, which
 *   the host calls in the middle of a start, before it forks;
 * - a hard block ends an isolated plugin's process without running any more of its code (its
 *   `disable()` is a last chance to act, with the host's API still answering).
 */
import assert from 'node:assert/strict';
import { type ChildProcess, execFileSync } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, it } from 'node:test';
import type { StartupReport, Vouch } from '@vouch/library';
import { createPluginHost } from '../src/create-plugin-host.ts';
import { FORK_PLUGIN, type ForkPlugin } from '../src/isolated-plugin.ts';
import { NoticeLog } from './helpers/notices.ts';
import { writePlugin } from './helpers/plugins.ts';
import { createHostTestWorld } from './helpers/world.ts';

const NEVER = 1e12;
const children: ChildProcess[] = [];
afterEach(() => {
	for (const child of children.splice(0)) child.kill('SIGKILL');
});

/** The real library, except that the host's watcher is driven by the test. */
function withWatchByHand(vouch: Vouch) {
	const hand: { onReport?: (report: StartupReport) => void } = {};
	const wrapped = new Proxy(vouch, {
		get(target, property, receiver) {
			if (property !== 'watch') return Reflect.get(target, property, receiver);
			return (options: { onReport(report: StartupReport): void }) => {
				hand.onReport = options.onReport;
				return {
					checkNow: async () => vouch.startupCheck(),
					pollNow: async () => undefined,
					stop() {},
				};
			};
		},
	});
	return { vouch: wrapped, hand };
}

describe('a block that arrives while a plugin is starting', () => {
	it('stops the start: the blocked plugin is not forked again, and stop() waits for the start', async () => {
		const world = createHostTestWorld();
		const plugin = await world.install({
			name: 'crasher',
			// The first run crashes when the test says so; a second run would call `wait` again.
			code: 'export function enable(api) { api.wait().then(() => process.exit(7)); }\n',
		});
		const { vouch, hand } = withWatchByHand(world.vouch);
		let crash: () => void = () => {};
		const waits: number[] = [];
		const api = {
			wait: () => {
				waits.push(waits.length + 1);
				return waits.length === 1 ? new Promise<void>((resolve) => (crash = resolve)) : null;
			},
		};
		let blockReport: StartupReport | undefined;
		let grantsCalls = 0;
		const forks: ChildProcess[] = [];
		const fork: ForkPlugin = (runner, args, options) => {
			const child = FORK_PLUGIN(runner, args, options);
			forks.push(child);
			children.push(child);
			return child;
		};
		const notices = new NoticeLog();
		const host = createPluginHost({
			vouch,
			mode: 'isolated',
			api,
			env: {},
			fork,
			recheckIntervalMs: NEVER,
			heartbeatMs: NEVER,
			onNotice: notices.push,
			grants: () => {
				grantsCalls += 1;
				// The restart after the crash: the block arrives now, before the fork.
				if (grantsCalls === 2 && blockReport !== undefined) hand.onReport?.(blockReport);
				// A read grant makes the start wait on the file system once more after this call.
				return { read: [world.root] };
			},
		});
		await host.start();
		assert.equal(host.plugins()[0]?.state, 'running');

		writeFileSync(
			join(world.root, 'plugins.json'),
			JSON.stringify({
				api_version: '3.0',
				plugins: [],
				blacklist: [
					{ uuid: plugin.uuid, reason: 'Malware', blacklisted_at: '2026-01-01T00:00:00Z' },
				],
			}),
		);
		blockReport = await world.vouch.startupCheck();
		assert.ok(blockReport.disabled.some((entry) => entry.uuid === plugin.uuid));

		crash();
		await notices.waitFor('disabled');
		await host.stop();
		assert.equal(grantsCalls, 2, 'the restart reached the grants');
		assert.equal(forks.length, 1, 'the blocked plugin was forked again after its block');
		assert.deepEqual(waits, [1]);
		assert.equal(notices.of('started').length, 1);
		assert.equal(host.plugins()[0]?.state, 'disabled');
	});
});

function blockInRegistry(world: ReturnType<typeof createHostTestWorld>, entry: object) {
	writeFileSync(
		join(world.root, 'plugins.json'),
		JSON.stringify({
			api_version: '3.0',
			plugins: [],
			blacklist: [{ reason: 'Malware', blacklisted_at: '2026-01-01T00:00:00Z', ...entry }],
		}),
	);
}

describe('a block of a running isolated plugin', () => {
	const code = [
		'let host;',
		'export function enable(api) { host = api; }',
		'export async function disable() { await host.note("disable ran"); }',
		'',
	].join('\n');

	for (const severity of ['hard', 'soft'] as const) {
		it(`${severity}: ${severity === 'hard' ? 'ends the process without calling disable()' : 'calls disable(), then ends the process'}`, async () => {
			const world = createHostTestWorld();
			const plugin = await world.install({ name: `${severity}-blocked`, code });
			const notes: string[] = [];
			const notices = new NoticeLog();
			const host = createPluginHost({
				vouch: world.vouch,
				mode: 'isolated',
				api: { note: (text: string) => void notes.push(text) },
				env: {},
				recheckIntervalMs: NEVER,
				heartbeatMs: NEVER,
				onNotice: notices.push,
			});
			try {
				await host.start();
				assert.equal(host.plugins()[0]?.state, 'running');
				blockInRegistry(world, { uuid: plugin.uuid, severity });
				await host.recheck();
				assert.equal(host.plugins()[0]?.state, 'disabled');
				assert.deepEqual(notes, severity === 'hard' ? [] : ['disable ran']);
			} finally {
				await host.stop();
			}
		});
	}
});

describe('a running isolated plugin another process blocked first', () => {
	it('is ended without its disable() when the host finds it quarantined', async () => {
		await blockedElsewhere(false);
	});

	// The user, told of the block, removes the plugin before the host's next check: the host can no
	// longer read why it left, and unknown counts as blocked.
	it('is ended without its disable() when it was also uninstalled meanwhile', async () => {
		await blockedElsewhere(true);
	});
});

async function blockedElsewhere(thenUninstalled: boolean): Promise<void> {
	{
		const world = createHostTestWorld();
		// From a git repository: a hard block quarantines only what came from git.
		const plugin = writePlugin(join(world.root, 'sources'), {
			name: 'blocked-elsewhere',
			code: [
				'let host;',
				'export function enable(api) { host = api; }',
				'export async function disable() { await host.note("disable ran"); }',
				'',
			].join('\n'),
		});
		const git = (...args: string[]) =>
			execFileSync(
				'git',
				['-c', 'user.name=Test', '-c', 'user.email=test@example.invalid', ...args],
				{
					cwd: plugin.dir,
					env: {
						PATH: process.env.PATH ?? '/usr/bin:/bin',
						GIT_CONFIG_NOSYSTEM: '1',
						GIT_CONFIG_GLOBAL: '/dev/null',
					},
					stdio: 'ignore',
				},
			);
		git('init', '-q', '-b', 'main');
		git('add', '-A');
		git('commit', '-q', '-m', 'The plugin');
		await world.vouch.install(plugin.dir, { yes: true, acceptFindings: true });
		const notes: string[] = [];
		const host = createPluginHost({
			vouch: world.vouch,
			mode: 'isolated',
			api: { note: (text: string) => void notes.push(text) },
			env: {},
			recheckIntervalMs: NEVER,
			heartbeatMs: NEVER,
		});
		try {
			await host.start();
			assert.equal(host.plugins()[0]?.state, 'running');
			blockInRegistry(world, { uuid: plugin.uuid });
			// The user's `vouch startup-check` (or a second host) applies the hard block first: the
			// plugin is quarantined in the shared store, so the host's own check has no news of it.
			const elsewhere = await world.vouch.startupCheck();
			assert.ok(elsewhere.quarantined.some((entry) => entry.uuid === plugin.uuid));
			if (thenUninstalled) {
				await world.vouch.uninstall(plugin.uuid);
				assert.deepEqual(await world.vouch.list(), []);
			}
			await host.recheck();
			assert.notEqual(host.plugins()[0]?.state, 'running');
			assert.deepEqual(notes, [], "the hard-blocked plugin's disable() ran");
		} finally {
			await host.stop();
		}
	}
}

/** Whether `pid` is gone: reaped, or a zombie nobody has reaped yet. */
function isDead(pid: number): boolean {
	try {
		const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
		return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
	} catch {
		return true;
	}
}

/** The process group of `pid`, from /proc. */
function groupOf(pid: number): number {
	const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
	return Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
}

describe('processes a plugin started', () => {
	it('end with it: a plugin granted subprocess leads its own process group, and the host ends the group', async () => {
		const world = createHostTestWorld();
		const plugin = await world.install({
			name: 'spawner',
			capabilities: { subprocess: true },
			code: [
				'import { spawn } from "node:child_process";',
				'export async function enable(api) {',
				'  const child = spawn(process.execPath, ["-e", "setInterval(() => {}, 1000)"], { stdio: "ignore" });',
				'  await api.started(child.pid);',
				'}',
				'',
			].join('\n'),
		});
		let grandchild = 0;
		const host = createPluginHost({
			vouch: world.vouch,
			mode: 'isolated',
			api: {
				started: (pid: number) => {
					grandchild = pid;
				},
			},
			env: {},
			recheckIntervalMs: NEVER,
			heartbeatMs: NEVER,
			grants: () => ({ consent: ['subprocess'] }),
		});
		try {
			const report = await host.start();
			const pluginPid = report.plugins[0]?.pid as number;
			assert.ok(grandchild > 0, 'the plugin started a process');
			assert.equal(groupOf(grandchild), pluginPid, "the plugin's process is not in its group");
			blockInRegistry(world, { uuid: plugin.uuid });
			await host.recheck();
			assert.equal(host.plugins()[0]?.state, 'disabled');
			while (!isDead(grandchild)) await new Promise((resolve) => setTimeout(resolve, 20));
		} finally {
			await host.stop();
			if (grandchild > 0 && !isDead(grandchild)) process.kill(grandchild, 'SIGKILL');
		}
	});
});

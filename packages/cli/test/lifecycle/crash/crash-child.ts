/**
 * `vouch install` or `vouch update` in a process that SIGKILLs itself at one stage (or, for
 * the concurrency tests, pauses or signals there). The lifecycle is wired by the CLI's own
 * functions over this process's environment (profile from the XDG variables, registry from
 * the file given, real git, real store and plugin files); only the seams below are wrapped,
 * so the kill lands at a known point instead of at a moment picked by a timer.
 *
 * Usage: node crash-child.js (or --import tsx crash-child.ts) <install|update> <target> <registry
 * file> [--reinstall]
 * Env: VOUCH_CRASH_STAGE (one of CRASH_STAGES), VOUCH_CRASH_REACHED (a file that receives the
 * stage name when the child gets there, so the test knows it did), VOUCH_CRASH_ACTION: `kill`
 * (default), `pause` (wait there until the file `<reached>.go` exists) or `signal` (go on).
 */
import { existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import { type InstallDeps, installPlugin } from '@vouch/library/internal/lifecycle/install';
import type {
	PluginStore,
	TransactionContext,
} from '@vouch/library/internal/lifecycle/store/index';
import { updatePlugin } from '@vouch/library/internal/lifecycle/update';
import type { CliIO } from '../../../src/io.ts';
import { lifecycleContext, pluginWorkDeps } from '../../../src/lifecycle-context.ts';
import { createOutput } from '../../../src/output.ts';
import { type CrashStage, isCrashStage } from './stages.ts';

const [operation, target, registry, ...flags] = process.argv.slice(2);
const wanted = process.env.VOUCH_CRASH_STAGE;
const reachedFile = process.env.VOUCH_CRASH_REACHED;
const action = process.env.VOUCH_CRASH_ACTION ?? 'kill';
if (
	(operation !== 'install' && operation !== 'update') ||
	target === undefined ||
	registry === undefined ||
	!isCrashStage(wanted) ||
	reachedFile === undefined ||
	!['kill', 'pause', 'signal'].includes(action)
) {
	process.stderr.write(
		'usage: crash-child.ts <install|update> <target> <registry> [--reinstall]\n',
	);
	process.exit(2);
}

// A paused child whose test has gone must not wait for ever.
const parent = process.ppid;
setInterval(() => {
	if (process.ppid !== parent) process.exit(1);
}, 200).unref();

/**
 * At the wanted stage: record it, then end the process as a power cut would (no finally
 * block, exit handler or cleanup runs), or wait for the test's go, or just carry on.
 */
async function atStage(stage: CrashStage): Promise<void> {
	if (stage !== wanted) return;
	writeFileSync(reachedFile as string, stage);
	if (action === 'signal') return;
	if (action === 'pause') {
		while (!existsSync(`${reachedFile}.go`)) await sleep(5);
		return;
	}
	process.kill(process.pid, 'SIGKILL');
	// The signal may take a moment to land; not one more line of the lifecycle may run first.
	Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
}

const io: CliIO = {
	stdout: process.stdout,
	stderr: process.stderr,
	env: process.env,
	cwd: process.cwd(),
	stdoutIsTTY: false,
	stderrIsTTY: false,
	fetch: async () => {
		throw new Error('the crash child must not reach the network');
	},
	now: () => new Date(),
};
const output = createOutput(io, true);
const context = await lifecycleContext({ registry }, io, output);
const real = pluginWorkDeps(context, io, false);

/** The first after-commit step runs right after the state is written; the kill goes there. */
function crashingTx(tx: TransactionContext): TransactionContext {
	let first = true;
	return {
		afterCommit(step) {
			if (!first) return tx.afterCommit(step);
			first = false;
			tx.afterCommit(async () => {
				await atStage('after-commit');
				await step();
			});
		},
	};
}

const store: PluginStore = {
	...real.store,
	async transaction(work) {
		await atStage('before-transaction');
		return real.store.transaction((state, tx) => work(state, crashingTx(tx)));
	},
};

const deps: InstallDeps = {
	...real,
	git: {
		async lsRemote(url, options) {
			const listing = await real.git.lsRemote(url, options);
			await atStage('ls-remote');
			return listing;
		},
		async clone(request) {
			const cloned = await real.git.clone(request);
			await atStage('clone');
			return cloned;
		},
		verifyTag: (request) => real.git.verifyTag(request),
		remoteUrl: (dir) => real.git.remoteUrl(dir),
		originFetchUrl: (dir) => real.git.originFetchUrl(dir),
		repositoryDir: (dir) => real.git.repositoryDir(dir),
	},
	async readManifest(dir, options) {
		const result = await real.readManifest(dir, options);
		await atStage('manifest');
		return result;
	},
	files: {
		...real.files,
		async place(state, tx, request) {
			await atStage('before-place');
			await real.files.place(state, tx, request);
			await atStage('after-place');
		},
	},
	store,
};

const result =
	operation === 'install'
		? await installPlugin(
				{
					target,
					pre: false,
					reinstall: flags.includes('--reinstall'),
					forceBlacklisted: false,
					allowInsecureTransport: false,
					allowStaleBlacklist: false,
					yes: true,
					enable: true,
				},
				deps,
			)
		: await updatePlugin(
				target,
				{
					pre: false,
					yes: true,
					grantCapabilities: false,
					allowInsecureTransport: false,
					allowStaleBlacklist: false,
				},
				deps,
			);
// Reaching this line means the stage was never passed; the test reports it from here.
process.stdout.write(`${JSON.stringify({ finished: true, plugin: result.plugin.uuid })}\n`);

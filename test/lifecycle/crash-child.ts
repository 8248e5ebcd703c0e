/**
 * Runs one install or update wired exactly as the CLI wires it, and SIGKILLs itself at the
 * stage named in the job: the crash-safety test's child process. The stages are reached through
 * the injected dependencies, never through timing, so every run stops at the same point.
 *
 * Job (JSON in argv[2]): { env, cwd, registryFile, op: 'install' | 'update', target, stage }.
 */
import { appendFileSync } from 'node:fs';
import type { CliIO } from '../../src/cli/io.ts';
import { lifecycleContext, pluginWorkDeps } from '../../src/cli/lifecycle-context.ts';
import { createOutput } from '../../src/cli/output.ts';
import type { PluginWorkDeps } from '../../src/lifecycle/deps.ts';
import { installPlugin } from '../../src/lifecycle/install.ts';
import { updatePlugin } from '../../src/lifecycle/update.ts';

interface Job {
	env: NodeJS.ProcessEnv;
	cwd: string;
	registryFile: string;
	op: 'install' | 'update';
	target: string;
	stage: string;
	/** Where the stage reached is written before the kill, so the test knows it got there. */
	marker: string;
}

const job = JSON.parse(process.argv[2] as string) as Job;

function crashAt(stage: string): void {
	if (stage !== job.stage) return;
	appendFileSync(job.marker, `${stage}\n`);
	process.kill(process.pid, 'SIGKILL');
}

const io: CliIO = {
	stdout: { write: () => true },
	stderr: { write: () => true },
	env: job.env,
	cwd: job.cwd,
	stdoutIsTTY: false,
	stderrIsTTY: false,
	fetch: async () => {
		throw new Error('no network');
	},
	now: () => new Date(),
};
const output = createOutput(io, true);
const context = await lifecycleContext({ registry: job.registryFile }, io, output);
const base = pluginWorkDeps(context, io, false);

const deps: PluginWorkDeps = {
	...base,
	git: {
		lsRemote: async (url) => {
			const listing = await base.git.lsRemote(url);
			crashAt('after-ls-remote');
			return listing;
		},
		clone: async (request) => {
			const result = await base.git.clone(request);
			crashAt('after-clone');
			return result;
		},
	},
	readManifest: async (dir, options) => {
		const result = await base.readManifest(dir, options);
		crashAt('after-manifest');
		return result;
	},
	files: {
		...base.files,
		place: async (...args: Parameters<typeof base.files.place>) => {
			await base.files.place(...args);
			crashAt('after-place');
		},
	},
	store: {
		...base.store,
		read: () => base.store.read(),
		recover: () => base.store.recover(),
		hasInterruptedWork: () => base.store.hasInterruptedWork(),
		transaction: (work) =>
			base.store.transaction(async (state, tx) => {
				crashAt('in-transaction');
				return work(state, {
					afterCommit: (step) =>
						tx.afterCommit(async () => {
							crashAt('after-state-write');
							await step();
						}),
				});
			}),
	},
};

if (job.op === 'install') {
	await installPlugin(
		{
			target: job.target,
			pre: false,
			reinstall: false,
			forceBlacklisted: false,
			allowInsecureTransport: false,
			allowStaleBlacklist: false,
			yes: true,
			enable: true,
		},
		{ ...deps, inspectDirectory: base.inspectDirectory },
	);
} else {
	await updatePlugin(
		job.target,
		{
			pre: false,
			yes: true,
			grantCapabilities: false,
			allowInsecureTransport: false,
			allowStaleBlacklist: false,
		},
		deps,
	);
}
appendFileSync(job.marker, 'finished\n');

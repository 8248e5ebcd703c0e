/**
 * Builds the lifecycle's dependencies for a CLI command: profile, registry snapshot, git,
 * store, plugin files, prompts and progress. One place, so every command wires them alike.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isVouchError } from '@vouch/library/internal/core/errors';
import type { HostProfile } from '@vouch/library/internal/core/profile';
import type { Git } from '@vouch/library/internal/git/index';
import type { GitPort } from '@vouch/library/internal/lifecycle/ports';
import type { LifecycleReporter, Prompter } from '@vouch/library/internal/lifecycle/prompter';
import {
	type RegistrySnapshot,
	snapshotOf,
	unavailableSnapshot,
} from '@vouch/library/internal/lifecycle/snapshot';
import {
	createPluginFiles,
	digestTree,
	openStore,
	type PluginFiles,
	type PluginStore,
} from '@vouch/library/internal/lifecycle/store/index';
import type { readManifest } from '@vouch/library/internal/manifest/index';
import type { CommonOptions } from './common-options.ts';
import { loadRegistry, profileFor, urlContextFor } from './context.ts';
import type { CliIO } from './io.ts';
import type { Output } from './output.ts';
import { createProgress } from './progress.ts';
import { createTerminalPrompter } from './prompter.ts';
import { safe } from './style.ts';

export interface LifecycleContext {
	profile: HostProfile;
	snapshot: RegistrySnapshot;
	store: PluginStore;
	files: PluginFiles;
	prompter: Prompter;
	reporter: LifecycleReporter & { done(): void };
	home: string;
}

export async function lifecycleContext(
	options: CommonOptions,
	io: CliIO,
	output: Output,
	needs: { registry: boolean } = { registry: true },
): Promise<LifecycleContext> {
	const profile = profileFor(options, io);
	const reporter = createReporter(io, output);
	// Commands that only change local state (disable, uninstall) must work offline and fast.
	const snapshot: RegistrySnapshot = needs.registry
		? await loadSnapshot(options, profile, io, output)
		: unavailableSnapshot('not loaded');
	const store = openStore({ dataDir: profile.dataDir, now: io.now });
	const files = createPluginFiles({
		pluginsDir: profile.pluginsDir,
		dataDir: profile.dataDir,
		now: io.now,
	});
	const terminal = createTerminalPrompter(io);
	// The spinner must be gone before a question is printed.
	const prompter: Prompter = {
		interactive: terminal.interactive,
		confirm: (question) => {
			reporter.done();
			return terminal.confirm(question);
		},
	};
	return { profile, snapshot, store, files, prompter, reporter, home: io.env.HOME ?? homedir() };
}

/** A registry that cannot be read is not fatal here: the lifecycle's D1 gate decides. */
async function loadSnapshot(
	options: CommonOptions,
	profile: HostProfile,
	io: CliIO,
	output: Output,
): Promise<RegistrySnapshot> {
	try {
		return snapshotOf(await loadRegistry(options, profile, io, output), urlContextFor(profile, io));
	} catch (error) {
		if (!isVouchError(error)) throw error;
		output.note(`warning: ${safe(error.message)}`);
		return unavailableSnapshot(error.message);
	}
}

/**
 * Git for the lifecycle. Plain http to loopback needs no flag (`src/git` lets it through for
 * that one process, with redirects off); elsewhere it needs --allow-insecure-transport (D11).
 */
export function gitFor(
	io: CliIO,
	allowInsecureTransport: boolean,
): GitPort & { changedFiles(dir: string): Promise<string[]> } {
	// Loaded on first use: `startup-check`, which a host runs at every start, never runs git.
	let loaded: Promise<Git> | undefined;
	const git = () => {
		loaded ??= import('@vouch/library/internal/git/index').then(({ createGit }) =>
			createGit({ env: io.env, cwd: io.cwd, allowInsecureTransport }),
		);
		return loaded;
	};
	return {
		lsRemote: async (url, options) => (await git()).lsRemote(url, options),
		clone: async ({ redirectGuard, ...request }) =>
			(await git()).clone(request, redirectGuard === undefined ? {} : { redirectGuard }),
		remoteUrl: async (dir) => (await git()).remoteUrl(dir),
		verifyTag: async (request) => (await git()).verifyTag(request),
		changedFiles: async (dir) => (await git()).changedFiles(dir),
	};
}

export function lifecycleIO(io: CliIO) {
	return {
		// Loaded on first use, like the scanner below: only installs and updates read manifests.
		readManifest: async (...args: Parameters<typeof readManifest>) =>
			(await import('@vouch/library/internal/manifest/index')).readManifest(...args),
		digest: (dir: string) => digestTree(dir),
		// Loaded on first use: commands that never scan start without tree-sitter.
		scan: async (dir: string) =>
			(await import('@vouch/library/internal/scan/index')).scanPlugin(dir),
		inspectDirectory: async (path: string): Promise<'git' | 'plain' | 'missing'> => {
			const info = await stat(path).catch(() => undefined);
			if (info === undefined || !info.isDirectory()) return 'missing';
			return (await stat(join(path, '.git')).catch(() => undefined)) === undefined
				? 'plain'
				: 'git';
		},
		now: io.now,
		cwd: io.cwd,
	};
}

function createReporter(io: CliIO, output: Output): LifecycleReporter & { done(): void } {
	const progress = createProgress(io, !output.json);
	let spinning = false;
	const done = () => {
		if (spinning) progress.stop();
		spinning = false;
	};
	return {
		progress(text) {
			spinning = true;
			progress.start(safe(text, { maxLength: 200 }));
		},
		info(text) {
			done();
			output.line(safe(text, { multiline: true }));
		},
		warn(text) {
			done();
			output.note(safe(text, { multiline: true }));
		},
		done,
	};
}

/** The dependencies of install, update and switch-ref, wired alike for every command. */
export function pluginWorkDeps(
	context: LifecycleContext,
	io: CliIO,
	allowInsecureTransport: boolean,
) {
	const git = gitFor(io, allowInsecureTransport);
	return {
		...lifecycleIO(io),
		hostApiVersions: context.profile.apiVersions,
		categories: context.profile.categories,
		snapshot: context.snapshot,
		git,
		changedFiles: git.changedFiles,
		store: context.store,
		files: context.files,
		prompter: context.prompter,
		reporter: context.reporter,
		home: context.home,
		caseInsensitivePathHosts: context.profile.caseInsensitivePathHosts,
	};
}

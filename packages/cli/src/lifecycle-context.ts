/**
 * Builds the lifecycle's dependencies for a CLI command: profile, registry snapshot, git,
 * store, plugin files, prompts and progress. One place, so every command wires them alike.
 */
import type { VouchError } from '@vouch/library/internal/core/errors';
import type { HostProfile } from '@vouch/library/internal/core/profile';
import {
	loadSnapshot as loadProfileSnapshot,
	registryNotices,
} from '@vouch/library/internal/embed/registry';
import {
	createLifecycleGit,
	type LifecycleGit,
	openLocalState,
	pluginFileIO,
	pluginWorkDeps as wirePluginWork,
} from '@vouch/library/internal/embed/wiring';
import type { LifecycleReporter, Prompter } from '@vouch/library/internal/lifecycle/prompter';
import {
	type RegistrySnapshot,
	unavailableSnapshot,
} from '@vouch/library/internal/lifecycle/snapshot';
import type { PluginFiles, PluginStore } from '@vouch/library/internal/lifecycle/store/index';
import type { CommonOptions } from './common-options.ts';
import { environmentOf, profileFor, registrySources } from './context.ts';
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
	const { store, files } = openLocalState(profile, io.now);
	const terminal = createTerminalPrompter(io);
	// The spinner must be gone before a question is printed.
	const prompter: Prompter = {
		interactive: terminal.interactive,
		confirm: (question) => {
			reporter.done();
			return terminal.confirm(question);
		},
	};
	return { profile, snapshot, store, files, prompter, reporter, home: environmentOf(io).home };
}

/** A registry that cannot be read is not fatal here: the lifecycle's D1 gate decides. */
async function loadSnapshot(
	options: CommonOptions,
	profile: HostProfile,
	io: CliIO,
	output: Output,
): Promise<RegistrySnapshot> {
	const load = await loadProfileSnapshot({
		profile,
		environment: environmentOf(io),
		sources: registrySources(options, profile),
		progress: createProgress(io, !output.json),
	});
	if (load.loaded !== undefined) {
		for (const notice of registryNotices(load.loaded, profile))
			output.note(`warning: ${safe(notice)}`);
	}
	if (load.error !== undefined) noteUnavailableRegistry(load.error, output);
	else if (load.problem !== undefined) output.note(`warning: ${safe(load.problem)}`);
	return load.snapshot;
}

/**
 * Short on purpose: one line saying why, one hint. The per-source detail (which can run to
 * several long URLs) is for --verbose, or for the error a command that needs a registry prints.
 */
function noteUnavailableRegistry(error: VouchError, output: Output): void {
	const failures = Array.isArray(error.details?.failures)
		? (error.details.failures as { source: string; message: string }[])
		: [];
	const last = failures.at(-1);
	const others = failures.length > 1 ? ` (${failures.length - 1} more source(s) failed too)` : '';
	const reason = last === undefined ? error.message : last.message;
	output.note(`warning: no registry could be loaded: ${safe(reason, { maxLength: 200 })}${others}`);
	if (error.hint !== undefined) output.note(`  hint: ${safe(error.hint, { maxLength: 300 })}`);
	for (const failure of failures.slice(0, -1)) {
		output.detail(`  also failed: ${safe(failure.message, { maxLength: 300 })}`);
	}
}

/**
 * Git for the lifecycle. Plain http to loopback needs no flag (`src/git` lets it through for
 * that one process, with redirects off); elsewhere it needs --allow-insecure-transport (D11).
 */
export function gitFor(io: CliIO, allowInsecureTransport: boolean): LifecycleGit {
	const git = createLifecycleGit(environmentOf(io), allowInsecureTransport);
	// --verbose: which address each network operation of git goes to.
	const trace = (what: string, url: string) => {
		if (io.verbosity === 'verbose')
			io.stderr.write(`git ${what} ${safe(url, { maxLength: 300 })}\n`);
	};
	return {
		...git,
		lsRemote: (url, options) => {
			trace('ls-remote', url);
			return git.lsRemote(url, options);
		},
		clone: (request) => {
			trace('clone', request.url);
			return git.clone(request);
		},
	};
}

export function lifecycleIO(io: CliIO) {
	return pluginFileIO(io);
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
			output.warn(safe(text, { multiline: true }));
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
	return wirePluginWork({
		profile: context.profile,
		environment: { now: io.now, cwd: io.cwd, home: context.home },
		snapshot: context.snapshot,
		state: { store: context.store, files: context.files },
		git: gitFor(io, allowInsecureTransport),
		prompter: context.prompter,
		reporter: context.reporter,
	});
}

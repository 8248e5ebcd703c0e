/**
 * The real dependencies of the lifecycle for one profile: git through `src/git`, the local
 * state (store and plugin directories), manifests, digests and the scanner. The CLI and
 * `createVouch` both build them here, so every caller installs and updates with the same
 * parts.
 */
import { realpath, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { HostProfile } from '../core/profile.ts';
import type { Git } from '../git/index.ts';
import type { FetchedScanOptions } from '../lifecycle/deps.ts';
import type { InstallDeps } from '../lifecycle/install.ts';
import type { GitPort } from '../lifecycle/ports.ts';
import type { LifecycleReporter, Prompter } from '../lifecycle/prompter.ts';
import type { RegistrySnapshot } from '../lifecycle/snapshot.ts';
import {
	createPluginFiles,
	digestTree,
	openStore,
	type PluginFiles,
	type PluginStore,
	type TreeFiles,
} from '../lifecycle/store/index.ts';
import type { readManifest } from '../manifest/index.ts';
import type { HostEnvironment } from './environment.ts';

/** Git as the lifecycle uses it: the port, and the working-copy check before a reinstall. */
export interface LifecycleGit extends GitPort {
	/** Paths with uncommitted changes in a git working copy, untracked files included. */
	changedFiles(dir: string): Promise<string[]>;
}

/**
 * Git for the lifecycle. Plain http to loopback needs no flag (`src/git` lets it through for
 * that one process, with redirects off); elsewhere it needs `allowInsecureTransport` (D11).
 */
export function createLifecycleGit(
	environment: Pick<HostEnvironment, 'env' | 'cwd'>,
	allowInsecureTransport: boolean,
): LifecycleGit {
	// Loaded on first use: a startup check, which a host runs at every start, never runs git.
	let loaded: Promise<Git> | undefined;
	const git = () => {
		loaded ??= import('../git/index.ts').then(({ createGit }) =>
			createGit({ env: environment.env, cwd: environment.cwd, allowInsecureTransport }),
		);
		return loaded;
	};
	return {
		lsRemote: async (url, options) => (await git()).lsRemote(url, options),
		clone: async ({ redirectGuard, ...request }) =>
			(await git()).clone(request, redirectGuard === undefined ? {} : { redirectGuard }),
		remoteUrl: async (dir) => (await git()).remoteUrl(dir),
		originFetchUrl: async (dir) => (await git()).originFetchUrl(dir),
		repositoryDir: async (dir) => (await git()).repositoryDir(dir),
		verifyTag: async (request) => (await git()).verifyTag(request),
		changedFiles: async (dir) => (await git()).changedFiles(dir),
	};
}

/** Where installed plugins are recorded and kept, for one profile. */
export interface LocalState {
	store: PluginStore;
	files: PluginFiles;
}

/** Opens a profile's store and plugin directories (nothing is read until used). */
export function openLocalState(
	profile: Pick<HostProfile, 'dataDir' | 'pluginsDir'>,
	now: () => Date,
): LocalState {
	return {
		store: openStore({ dataDir: profile.dataDir, now }),
		files: createPluginFiles({ pluginsDir: profile.pluginsDir, dataDir: profile.dataDir, now }),
	};
}

/** Where a plugin's settings and data live (`<dir>/<uuid>`), removed by a purge. */
export function pluginDataDirs(profile: Pick<HostProfile, 'configDir' | 'dataDir'>): string[] {
	return [join(profile.configDir, 'plugins'), join(profile.dataDir, 'plugin-data')];
}

/** Reading what was fetched: manifest, tree digest, static analysis, what a path is. */
export function pluginFileIO(
	environment: Pick<HostEnvironment, 'now' | 'cwd'>,
): Pick<
	InstallDeps,
	| 'readManifest'
	| 'digest'
	| 'scan'
	| 'prepareScan'
	| 'inspectDirectory'
	| 'realPath'
	| 'now'
	| 'cwd'
> {
	return {
		// Loaded on first use, like the scanner below: only installs and updates read manifests.
		readManifest: async (...args: Parameters<typeof readManifest>) =>
			(await import('../manifest/index.ts')).readManifest(...args),
		// One read of each file serves the digest and the scanner (`files`), so the code judged
		// is the code digested and pinned.
		digest: (dir: string, files?: TreeFiles) => digestTree(dir, undefined, files),
		// Loaded on first use: callers that never scan start without tree-sitter.
		scan: async (dir: string, options?: FetchedScanOptions) =>
			(await import('../scan/index.ts')).scanPlugin(dir, options),
		// Plugins are Python first: its rules are compiled while git downloads.
		prepareScan: () => {
			import('../scan/index.ts')
				.then((scanner) => scanner.prepareScanEngine(['python']))
				.catch(() => undefined);
		},
		inspectDirectory: async (path: string): Promise<'git' | 'plain' | 'missing'> => {
			const info = await stat(path).catch(() => undefined);
			if (info === undefined || !info.isDirectory()) return 'missing';
			return (await stat(join(path, '.git')).catch(() => undefined)) === undefined
				? 'plain'
				: 'git';
		},
		realPath: (path: string) => realpath(path).catch(() => path),
		now: environment.now,
		cwd: environment.cwd,
	};
}

/** What `pluginWorkDeps` wires together. */
export interface PluginWorkParts {
	profile: HostProfile;
	environment: Pick<HostEnvironment, 'now' | 'cwd' | 'home'>;
	snapshot: RegistrySnapshot;
	state: LocalState;
	git: LifecycleGit;
	prompter: Prompter;
	reporter: LifecycleReporter;
}

/** The dependencies of install, update and switch-ref, wired alike for every caller. */
export function pluginWorkDeps(parts: PluginWorkParts): InstallDeps {
	return {
		...pluginFileIO(parts.environment),
		hostApiVersions: parts.profile.apiVersions,
		categories: parts.profile.categories,
		snapshot: parts.snapshot,
		git: parts.git,
		changedFiles: parts.git.changedFiles,
		store: parts.state.store,
		files: parts.state.files,
		prompter: parts.prompter,
		reporter: parts.reporter,
		home: parts.environment.home,
		caseInsensitivePathHosts: parts.profile.caseInsensitivePathHosts,
	};
}

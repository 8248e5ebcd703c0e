/**
 * The entry point a host calls before loading plugins: `runStartupCheck({ profile })` reads
 * the registry (cache first, D23), applies the blacklist, the staleness policy (D1) and the
 * integrity re-check, and returns what may load. Everything it needs has a default, and every
 * default can be replaced, for hosts with their own fetch, clock or verifier.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isVouchError } from '../core/errors.ts';
import type { HostProfile } from '../core/profile.ts';
import {
	createUnsignedVerifier,
	loadRegistryFromSources,
	type RegistryVerifier,
	type SignedRegistryReader,
} from '../registry/sources/index.ts';
import { tufClientForProfile } from '../tuf/client/for-profile.ts';
import { type RegistrySnapshot, snapshotOf, unavailableSnapshot } from './snapshot.ts';
import { checkInstalledPlugins, type StartupDeps, type StartupReport } from './startup-check.ts';
import { createPluginFiles, digestTree, openStore, type PluginFiles } from './store/index.ts';

export interface HostStartupOptions {
	profile: HostProfile;
	fetch?: typeof fetch;
	now?: () => Date;
	cwd?: string;
	home?: string;
	/** Default: accept unsigned registries only where the profile allows them. */
	verifier?: RegistryVerifier;
	/** Default: a TUF client when the profile has a trusted root (D19). */
	signed?: SignedRegistryReader;
	/** Registry locations; default the profile's. */
	sources?: readonly string[];
}

export async function runStartupCheck(options: HostStartupOptions): Promise<StartupReport> {
	const now = options.now ?? (() => new Date());
	const cwd = options.cwd ?? process.cwd();
	const snapshot = await loadSnapshot(options, now, cwd);
	const files = createPluginFiles({
		pluginsDir: options.profile.pluginsDir,
		dataDir: options.profile.dataDir,
		now,
	});
	return checkInstalledPlugins({
		store: openStore({ dataDir: options.profile.dataDir, now }),
		snapshot,
		hostApiVersions: options.profile.apiVersions,
		files: startupFiles(files),
		now,
	});
}

/** The file operations the startup check needs, on the real file system. */
export function startupFiles(files: PluginFiles): StartupDeps['files'] {
	return {
		pathOf: (plugin) => files.pathOf(plugin),
		exists: async (path) => (await stat(path).catch(() => undefined)) !== undefined,
		digest: (dir) => digestTree(dir),
		quarantine: (state, tx, plugin) => files.quarantine(state, tx, plugin),
	};
}

function signedReader(
	options: HostStartupOptions,
	now: () => Date,
): { signed?: SignedRegistryReader } {
	const client =
		options.signed ??
		tufClientForProfile(options.profile, {
			now,
			...(options.fetch === undefined ? {} : { fetch: options.fetch }),
		});
	return client === undefined ? {} : { signed: client };
}

/** No registry is not an error at startup: the report then holds untrusted plugins back (D1). */
async function loadSnapshot(
	options: HostStartupOptions,
	now: () => Date,
	cwd: string,
): Promise<RegistrySnapshot> {
	try {
		const loaded = await loadRegistryFromSources({
			sources: options.sources ?? options.profile.registryUrls,
			profile: options.profile,
			verifier: options.verifier ?? createUnsignedVerifier(options.profile),
			...signedReader(options, now),
			fetch: options.fetch ?? globalThis.fetch,
			now,
			cwd,
			home: options.home ?? homedir(),
			caseInsensitivePathHosts: options.profile.caseInsensitivePathHosts,
		});
		return snapshotOf(loaded, {
			cwd,
			home: options.home ?? homedir(),
			caseInsensitivePathHosts: options.profile.caseInsensitivePathHosts,
		});
	} catch (error) {
		if (!isVouchError(error)) throw error;
		return unavailableSnapshot(error.message);
	}
}

/**
 * The entry point a host calls before loading plugins: `runStartupCheck({ profile })` reads
 * the registry (cache first, D23), applies the blacklist, the staleness policy (D1) and the
 * integrity re-check, and returns what may load. Everything it needs has a default, and every
 * default can be replaced, for hosts with their own fetch, clock or verifier.
 */
import type { VouchError } from '../core/errors.ts';
import type { HostProfile } from '../core/profile.ts';
import { startupFiles } from '../lifecycle/host.ts';
import { checkInstalledPlugins, type StartupReport } from '../lifecycle/startup-check.ts';
import type {
	RegistryLoadMode,
	RegistryVerifier,
	SignedRegistryReader,
} from '../registry/sources/index.ts';
import { hostEnvironment } from './environment.ts';
import { loadSnapshot } from './registry.ts';
import { openLocalState } from './wiring.ts';

/** What `runStartupCheck` needs: a profile; everything else has a default. */
export interface HostStartupOptions {
	profile: HostProfile;
	/** Registry requests. Default: the global `fetch`. */
	fetch?: typeof fetch;
	/** The clock. Default: the system clock. */
	now?: () => Date;
	/** Base for relative paths. Default: `process.cwd()`. */
	cwd?: string;
	/** Expansion of `~`. Default: `HOME`, else the user's home directory. */
	home?: string;
	/** Default: accept unsigned registries only where the profile allows them. */
	verifier?: RegistryVerifier;
	/** Default: a TUF client when the profile has a trusted root (D19). */
	signed?: SignedRegistryReader;
	/** Registry locations; default the profile's. */
	sources?: readonly string[];
}

/**
 * What may load now, for a host about to load its plugins. No registry is not an error at
 * startup: the report then holds untrusted plugins back (D1).
 */
export async function runStartupCheck(options: HostStartupOptions): Promise<StartupReport> {
	return (await runStartupRound(options, 'auto')).report;
}

/** One round and, when a forced refresh failed, why (the round then used the last good state). */
export interface StartupRound {
	report: StartupReport;
	refreshError?: VouchError;
}

/**
 * A startup check after reading the registry in `mode`. `refresh` goes to the network first
 * (the watch asks for it when the registry changed); if that fails, the round falls back to
 * the cache, the last verified state, rather than to no registry at all: a failed refresh must
 * never hold back plugins that a good blacklist allowed a moment ago.
 */
export async function runStartupRound(
	options: HostStartupOptions,
	mode: RegistryLoadMode,
): Promise<StartupRound> {
	const { profile } = options;
	const environment = hostEnvironment({
		...(options.fetch === undefined ? {} : { fetch: options.fetch }),
		...(options.now === undefined ? {} : { now: options.now }),
		...(options.cwd === undefined ? {} : { cwd: options.cwd }),
		...(options.home === undefined ? {} : { home: options.home }),
	});
	const request = {
		profile,
		environment,
		...(options.sources === undefined ? {} : { sources: options.sources }),
		...(options.verifier === undefined ? {} : { verifier: options.verifier }),
		...(options.signed === undefined ? {} : { signed: options.signed }),
	};
	let loaded = await loadSnapshot({ ...request, mode });
	let refreshError: VouchError | undefined;
	if (mode === 'refresh' && loaded.error !== undefined) {
		refreshError = loaded.error;
		loaded = await loadSnapshot({ ...request, mode: 'auto' });
	}
	const { store, files } = openLocalState(profile, environment.now);
	const report = await checkInstalledPlugins({
		store,
		snapshot: loaded.snapshot,
		hostApiVersions: profile.apiVersions,
		files: startupFiles(files),
		now: environment.now,
	});
	return { report, ...(refreshError === undefined ? {} : { refreshError }) };
}

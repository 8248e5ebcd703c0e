/**
 * The entry point a host calls before loading plugins: `runStartupCheck({ profile })` reads
 * the registry (cache first, D23), applies the blacklist, the staleness policy (D1) and the
 * integrity re-check, and returns what may load. Everything it needs has a default, and every
 * default can be replaced, for hosts with their own fetch, clock or verifier.
 */
import type { HostProfile } from '../core/profile.ts';
import { startupFiles } from '../lifecycle/host.ts';
import { checkInstalledPlugins, type StartupReport } from '../lifecycle/startup-check.ts';
import type { RegistryVerifier, SignedRegistryReader } from '../registry/sources/index.ts';
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
	const { profile } = options;
	const environment = hostEnvironment({
		...(options.fetch === undefined ? {} : { fetch: options.fetch }),
		...(options.now === undefined ? {} : { now: options.now }),
		...(options.cwd === undefined ? {} : { cwd: options.cwd }),
		...(options.home === undefined ? {} : { home: options.home }),
	});
	const { snapshot } = await loadSnapshot({
		profile,
		environment,
		...(options.sources === undefined ? {} : { sources: options.sources }),
		...(options.verifier === undefined ? {} : { verifier: options.verifier }),
		...(options.signed === undefined ? {} : { signed: options.signed }),
	});
	const { store, files } = openLocalState(profile, environment.now);
	return checkInstalledPlugins({
		store,
		snapshot,
		hostApiVersions: profile.apiVersions,
		files: startupFiles(files),
		now: environment.now,
	});
}

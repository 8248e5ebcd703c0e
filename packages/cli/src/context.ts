/**
 * Turns the common options into what a command works on: the host profile and, for
 * commands that need one, the loaded registry with its index.
 */
import type { CanonicalUrlContext } from '@vouch/library/internal/core/canonical-url';
import type { HostProfile } from '@vouch/library/internal/core/profile';
// The embed modules one by one, not its index: that would load createVouch and everything
// behind it at the start of every command.
import { hostEnvironment, urlContextOf } from '@vouch/library/internal/embed/environment';
import {
	type LoadedRegistry as LibraryLoadedRegistry,
	loadProfileRegistry,
	registryNotices,
} from '@vouch/library/internal/embed/registry';
import type {
	RegistryLoadMode,
	RegistryLoadResult,
} from '@vouch/library/internal/registry/sources/index';
import type { CommonOptions } from './common-options.ts';
import type { CliIO } from './io.ts';
import type { RegistryStatusJson } from './json/common.ts';
import type { Output } from './output.ts';
import { createProgress } from './progress.ts';
import { resolveSettings } from './settings.ts';
import { safe } from './style.ts';

export type LoadedRegistry = LibraryLoadedRegistry;

/** The library's view of the outside world, taken from the command's IO. */
export function environmentOf(io: CliIO) {
	return hostEnvironment({ env: io.env, cwd: io.cwd, fetch: io.fetch, now: io.now });
}

/** How this command makes URLs canonical (D2): cwd, home and the profile's host list. */
export function urlContextFor(
	profile: Pick<HostProfile, 'caseInsensitivePathHosts'>,
	io: CliIO,
): Required<CanonicalUrlContext> {
	return urlContextOf(profile, environmentOf(io));
}

/**
 * The profile a command works for: flag, VOUCH_PROFILE, stored setting, `picard`. A stored
 * registry setting (without --registry or VOUCH_REGISTRY_URL) becomes its only source.
 */
export function profileFor(options: CommonOptions, io: CliIO): HostProfile {
	return resolveSettings(options, io).profile;
}

/**
 * Sources in order: `--registry`, else the profile's list (VOUCH_REGISTRY_URL first, or the
 * stored `registry` setting alone).
 */
export function registrySources(options: CommonOptions, profile: HostProfile): string[] {
	return options.registry === undefined ? [...profile.registryUrls] : [options.registry];
}

/**
 * Loads the registry through the profile's sources and cache. Read commands use `auto`: a
 * cached copy younger than the refresh interval, else a revalidation, else (offline) the
 * cached copy with a notice. `vouch refresh` uses `refresh`: the network or nothing.
 */
export async function loadRegistry(
	options: CommonOptions,
	profile: HostProfile,
	io: CliIO,
	output: Output,
	mode: RegistryLoadMode = 'auto',
): Promise<LoadedRegistry> {
	const sources = registrySources(options, profile);
	// Only with --verbose: working out the origin reads the settings files again.
	if (io.verbosity === 'verbose') {
		output.detail(
			`registry sources (${sourceOrigin(options, io)}): ${sources.map((s) => safe(s)).join(', ')}`,
		);
	}
	const loaded = await loadProfileRegistry({
		profile,
		environment: environmentOf(io),
		sources,
		mode,
		progress: createProgress(io, !output.json),
	});
	output.detail(
		`registry: ${safe(loaded.source)} (${howRead(loaded)}, ${registryTrustLabel(loaded)})`,
	);
	for (const notice of registryNotices(loaded, profile)) output.note(`warning: ${safe(notice)}`);
	return loaded;
}

/** How the registry of this run was read, for --verbose. */
function howRead(loaded: LoadedRegistry): string {
	if (loaded.local) return 'local file';
	if (!loaded.fromCache) return 'fetched';
	return loaded.notModified ? 'cached copy, confirmed by the server (304)' : 'cached copy';
}

/** Where the registry sources came from, for --verbose. */
function sourceOrigin(options: CommonOptions, io: CliIO): string {
	if (options.registry !== undefined) return '--registry';
	return resolveSettings(options, io).settings.registry.source === 'config'
		? 'stored setting, `vouch config get registry`'
		: io.env.VOUCH_REGISTRY_URL?.trim()
			? 'VOUCH_REGISTRY_URL, then the profile'
			: 'the profile';
}

/** The `registry` object of a command's `--json` result. */
export function registryJson(loaded: LoadedRegistry): RegistryStatusJson {
	return {
		source: loaded.source,
		signed: loaded.signed,
		fromCache: loaded.fromCache,
		offline: loaded.offline,
		fetchedAt: loaded.fetchedAt.toISOString(),
		blacklistFreshness: loaded.freshness.state,
	};
}

/** How the registry is described to people: always says "unsigned" when it is (D19). */
export function registryTrustLabel(loaded: Pick<RegistryLoadResult, 'signed'>): string {
	return loaded.signed ? 'signed' : 'unsigned';
}

/** Prints the registry's own load warnings (skipped plugins, unknown trust levels). */
export function printRegistryWarnings(loaded: LoadedRegistry, output: Output): void {
	for (const warning of loaded.registry.warnings) output.note(`warning: ${warning.message}`);
}

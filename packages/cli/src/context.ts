/**
 * Turns the common options into what a command works on: the host profile and, for
 * commands that need one, the loaded registry with its index.
 */
import { homedir } from 'node:os';
import type { CanonicalUrlContext } from '@vouch/library/internal/core/canonical-url';
import type { HostProfile } from '@vouch/library/internal/core/profile';
import { buildRegistryIndex, type RegistryIndex } from '@vouch/library/internal/registry/index';
import {
	createUnsignedVerifier,
	loadRegistryFromSources,
	type RegistryLoadMode,
	type RegistryLoadResult,
	type SignedRegistryReader,
} from '@vouch/library/internal/registry/sources/index';
import { tufClientForProfile } from '@vouch/library/internal/tuf/client/for-profile';
import type { CommonOptions } from './common-options.ts';
import type { CliIO } from './io.ts';
import type { Output } from './output.ts';
import { createProgress } from './progress.ts';
import { resolveSettings } from './settings.ts';
import { safe } from './style.ts';

export interface LoadedRegistry extends RegistryLoadResult {
	index: RegistryIndex;
}

/** How this command makes URLs canonical (D2): cwd, home and the profile's host list. */
export function urlContextFor(
	profile: Pick<HostProfile, 'caseInsensitivePathHosts'>,
	io: CliIO,
): Required<CanonicalUrlContext> {
	return {
		cwd: io.cwd,
		home: io.env.HOME ?? homedir(),
		caseInsensitivePathHosts: profile.caseInsensitivePathHosts,
	};
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
	output.detail(
		`registry sources (${sourceOrigin(options, io)}): ${sources.map((s) => safe(s)).join(', ')}`,
	);
	const loaded = await loadRegistryFromSources({
		sources,
		profile,
		verifier: createUnsignedVerifier(profile),
		...signedReader(profile, io),
		fetch: io.fetch,
		now: io.now,
		...urlContextFor(profile, io),
		mode,
		progress: createProgress(io, !output.json),
	});
	output.detail(
		`registry: ${safe(loaded.source)} (${loaded.local ? 'local file' : loaded.fromCache ? (loaded.notModified ? 'cached copy, confirmed by the server (304)' : 'cached copy') : 'fetched'}, ${registryTrustLabel(loaded)})`,
	);
	for (const failure of loaded.failures) {
		const message = failure.message.includes(failure.source)
			? failure.message
			: `${failure.source}: ${failure.message}`;
		output.note(`warning: ${safe(message)}`);
	}
	for (const warning of loaded.warnings) output.note(`warning: ${safe(warning)}`);
	if (loaded.offline) {
		output.note(
			`warning: offline: using the ${loaded.signed ? 'last verified' : 'cached'} registry from ${safe(loaded.source)}, last fetched ${loaded.fetchedAt.toISOString()}, because no source could be refreshed (see above).`,
		);
	}
	const stale = freshnessWarning(loaded, profile);
	if (stale !== undefined) output.note(`warning: ${stale}`);
	return { ...loaded, index: buildRegistryIndex(loaded.registry, urlContextFor(profile, io)) };
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

/** Profiles with a trusted root read their sources as TUF repositories (D19). */
function signedReader(profile: HostProfile, io: CliIO): { signed?: SignedRegistryReader } {
	const client = tufClientForProfile(profile, { fetch: io.fetch, now: io.now });
	return client === undefined ? {} : { signed: client };
}

/** D1 at read time: only a notice; commands that install or load plugins enforce it. */
function freshnessWarning(loaded: RegistryLoadResult, profile: HostProfile): string | undefined {
	const { state, ageDays } = loaded.freshness;
	if (state === 'fresh') return undefined;
	const age = ageDays === undefined ? '' : ` (last fetched ${Math.floor(ageDays)} day(s) ago)`;
	const what = loaded.signed ? 'signed blacklist' : 'unsigned blacklist';
	const status =
		state === 'stale'
			? 'has expired'
			: `is older than the profile allows (max_staleness_days = ${profile.maxStalenessDays})`;
	return `the ${what}${age} ${status}. Run \`vouch refresh\`.`;
}

/** The `registry` object of a command's `--json` result. */
export function registryJson(loaded: LoadedRegistry): Record<string, unknown> {
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

/**
 * Reading a profile's registry: its sources in order (or the ones the caller names), the cache,
 * the unsigned verifier where the profile allows it, and a TUF client where the profile has a
 * trusted root (D19). The CLI and hosts both come through here, so a profile reads its registry
 * the same way whoever asks.
 */
import { isVouchError, type VouchError } from '../core/errors.ts';
import type { HostProfile } from '../core/profile.ts';
import { type RegistrySnapshot, snapshotOf, unavailableSnapshot } from '../lifecycle/snapshot.ts';
import { buildRegistryIndex, type RegistryIndex } from '../registry/index.ts';
import {
	createUnsignedVerifier,
	type LoadProgress,
	loadRegistryFromSources,
	type RegistryLoadMode,
	type RegistryLoadResult,
	type RegistryVerifier,
	type SignedRegistryReader,
} from '../registry/sources/index.ts';
import { type ProfileTufClient, tufClientForProfile } from '../tuf/client/for-profile.ts';
import { type HostEnvironment, urlContextOf } from './environment.ts';

/** A loaded registry with its lookup index. */
export interface LoadedRegistry extends RegistryLoadResult {
	index: RegistryIndex;
}

/** Which registry to read, for which profile, and how. */
export interface ProfileRegistryRequest {
	profile: HostProfile;
	environment: HostEnvironment;
	/** Registry locations in order; default the profile's (`VOUCH_REGISTRY_URL` first). */
	sources?: readonly string[];
	/** `auto` (default): cache first, revalidated once older than the refresh interval. `refresh`: the network or nothing. */
	mode?: RegistryLoadMode;
	progress?: LoadProgress;
	/** Default: accept unsigned registries only where the profile allows them. */
	verifier?: RegistryVerifier;
	/** Default: a TUF client when the profile has a trusted root (D19). */
	signed?: SignedRegistryReader;
}

/** Reads a profile's registry; throws a typed error when no source (nor the cache) gives one. */
export async function loadProfileRegistry(
	request: ProfileRegistryRequest,
): Promise<LoadedRegistry> {
	const { profile, environment } = request;
	const signed = request.signed ?? signedReaderFor(profile, environment);
	const urlContext = urlContextOf(profile, environment);
	const loaded = await loadRegistryFromSources({
		sources: request.sources ?? profile.registryUrls,
		profile,
		verifier: request.verifier ?? createUnsignedVerifier(profile),
		...(signed === undefined ? {} : { signed }),
		fetch: environment.fetch,
		now: environment.now,
		...urlContext,
		mode: request.mode ?? 'auto',
		...(request.progress === undefined ? {} : { progress: request.progress }),
	});
	return { ...loaded, index: buildRegistryIndex(loaded.registry, urlContext) };
}

/** The TUF client of a profile with a trusted root; undefined for an unsigned profile. */
export function signedReaderFor(
	profile: HostProfile,
	environment: Pick<HostEnvironment, 'fetch' | 'now'>,
): SignedRegistryReader | undefined {
	return tufClientForProfile(profile, { fetch: environment.fetch, now: environment.now });
}

/**
 * What a person should be told about a load, unsanitised (sources failed, offline fallback,
 * an old blacklist). Only a notice: the operations that install or load plugins enforce D1.
 */
export function registryNotices(loaded: RegistryLoadResult, profile: HostProfile): string[] {
	const notices: string[] = [];
	for (const failure of loaded.failures) {
		notices.push(
			failure.message.includes(failure.source)
				? failure.message
				: `${failure.source}: ${failure.message}`,
		);
	}
	notices.push(...loaded.warnings);
	if (loaded.offline) {
		notices.push(
			`offline: using the ${loaded.signed ? 'last verified' : 'cached'} registry from ${loaded.source}, last fetched ${loaded.fetchedAt.toISOString()}, because no source could be refreshed (see above).`,
		);
	}
	const stale = freshnessNotice(loaded, profile);
	if (stale !== undefined) notices.push(stale);
	return notices;
}

function freshnessNotice(loaded: RegistryLoadResult, profile: HostProfile): string | undefined {
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

/** The lifecycle's view of a load; a failed load is not fatal here, the D1 gate decides. */
export interface SnapshotLoad {
	snapshot: RegistrySnapshot;
	/** Undefined when no registry could be read. */
	loaded?: LoadedRegistry;
	/** Why no registry could be read (unsanitised), when it could not. */
	problem?: string;
	/** The typed error behind `problem`: its hint and the failure of each source. */
	error?: VouchError;
}

/** Reads a profile's registry for the lifecycle; an unreadable registry gives an unavailable snapshot. */
export async function loadSnapshot(request: ProfileRegistryRequest): Promise<SnapshotLoad> {
	try {
		const loaded = await loadProfileRegistry(request);
		const snapshot = snapshotOf(loaded, urlContextOf(request.profile, request.environment));
		// A signed registry may publish scan reports beside itself: read through the same client.
		const reader = loaded.signed
			? (request.signed ?? signedReaderFor(request.profile, request.environment))
			: undefined;
		// A host's own reader may not read reports; then the consent screen goes without.
		if (reader !== undefined && 'scanSummary' in reader) {
			const client = reader as ProfileTufClient;
			snapshot.registryScan = (id, commit) => client.scanSummary(id, commit, loaded.source);
		}
		return { snapshot, loaded };
	} catch (error) {
		if (!isVouchError(error)) throw error;
		return { snapshot: unavailableSnapshot(error.message), problem: error.message, error };
	}
}

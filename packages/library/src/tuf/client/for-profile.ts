/**
 * The TUF client a host profile asks for: one with a `trusted_root` reads every registry
 * source as a signed repository (D19). Its verified state lives in the profile's cache
 * directory, apart from the unsigned registry cache, so neither can be mistaken for the other.
 */
import { join } from 'node:path';
import type { HostProfile } from '../../core/profile.ts';
import type { TufVerifier } from './verifier.ts';

export interface ProfileTufOptions {
	fetch?: typeof fetch;
	now?: () => Date;
	timeoutMs?: number;
}

export function tufStateDirs(profile: Pick<HostProfile, 'cacheDir'>): {
	metadataDir: string;
	targetsDir: string;
} {
	return {
		metadataDir: join(profile.cacheDir, 'tuf', 'metadata'),
		targetsDir: join(profile.cacheDir, 'tuf', 'targets'),
	};
}

/** What hosts and the CLI use of the TUF client for a profile. */
export type ProfileTufClient = Pick<
	TufVerifier,
	'refresh' | 'loadCached' | 'resetCache' | 'scanSummary'
>;

/**
 * Undefined for a profile without a trusted root: its registries are unsigned. The client
 * (tuf-js and its models) is loaded on first use, so commands that never read a signed
 * registry start without it.
 */
export function tufClientForProfile(
	profile: Pick<HostProfile, 'trustedRoot' | 'cacheDir'>,
	options: ProfileTufOptions = {},
): ProfileTufClient | undefined {
	const trustedRootPath = profile.trustedRoot;
	if (trustedRootPath === undefined) return undefined;
	let client: Promise<TufVerifier> | undefined;
	const load = () => {
		client ??= import('./verifier.ts').then(({ createTufVerifier }) =>
			createTufVerifier({
				trustedRootPath,
				...tufStateDirs(profile),
				...(options.fetch === undefined ? {} : { fetch: options.fetch }),
				...(options.now === undefined ? {} : { now: options.now }),
				...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
			}),
		);
		return client;
	};
	return {
		refresh: async (location) => (await load()).refresh(location),
		loadCached: async () => (await load()).loadCached(),
		resetCache: async () => (await load()).resetCache(),
		scanSummary: async (id, commit, location) => (await load()).scanSummary(id, commit, location),
	};
}

/**
 * The TUF client a host profile asks for: one with a `trusted_root` reads every registry
 * source as a signed repository (D19). Its verified state lives in the profile's cache
 * directory, apart from the unsigned registry cache, so neither can be mistaken for the other.
 */
import { join } from 'node:path';
import type { HostProfile } from '../../core/profile.ts';
import { createTufVerifier, type TufVerifier } from './verifier.ts';

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

/** Undefined for a profile without a trusted root: its registries are unsigned. */
export function tufClientForProfile(
	profile: Pick<HostProfile, 'trustedRoot' | 'cacheDir'>,
	options: ProfileTufOptions = {},
): TufVerifier | undefined {
	if (profile.trustedRoot === undefined) return undefined;
	return createTufVerifier({
		trustedRootPath: profile.trustedRoot,
		...tufStateDirs(profile),
		...(options.fetch === undefined ? {} : { fetch: options.fetch }),
		...(options.now === undefined ? {} : { now: options.now }),
		...(options.timeoutMs === undefined ? {} : { timeoutMs: options.timeoutMs }),
	});
}

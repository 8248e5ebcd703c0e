/**
 * What a verification yields: the registry and blacklist bytes, checked against verified
 * targets metadata, with the versions and the expiry that drive the D1 staleness policy.
 * Also the offline read of the same from the local cache, verified again (D25).
 */
import { tufError } from '../errors.ts';
import { BLACKLIST_TARGET, expiryTime, REGISTRY_TARGET, type RoleName } from '../metadata.ts';
import { readTarget, requireTarget } from './target-files.ts';
import { loadTrustedState, type ShippedRoot, type TrustedState } from './trusted-state.ts';

export interface VerifiedTargets {
	registry: Buffer;
	blacklist: Buffer;
	versions: Record<RoleName, number>;
	/**
	 * Until when the metadata vouches for these bytes: the timestamp's expiry, or an earlier
	 * one if another role expires first (a blacklist is as fresh as its weakest signature).
	 */
	expiresAt: Date;
	/** Read from the local cache without contacting the repository. */
	offline: boolean;
}

export function verifiedTargetsOf(
	state: TrustedState,
	registry: Buffer,
	blacklist: Buffer,
	offline: boolean,
): VerifiedTargets {
	const top = requireTop(state);
	const signed = [
		state.root.metadata.signed,
		top.timestamp.metadata.signed,
		top.snapshot.metadata.signed,
		top.targets.metadata.signed,
	];
	// An expiry not in TUF's form gives an invalid date, which the D1 policy reads as missing.
	const expiresAt = new Date(
		Math.min(...signed.map((role) => expiryTime(role.expires) ?? Number.NaN)),
	);
	return {
		registry,
		blacklist,
		versions: {
			root: state.root.metadata.signed.version,
			timestamp: top.timestamp.metadata.signed.version,
			snapshot: top.snapshot.metadata.signed.version,
			targets: top.targets.metadata.signed.version,
		},
		expiresAt,
		offline,
	};
}

export interface CachedTargetsOptions {
	shipped: ShippedRoot;
	metadataDir: string;
	targetsDir: string;
}

/**
 * The last verified registry and blacklist, without the network. Expired metadata is still
 * returned, with its past `expiresAt`: the D1 policy decides what a stale blacklist allows.
 */
export async function readCachedTargets(options: CachedTargetsOptions): Promise<VerifiedTargets> {
	const state = await loadTrustedState(options.metadataDir, options.shipped);
	const top = requireTop(state);
	const targets = top.targets.metadata;
	const read = async (name: string) => {
		const info = requireTarget(targets, name);
		const result = await readTarget(options.targetsDir, info);
		if (result.state === 'missing') throw noCache(`${name} is not in the local cache`);
		if (result.state === 'mismatch') {
			throw tufError(
				'TUF_CACHE_TAMPERED',
				`The cached ${name} does not match its verified metadata.`,
				{
					hint: 'Something changed the cache. If you trust this machine, reset the TUF cache and refresh again.',
				},
			);
		}
		return result.bytes;
	};
	return verifiedTargetsOf(state, await read(REGISTRY_TARGET), await read(BLACKLIST_TARGET), true);
}

function requireTop(state: TrustedState): NonNullable<TrustedState['top']> {
	if (state.top === undefined) throw noCache('no refresh has succeeded yet');
	return state.top;
}

function noCache(problem: string) {
	return tufError('TUF_NO_CACHE', `No verified registry is cached: ${problem}.`, {
		hint: 'Run `vouch refresh` while the registry can be reached.',
	});
}

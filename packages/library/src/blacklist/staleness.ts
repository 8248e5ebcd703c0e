/**
 * How far to trust the blacklist we hold (D1). Pure: the caller supplies the clock and what it
 * knows about the last verified copy.
 *
 * - signed source: fresh while its verified timestamp is unexpired; after that it is stale,
 *   and expired once it is older than `maxStalenessDays`;
 * - unsigned source (only where the profile allows it): fresh for `maxStalenessDays` after
 *   the last successful fetch, expired after;
 * - never fetched or verified: missing.
 *
 * Expired and missing both mean startup must not load community or unregistered plugins: a
 * blacklist we cannot vouch for is never treated as an empty one.
 */

export type BlacklistFreshnessState = 'fresh' | 'stale' | 'expired' | 'missing';

export interface BlacklistFreshnessInput {
	signed: boolean;
	/** Signed sources: when the verified metadata stops being valid. */
	verifiedExpiresAt?: Date;
	/** When the blacklist was last fetched (and, if signed, verified) successfully. */
	lastFetchedAt?: Date;
	now: Date;
	maxStalenessDays: number;
}

export interface BlacklistFreshness {
	state: BlacklistFreshnessState;
	/** Days since the last successful fetch (signed and past expiry: since the expiry when that is unknown). */
	ageDays?: number;
	blockUntrustedPlugins: boolean;
}

const DAY_MS = 24 * 60 * 60 * 1000;

export function assessBlacklistFreshness(input: BlacklistFreshnessInput): BlacklistFreshness {
	const now = timeOf(input.now);
	// No clock means no way to prove freshness: fail safe.
	if (now === undefined) return missing();
	// A nonsensical bound falls back to the strictest one.
	const maxDays =
		Number.isFinite(input.maxStalenessDays) && input.maxStalenessDays > 0
			? input.maxStalenessDays
			: 0;
	const fetched = timeOf(input.lastFetchedAt);
	const ageSinceFetch = fetched === undefined ? undefined : ageInDays(now, fetched);

	if (input.signed) {
		const expires = timeOf(input.verifiedExpiresAt);
		if (expires === undefined) return missing();
		if (now < expires) return result('fresh', ageSinceFetch);
		const age = ageSinceFetch ?? ageInDays(now, expires);
		return result(age > maxDays ? 'expired' : 'stale', age);
	}
	if (ageSinceFetch === undefined) return missing();
	return result(ageSinceFetch > maxDays ? 'expired' : 'fresh', ageSinceFetch);
}

function result(
	state: 'fresh' | 'stale' | 'expired',
	ageDays: number | undefined,
): BlacklistFreshness {
	return {
		state,
		...(ageDays === undefined ? {} : { ageDays }),
		blockUntrustedPlugins: state === 'expired',
	};
}

function missing(): BlacklistFreshness {
	return { state: 'missing', blockUntrustedPlugins: true };
}

/** Milliseconds since the epoch, or undefined for a missing or invalid date. */
function timeOf(date: Date | undefined): number | undefined {
	if (!(date instanceof Date)) return undefined;
	const time = date.getTime();
	return Number.isNaN(time) ? undefined : time;
}

/** A fetch time in the future (a clock set back) counts as just now, not as negative age. */
function ageInDays(now: number, then: number): number {
	return Math.max(0, now - then) / DAY_MS;
}

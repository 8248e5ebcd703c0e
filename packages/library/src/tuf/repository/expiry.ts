/**
 * How long each role's metadata stays valid. The timestamp is short so a frozen mirror is
 * noticed within a day and a fresh blacklist can ship at any time (D19); root is long
 * because re-signing it needs several offline key holders.
 */
import { tufError } from '../errors.ts';
import { expiryText, type RoleName } from '../metadata.ts';

/** Days, per role; fractions allowed (0.5 is twelve hours). */
export type TufExpiries = Partial<Record<RoleName, number>>;

export const DEFAULT_EXPIRY_DAYS: Readonly<Record<RoleName, number>> = {
	timestamp: 1,
	snapshot: 7,
	targets: 30,
	root: 365,
};

/** Ten years: anything longer is a typo, and would disarm freeze protection. */
const MAX_EXPIRY_DAYS = 3650;
const DAY_MS = 24 * 60 * 60 * 1000;

export function resolveExpiries(expiries: TufExpiries = {}): Record<RoleName, number> {
	const resolved = { ...DEFAULT_EXPIRY_DAYS, ...expiries };
	for (const [role, days] of Object.entries(resolved)) {
		if (!Number.isFinite(days) || days <= 0 || days > MAX_EXPIRY_DAYS) {
			throw tufError(
				'TUF_INVALID_OPTION',
				`The ${role} expiry must be more than 0 and at most ${MAX_EXPIRY_DAYS} days.`,
			);
		}
	}
	return resolved;
}

export function expiresAfter(now: Date, days: number): string {
	if (Number.isNaN(now.getTime()))
		throw tufError('TUF_INVALID_OPTION', '`now` is not a valid date.');
	return expiryText(new Date(now.getTime() + days * DAY_MS));
}

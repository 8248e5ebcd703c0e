/**
 * What both matchers share: the order entries are tried in and how a matching entry becomes a
 * verdict. Matching itself is deliberately not shared, so the oracle stays independent.
 */
import { sanitizeText } from '../core/sanitize.ts';
import type { BlacklistEntry } from './entry.ts';
import type { BlacklistVerdict, MatchKey } from './types.ts';

/** Registry reasons are bounded by the parser; this bounds what a verdict carries anyway. */
export const MAX_REASON_LENGTH = 2000;

export const DEFAULT_REASONS = {
	uuid: 'Plugin UUID is blacklisted',
	pattern: 'Plugin matches blacklisted pattern',
	general: 'Plugin is blacklisted',
} as const;

/**
 * An entry with no identifier would block everything or nothing depending on the reader; the
 * parser refuses it, and the matcher lets it match nothing rather than guess.
 */
export function hasIdentifier(entry: BlacklistEntry): boolean {
	return entry.uuid !== undefined || entry.url !== undefined || entry.urlRegex !== undefined;
}

/** The reason shown when the entry has none: uuid-only and pattern-only entries say so. */
export function defaultReason(entry: BlacklistEntry): string {
	const uuid = entry.uuid !== undefined;
	const url = entry.url !== undefined;
	const pattern = entry.urlRegex !== undefined;
	if (uuid && !url && !pattern) return DEFAULT_REASONS.uuid;
	if (pattern && !uuid && !url) return DEFAULT_REASONS.pattern;
	return DEFAULT_REASONS.general;
}

export function matchKeys(entry: BlacklistEntry): MatchKey[] {
	const keys: MatchKey[] = [];
	if (entry.uuid !== undefined) keys.push('uuid');
	if (entry.url !== undefined) keys.push('url');
	if (entry.urlRegex !== undefined) keys.push('url_regex');
	if (entry.versions !== undefined) keys.push('versions');
	if (entry.commit !== undefined) keys.push('commit');
	return keys;
}

/** Longest advice a verdict carries; the registry schema allows 1000 characters. */
export const MAX_ADVICE_LENGTH = 1000;

/** The entry's reason, or the default for its kind, sanitised for a terminal (D24). */
function reasonOf(entry: BlacklistEntry): string {
	const given = entry.reason !== undefined && entry.reason.trim() !== '' ? entry.reason : undefined;
	return sanitizeText(given ?? defaultReason(entry), { maxLength: MAX_REASON_LENGTH });
}

export function blockedVerdict(entry: BlacklistEntry): BlacklistVerdict {
	// Registry text bound for terminals and notices: sanitised here, once, for every reader (D24).
	const incident =
		entry.incident === undefined ? undefined : sanitizeText(entry.incident, { maxLength: 2048 });
	const advice =
		entry.advice === undefined || entry.advice.trim() === ''
			? undefined
			: sanitizeText(entry.advice, { maxLength: MAX_ADVICE_LENGTH });
	return {
		blocked: true,
		entry,
		// A registry reason is untrusted text that goes straight to a terminal (D24).
		reason: reasonOf(entry),
		// Anything but an explicit `soft` is `hard`: the stricter outcome is the default (D4).
		severity: entry.severity === 'soft' ? 'soft' : 'hard',
		...(incident === undefined || incident === '' ? {} : { incident }),
		...(advice === undefined ? {} : { advice }),
		matchedOn: matchKeys(entry),
	};
}

/**
 * The verdict of the entries that match, given in file order (D4): the first hard one, and the
 * first soft one only when no hard one matches. File order picks the reason, but a soft entry
 * never speaks for a plugin a later hard entry blocks: otherwise a notice added by hand ahead of
 * a block (or a registry edited in the wrong order) would make the block one users may
 * override. The stricter outcome wins, as the default severity does.
 */
export function strictestVerdict(matching: Iterable<BlacklistEntry>): BlacklistVerdict {
	const soft: BlacklistEntry[] = [];
	for (const entry of matching) {
		if (entry.severity !== 'soft') return blockedVerdict(entry);
		soft.push(entry);
	}
	const [first, ...others] = soft;
	if (first === undefined) return { blocked: false };
	const verdict = blockedVerdict(first);
	// Every soft entry that matched is carried, not only the one that speaks: a user's choice
	// to keep the plugin is about all of them, and a later one must not pass unread (D4).
	if (verdict.blocked && others.length > 0) {
		verdict.alsoSoft = others.map((entry) => ({ entry, reason: reasonOf(entry) }));
	}
	return verdict;
}

/**
 * One verdict from several checks of one plugin, such as one per address it answers for (D27):
 * by the same rule as a single check, over every entry any of them matched. Taking the first
 * check that blocks instead would let a soft entry met under one address hide a hard entry met
 * under another, and a soft block is one the user may override.
 */
export function strictestOf(verdicts: Iterable<BlacklistVerdict>): BlacklistVerdict {
	const entries = new Set<BlacklistEntry>();
	for (const verdict of verdicts) {
		if (!verdict.blocked) continue;
		entries.add(verdict.entry);
		for (const other of verdict.alsoSoft ?? []) entries.add(other.entry);
	}
	return strictestVerdict(inFileOrder([...entries]));
}

/**
 * Entries in file order: by `index`, ties (which a parser never produces) by array position,
 * so both matchers agree on "first" whatever array they are given.
 */
export function inFileOrder(entries: readonly BlacklistEntry[]): readonly BlacklistEntry[] {
	// A parsed registry is already in order; only an out-of-order array pays for a sort.
	if (
		entries.every((entry, i) => i === 0 || (entries[i - 1] as BlacklistEntry).index <= entry.index)
	) {
		return entries;
	}
	return entries
		.map((entry, position) => ({ entry, position }))
		.sort((a, b) => a.entry.index - b.entry.index || a.position - b.position)
		.map(({ entry }) => entry);
}

export function describeError(error: unknown): string {
	const text = error instanceof Error ? error.message : String(error);
	return sanitizeText(text, { maxLength: 500 });
}

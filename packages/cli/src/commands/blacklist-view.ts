/**
 * What `vouch blacklist` shows of each entry, in what order, and which entries a search text
 * names. Whether a URL is *blocked* is never decided here: that is the compiled matcher's job
 * (`blacklist-search.ts` asks it), so this file cannot drift from the rule that protects users.
 */
import type { BlacklistEntry } from '@vouch/library/internal/blacklist/entry';
import { defaultReason } from '@vouch/library/internal/blacklist/verdict';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';

/** One entry as shown: every string already sanitised, keys named as in the registry file. */
export interface BlacklistRow {
	/** The entry's position in the registry file, as `check-blacklist` and `registry lint` name it. */
	index: number;
	uuid?: string;
	url?: string;
	urlRegex?: string;
	versions?: string;
	/** The registry's reason, or the default the matcher gives for an entry of this kind. */
	reason: string;
	/** False when the registry gave no reason and `reason` is the default. */
	reasonGiven: boolean;
	severity: 'hard' | 'soft';
	/** As the registry wrote it. */
	blacklistedAt?: string;
}

const MAX_FIELD = 2000;

export function blacklistRow(entry: BlacklistEntry): BlacklistRow {
	const given = entry.reason !== undefined && entry.reason.trim() !== '';
	const clean = (text: string) => sanitizeText(text, { maxLength: MAX_FIELD });
	return {
		index: entry.index,
		...(entry.uuid === undefined ? {} : { uuid: clean(entry.uuid) }),
		...(entry.url === undefined ? {} : { url: clean(entry.url) }),
		...(entry.urlRegex === undefined ? {} : { urlRegex: clean(entry.urlRegex) }),
		...(entry.versions === undefined ? {} : { versions: clean(entry.versions) }),
		reason: clean(given ? (entry.reason as string) : defaultReason(entry)),
		reasonGiven: given,
		// Anything but an explicit `soft` is `hard`, as the matcher reads it (D4).
		severity: entry.severity === 'soft' ? 'soft' : 'hard',
		...(entry.blacklistedAt === undefined ? {} : { blacklistedAt: clean(entry.blacklistedAt) }),
	};
}

/** Newest first; entries without a readable date after the dated ones, then in file order. */
export function newestFirst(rows: readonly BlacklistRow[]): BlacklistRow[] {
	const time = (row: BlacklistRow) => {
		const ms = row.blacklistedAt === undefined ? Number.NaN : Date.parse(row.blacklistedAt);
		return Number.isNaN(ms) ? Number.NEGATIVE_INFINITY : ms;
	};
	return [...rows].sort((a, b) => time(b) - time(a) || a.index - b.index);
}

export type SearchField = 'uuid' | 'url' | 'url_regex' | 'reason';

/**
 * The fields of a row that contain the text, ignoring case. A pattern is also searched with
 * its backslash escapes removed, so `github.com/badorg` finds `^https://github\.com/badorg/`:
 * an organisation block is found by the organisation's address.
 */
export function matchingFields(row: BlacklistRow, text: string): SearchField[] {
	const needle = text.trim().toLowerCase();
	if (needle === '') return [];
	const has = (value: string | undefined) => value?.toLowerCase().includes(needle) === true;
	const fields: SearchField[] = [];
	if (has(row.uuid)) fields.push('uuid');
	if (has(row.url)) fields.push('url');
	if (has(row.urlRegex) || has(row.urlRegex?.replace(/\\(.)/g, '$1'))) fields.push('url_regex');
	if (has(row.reason)) fields.push('reason');
	return fields;
}

/** The keys an entry has, for a one-line summary: `uuid + url_regex`. */
export function entryKind(row: BlacklistRow): string {
	const keys: string[] = [];
	if (row.uuid !== undefined) keys.push('uuid');
	if (row.url !== undefined) keys.push('url');
	if (row.urlRegex !== undefined) keys.push('url_regex');
	if (row.versions !== undefined) keys.push('versions');
	return keys.join(' + ');
}

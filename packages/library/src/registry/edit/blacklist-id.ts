/**
 * Stable ids for blacklist entries. A new entry stores its id (`id = "bl-…"`), which Picard's
 * reader ignores like any key it does not know. An entry written without one (by hand, or by
 * Picard's tool) gets an id derived from its content: the same entry always has the same id, so
 * `blacklist remove <id>` names exactly one entry whoever wrote it.
 */
import { createHash } from 'node:crypto';
import type { RawTable } from './operations.ts';

export const BLACKLIST_ID_PATTERN = /^bl-[0-9a-f]{12}$/;

/** The stored id, or the one derived from the entry's content. */
export function blacklistEntryId(entry: RawTable): string {
	return typeof entry.id === 'string' && entry.id.length > 0 ? entry.id : contentId(entry);
}

/** `bl-` and 12 hex digits of the SHA-256 of the entry's keys and values, sorted. */
export function contentId(entry: RawTable): string {
	const keys = Object.keys(entry)
		.filter((key) => key !== 'id')
		.sort();
	const canonical = JSON.stringify(keys.map((key) => [key, entry[key]]));
	return `bl-${createHash('sha256').update(canonical, 'utf8').digest('hex').slice(0, 12)}`;
}

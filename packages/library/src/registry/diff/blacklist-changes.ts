/**
 * Blacklist changes. Entries are compared by what they match (UUID, canonical URL, pattern,
 * versions, severity), so moving an entry in the file, or respelling its URL, is no change.
 * When both versions give an entry a stable `id`, entries are paired by it first, and an edit
 * of what an entry matches shows as that entry changing.
 * Lowering: a removed entry, an entry whose matcher changed (it may no longer match what it
 * blocked), and a severity lowered from hard to soft.
 */
import { type CanonicalUrlContext, tryCanonicalUrl } from '../../core/canonical-url.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import type { BlacklistEntry } from '../model.ts';
import type { DiffChange } from './changes.ts';

export interface BlacklistSide {
	entries: readonly BlacklistEntry[];
	/** The stable `id` of each entry, by position, when the registry gives them. */
	ids?: readonly (string | undefined)[];
}

interface Keyed {
	entry: BlacklistEntry;
	id: string | undefined;
	matcher: string;
}

export function blacklistChanges(
	before: BlacklistSide,
	after: BlacklistSide,
	context: CanonicalUrlContext = {},
): DiffChange[] {
	const keyed = (side: BlacklistSide): Keyed[] =>
		side.entries.map((entry, i) => ({
			entry,
			id: side.ids?.[i],
			matcher: matcherKey(entry, context),
		}));
	const oldEntries = keyed(before);
	const newEntries = keyed(after);
	const changes: DiffChange[] = [];
	const pairedOld = new Set<Keyed>();
	const pairedNew = new Set<Keyed>();

	const oldById = new Map<string, Keyed>();
	for (const item of oldEntries) if (item.id !== undefined) oldById.set(item.id, item);
	for (const item of newEntries) {
		const old = item.id === undefined ? undefined : oldById.get(item.id);
		if (old === undefined || pairedOld.has(old)) continue;
		pairedOld.add(old);
		pairedNew.add(item);
		const change = changedEntry(old, item);
		if (change !== undefined) changes.push(change);
	}
	// The rest by content: equal matchers pair up one to one (duplicates count).
	const oldByMatcher = new Map<string, Keyed[]>();
	for (const item of oldEntries) {
		if (pairedOld.has(item)) continue;
		const list = oldByMatcher.get(item.matcher) ?? [];
		list.push(item);
		oldByMatcher.set(item.matcher, list);
	}
	for (const item of newEntries) {
		if (pairedNew.has(item)) continue;
		const old = oldByMatcher.get(item.matcher)?.shift();
		if (old !== undefined) {
			pairedOld.add(old);
			continue;
		}
		changes.push({
			kind: 'blacklist-added',
			entry: item.entry.index,
			...(item.id === undefined ? {} : { entryId: sanitizeText(item.id) }),
			after: describeEntry(item.entry),
			lowersSecurity: false,
			message: `Blacklist entry added: ${describeEntry(item.entry)}.`,
		});
	}
	for (const item of oldEntries) {
		if (pairedOld.has(item)) continue;
		changes.push({
			kind: 'blacklist-removed',
			entry: item.entry.index,
			...(item.id === undefined ? {} : { entryId: sanitizeText(item.id) }),
			before: describeEntry(item.entry),
			lowersSecurity: true,
			why: 'what it blocked is no longer blocked',
			message: `Blacklist entry removed: ${describeEntry(item.entry)}.`,
		});
	}
	return changes;
}

function changedEntry(old: Keyed, now: Keyed): DiffChange | undefined {
	const matcherChanged = withoutSeverity(old.matcher) !== withoutSeverity(now.matcher);
	const softened = old.entry.severity === 'hard' && now.entry.severity === 'soft';
	const textChanged =
		old.entry.reason !== now.entry.reason || old.entry.blacklistedAt !== now.entry.blacklistedAt;
	if (!matcherChanged && old.entry.severity === now.entry.severity && !textChanged) {
		return undefined;
	}
	const lowers = matcherChanged || softened;
	return {
		kind: 'blacklist-changed',
		entry: now.entry.index,
		...(now.id === undefined ? {} : { entryId: sanitizeText(now.id) }),
		before: describeEntry(old.entry),
		after: describeEntry(now.entry),
		lowersSecurity: lowers,
		...(lowers
			? {
					why: matcherChanged
						? 'it may no longer match what it blocked'
						: 'severity lowered from hard to soft',
				}
			: {}),
		message: `Blacklist entry ${now.id === undefined ? `#${now.entry.index}` : `"${sanitizeText(now.id)}"`} changed: ${describeEntry(old.entry)} → ${describeEntry(now.entry)}.`,
	};
}

/** What an entry matches, and how hard; the last field is the severity. */
function matcherKey(entry: BlacklistEntry, context: CanonicalUrlContext): string {
	const url = entry.url === undefined ? null : (tryCanonicalUrl(entry.url, context) ?? entry.url);
	return JSON.stringify([
		entry.uuid ?? null,
		url,
		entry.urlRegex ?? null,
		entry.versions ?? null,
		entry.commit ?? null,
		entry.severity,
	]);
}

function withoutSeverity(key: string): string {
	return JSON.stringify((JSON.parse(key) as unknown[]).slice(0, -1));
}

export function describeEntry(entry: BlacklistEntry): string {
	const parts: string[] = [];
	if (entry.uuid !== undefined) parts.push(`uuid ${entry.uuid}`);
	if (entry.url !== undefined) parts.push(`url ${entry.url}`);
	if (entry.urlRegex !== undefined) parts.push(`url_regex ${entry.urlRegex}`);
	if (entry.versions !== undefined) parts.push(`versions ${entry.versions}`);
	if (entry.commit !== undefined) parts.push(`commit ${entry.commit}`);
	parts.push(entry.severity);
	if (entry.reason !== undefined) parts.push(`"${entry.reason}"`);
	return sanitizeText(parts.join(', '), { maxLength: 400 });
}

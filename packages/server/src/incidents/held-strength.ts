/**
 * When a new registry document still keeps in force a blacklist entry that an incident action
 * holds. Pure: it compares the raw `[[blacklist]]` tables of the current and the new document
 * (the new one already accepted by the library's reader, which refuses a document with any
 * malformed entry, so every table here is an entry clients apply).
 *
 * Kept in force means all of:
 * - **present once** under the same id (`blacklistEntryId`: the stored `id`, exactly as written,
 *   or the one derived from the content). The lift finds the entry by that id, so a respelt id
 *   (case, spaces) is a dropped entry, and a second entry under it would make the lift ambiguous;
 * - **not weakened**: the same `uuid` (compared lowercase, as every UUID is), `url` and
 *   `url_regex`, exactly: a changed target blocks something else. A `versions` range or a
 *   `commit` may be dropped (the entry then blocks every version or commit, which is more) but
 *   not added or changed (a narrower or other range; ranges are not compared for width: a
 *   wider one is a new block, for its own action). Severity may go from soft to hard, never
 *   from hard to soft. Reason, advice, incident link, report, dates and actor are what users
 *   read, not what blocks, and may change. Entries carry no expiry in this schema; should one
 *   be added, a later expiry or none would not weaken;
 * - **not outranked**: Vouch's own clients let a hard match outrank soft entries before it
 *   (D4), but a reader that takes the first matching entry's severity would see a soft entry
 *   placed ahead of a held hard entry turn its block into one the user may override. A soft entry ahead of it is accepted only when it was ahead of it already (same
 *   identifiers, range and commit), or when both name a uuid and the uuids differ (no plugin
 *   matches both). Every other soft entry ahead counts as overlapping: whether two URL
 *   patterns or ranges overlap is not decided here, the reorder is refused.
 */
import { normaliseUuid } from '@vouch/library/internal/core/uuid';
import { blacklistEntryId } from '@vouch/library/internal/registry/edit/blacklist-id';
import type { RawTable } from '@vouch/library/internal/registry/edit/operations';

export interface HeldAction {
	actionId: number;
	incidentId: number;
	entryId: string;
}

export type HeldProblemKind = 'missing' | 'duplicated' | 'weakened' | 'outranked';

export interface HeldEntryProblem {
	/** The entry's id (registry text: sanitise before display). */
	entry: string;
	action: number;
	incident: number;
	problem: HeldProblemKind;
	/** One phrase: what the new document does to the entry. */
	what: string;
}

function text(table: RawTable, key: string): string | undefined {
	const value = table[key];
	return typeof value === 'string' ? value : undefined;
}

function uuidOf(table: RawTable): string | undefined {
	const uuid = text(table, 'uuid');
	return uuid === undefined ? undefined : normaliseUuid(uuid);
}

function commitOf(table: RawTable): string | undefined {
	return text(table, 'commit')?.toLowerCase();
}

function isSoft(table: RawTable): boolean {
	// Anything but an explicit `soft` is hard, as clients read it (D4).
	return table.severity === 'soft';
}

/** What decides which plugins an entry matches. */
function matchSignature(table: RawTable): string {
	return JSON.stringify([
		uuidOf(table) ?? null,
		text(table, 'url') ?? null,
		text(table, 'url_regex') ?? null,
		text(table, 'versions') ?? null,
		commitOf(table) ?? null,
	]);
}

/** Why `after` blocks less than `before`, or undefined when it blocks as much or more. */
export function weakening(before: RawTable, after: RawTable): string | undefined {
	if (uuidOf(before) !== uuidOf(after)) return 'its uuid changed';
	for (const key of ['url', 'url_regex'] as const) {
		if (text(before, key) !== text(after, key)) return `its ${key} changed`;
	}
	const versions = text(after, 'versions');
	if (versions !== undefined && versions !== text(before, 'versions')) {
		return text(before, 'versions') === undefined
			? 'a versions range was added'
			: 'its versions range changed';
	}
	const commit = commitOf(after);
	if (commit !== undefined && commit !== commitOf(before)) {
		return commitOf(before) === undefined ? 'a commit was added' : 'its commit changed';
	}
	if (!isSoft(before) && isSoft(after)) return 'its severity went from hard to soft';
	return undefined;
}

/** Whether `entry` is soft and may match a plugin `hard` matches (the overlap rule above). */
function mayOutrank(entry: RawTable, hard: RawTable): boolean {
	if (!isSoft(entry)) return false;
	const hardUuid = uuidOf(hard);
	const uuid = uuidOf(entry);
	return hardUuid === undefined || uuid === undefined || uuid === hardUuid;
}

/** The soft entries ahead of `position` that may match a plugin the entry there matches. */
function softAhead(entries: readonly RawTable[], position: number): RawTable[] {
	const held = entries[position] as RawTable;
	return entries.slice(0, position).filter((entry) => mayOutrank(entry, held));
}

/**
 * The positions in `entries` of the soft entries that would outrank a hard `entry` appended
 * after them, by the same rule: none for a soft entry. An action's new block goes ahead of them
 * (`blacklist-entry.ts`), else it would be born outranked, and a replacement would then accept
 * the soft entries as "ahead of it already".
 */
export function softEntriesOutranking(entries: readonly RawTable[], entry: RawTable): number[] {
	if (isSoft(entry)) return [];
	return entries.flatMap((other, position) => (mayOutrank(other, entry) ? [position] : []));
}

/** Each id's positions, computed once (a content id hashes the entry). */
function positionsById(entries: readonly RawTable[]): Map<string, number[]> {
	const positions = new Map<string, number[]>();
	entries.forEach((entry, position) => {
		const id = blacklistEntryId(entry);
		positions.set(id, [...(positions.get(id) ?? []), position]);
	});
	return positions;
}

/** Every held entry of `before` that `after` drops, duplicates, weakens or outranks. */
export function heldEntryProblems(
	before: readonly RawTable[],
	after: readonly RawTable[],
	held: readonly HeldAction[],
): HeldEntryProblem[] {
	const problems: HeldEntryProblem[] = [];
	if (held.length === 0) return problems;
	const beforeIds = positionsById(before);
	const afterIds = positionsById(after);
	for (const action of held) {
		const was = beforeIds.get(action.entryId)?.[0];
		if (was === undefined) continue;
		const report = (problem: HeldProblemKind, what: string) =>
			problems.push({
				entry: action.entryId,
				action: action.actionId,
				incident: action.incidentId,
				problem,
				what,
			});
		const now = afterIds.get(action.entryId) ?? [];
		if (now.length === 0) {
			report('missing', 'no entry has this id any more');
			continue;
		}
		if (now.length > 1) {
			report('duplicated', `${now.length} entries have this id`);
			continue;
		}
		const position = now[0] as number;
		const oldEntry = before[was] as RawTable;
		const newEntry = after[position] as RawTable;
		const weaker = weakening(oldEntry, newEntry);
		if (weaker !== undefined) {
			report('weakened', weaker);
			continue;
		}
		if (isSoft(oldEntry)) continue;
		const accepted = new Set(softAhead(before, was).map(matchSignature));
		const intruder = softAhead(after, position).find(
			(entry) => !accepted.has(matchSignature(entry)),
		);
		if (intruder !== undefined) {
			report(
				'outranked',
				`the soft entry ${blacklistEntryId(intruder)} now comes before it, so its block could be overridden`,
			);
		}
	}
	return problems;
}

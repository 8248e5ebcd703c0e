/**
 * What a blocked plugin's notice says, worded once for every step that shows one: the reason,
 * the severity, the incident page and the advice, all sanitised by the verdict already (D24).
 * And the key that names a soft entry a user accepted, so the acceptance holds for that entry
 * only: a changed reason, a new entry or a hard one disables the plugin again.
 */
import { createHash } from 'node:crypto';
import type { BlacklistEntry, BlacklistVerdict } from '../blacklist/index.ts';

/** The blocked verdict's fields a report or notice carries. */
export interface BlockDetails {
	reason: string;
	severity: 'hard' | 'soft';
	incident?: string;
	advice?: string;
	/**
	 * A soft block's further matching soft entries' reasons, in file order, sanitised: a user
	 * told only the first would decide about the others unread (D4). Absent when none.
	 */
	alsoSoftReasons?: string[];
}

export function blockDetails(verdict: Extract<BlacklistVerdict, { blocked: true }>): BlockDetails {
	const others = verdict.alsoSoft ?? [];
	return {
		reason: verdict.reason,
		severity: verdict.severity,
		...(verdict.incident === undefined ? {} : { incident: verdict.incident }),
		...(verdict.advice === undefined ? {} : { advice: verdict.advice }),
		...(others.length === 0 ? {} : { alsoSoftReasons: others.map((other) => other.reason) }),
	};
}

/**
 * Lines after the one naming the plugin: the advice, the incident link, then one line for each
 * further soft entry that matched, so accepting the first is not blind.
 */
export function blockNoticeLines(details: Omit<BlockDetails, 'reason' | 'severity'>): string[] {
	const lines: string[] = [];
	if (details.advice !== undefined) lines.push(`Advice: ${details.advice}`);
	if (details.incident !== undefined) lines.push(`Incident: ${details.incident}`);
	for (const reason of details.alsoSoftReasons ?? []) lines.push(`Also not recommended: ${reason}`);
	return lines;
}

/** Every matching soft entry's reason in one phrase, for a one-line reminder. */
export function allSoftReasons(details: Pick<BlockDetails, 'reason' | 'alsoSoftReasons'>): string {
	return [details.reason, ...(details.alsoSoftReasons ?? [])].join('; ');
}

/**
 * The key a user's acceptance of a soft verdict is stored under: the entry's own key when it is
 * the only soft entry that matched (so earlier acceptances hold), else a digest of every
 * matching entry's key, in sorted order. Any soft entry added, removed or changed among them
 * then changes the key, and the plugin is disabled again until the user has read them (D4).
 */
export function softAcceptanceKey(verdict: Extract<BlacklistVerdict, { blocked: true }>): string {
	const own = softBlockKey(verdict.entry);
	const others = verdict.alsoSoft ?? [];
	if (others.length === 0) return own;
	const keys = [own, ...others.map((other) => softBlockKey(other.entry))].sort();
	return `sha256:${createHash('sha256').update(JSON.stringify(keys)).digest('hex')}`;
}

/**
 * A digest of what the entry matches and says. Its position in the file is left out: entries
 * added before it must not undo a user's decision, but a changed reason or range must.
 */
export function softBlockKey(entry: BlacklistEntry): string {
	const fields = [
		entry.uuid ?? null,
		entry.url ?? null,
		entry.urlRegex ?? null,
		entry.versions ?? null,
		entry.commit ?? null,
		entry.reason ?? null,
		entry.severity,
	];
	return `sha256:${createHash('sha256').update(JSON.stringify(fields)).digest('hex')}`;
}

/**
 * `blacklist add | remove | list` as edit plans, with the gaps of Picard's tool closed:
 * - every entry has a stable id, and `remove <id>` removes exactly that entry;
 * - `remove --uuid X` removes only the entries whose identifiers are exactly that UUID, so a
 *   UUID+URL "malicious fork" entry stays unless its own id is given; identifiers naming two
 *   different entries (a version-scoped one and a total ban) remove neither;
 * - a `url_regex` entry can be removed (by id, or by `--url-regex` with the same pattern);
 * - a new entry is tried against the registry's own plugins first, and the plugins it would
 *   block are named and asked about.
 */

import { compileBlacklist } from '../../blacklist/compile.ts';
import type { BlacklistEntry } from '../../blacklist/entry.ts';
import { tryCanonicalUrl } from '../../core/canonical-url.ts';
import { normaliseCommit } from '../../core/commit-hash.ts';
import { compilePythonPattern } from '../../core/pyregex.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { semver } from '../../core/semver.ts';
import { isCanonicalUuid, normaliseUuid } from '../../core/uuid.ts';
import { registryError } from '../errors.ts';
import { ADVICE_SHAPE, isIncidentUrl } from '../incident-fields.ts';
import { REGISTRY_LIMITS } from '../limits.ts';
import type { BlacklistSeverity } from '../model.ts';
import { blacklistEntryId, contentId } from './blacklist-id.ts';
import { blacklistOf, type RawTable, type TomlTable } from './operations.ts';
import { type EditContext, type EditPlan, requireReason } from './plan.ts';
import { invalid } from './plugin-entry.ts';
import { emptyPlan } from './plugin-plans.ts';
import { duplicate } from './url-rules.ts';

export interface BlacklistListing {
	id: string;
	/** Position in the file: the first matching entry gives the reason. */
	index: number;
	entry: RawTable;
}

export function listBlacklist(context: EditContext): BlacklistListing[] {
	return blacklistOf(context.document).map((entry, index) => ({
		id: blacklistEntryId(entry),
		index,
		entry,
	}));
}

export interface BlacklistIdentifiers {
	uuid?: string;
	url?: string;
	urlRegex?: string;
}

export interface BlacklistAddInput extends BlacklistIdentifiers {
	versions?: string;
	/** A full commit id: the entry then blocks only that commit (ANDed with the identifiers). */
	commit?: string;
	severity?: BlacklistSeverity;
	reason?: string;
	report?: string;
	/** The public incident page: https, or http to loopback. */
	incident?: string;
	/** What users should do, shown with the reason. */
	advice?: string;
}

export function planBlacklistAdd(context: EditContext, input: BlacklistAddInput): EditPlan {
	if (input.uuid === undefined && input.url === undefined && input.urlRegex === undefined) {
		throw invalid('a blacklist entry needs --uuid, --url or --url-regex');
	}
	const reason = requireReason(input.reason, 'A blacklist entry');
	const entry: TomlTable = {};
	if (input.uuid !== undefined) {
		if (!isCanonicalUuid(input.uuid)) throw invalid(`${sanitizeText(input.uuid)} is not a UUID`);
		entry.uuid = normaliseUuid(input.uuid);
	}
	if (input.url !== undefined) {
		if (tryCanonicalUrl(input.url, context.urlContext) === undefined) {
			throw invalid(`${sanitizeText(input.url)} is not a usable URL`);
		}
		entry.url = input.url;
	}
	if (input.urlRegex !== undefined) {
		try {
			// D3: RE2, linear time, so a pattern can never hang a client; refused if it cannot compile.
			compilePythonPattern(input.urlRegex);
		} catch (error) {
			throw invalid(`the pattern cannot be used: ${sanitizeText((error as Error).message)}`);
		}
		entry.url_regex = input.urlRegex;
	}
	if (input.versions !== undefined) {
		if (semver().validRange(input.versions) === null) {
			throw invalid(`${sanitizeText(input.versions)} is not a semver range`);
		}
		entry.versions = input.versions;
	}
	if (input.commit !== undefined) entry.commit = checkedCommit(input.commit);
	if (input.severity !== undefined) entry.severity = input.severity;
	entry.reason = reason;
	entry.blacklisted_at = context.at;
	if (input.report !== undefined) entry.report = input.report;
	if (context.actor !== undefined) entry.actor = context.actor;
	if (input.incident !== undefined) entry.incident = checkedIncident(input.incident);
	if (input.advice !== undefined) entry.advice = checkedAdvice(input.advice);
	const id = contentId(entry);
	const existing = listBlacklist(context);
	if (existing.some((listing) => listing.id === id))
		throw duplicate(`the entry ${id} exists already`);
	const same = existing.find((listing) => sameIdentifiers(context, listing.entry, input));
	if (
		same !== undefined &&
		input.versions === undefined &&
		same.entry.versions === undefined &&
		input.commit === undefined &&
		same.entry.commit === undefined
	) {
		throw duplicate(`entry ${same.id} already blocks exactly these identifiers`);
	}
	const withId: TomlTable = { id, ...entry };
	const plan = emptyPlan(context, 'blacklist.add', id);
	plan.ops.push({ op: 'add-blacklist', entry: withId });
	plan.change.reason = reason;
	plan.change.report = input.report;
	plan.change.fields = [{ field: 'blacklist', from: null, to: withId }];
	const blocked = pluginsBlockedBy(context, input);
	if (blocked.length > 0) {
		plan.notes.push(
			`This entry blocks ${blocked.length} plugin(s) of this registry: ${blocked.map((id) => sanitizeText(id)).join(', ')}`,
		);
		plan.confirm = `Blacklist ${blocked.length} registered plugin(s)?`;
	}
	return plan;
}

/** A full commit id, lowercased; an abbreviation could name two commits, so it is refused. */
function checkedCommit(commit: string): string {
	const normalised = normaliseCommit(commit);
	if (normalised === undefined) {
		throw invalid(
			`${sanitizeText(commit, { maxLength: 80 })} is not a full commit id (40 or 64 hex digits)`,
		);
	}
	return normalised;
}

function checkedIncident(incident: string): string {
	if (incident.length > REGISTRY_LIMITS.url || !isIncidentUrl(incident)) {
		throw invalid(
			`${sanitizeText(incident, { maxLength: 200 })} is not an incident link: https, or http only to this machine`,
		);
	}
	return incident;
}

function checkedAdvice(advice: string): string {
	const text = advice.trim();
	if (text === '') throw invalid('the advice is empty');
	if (text.length > REGISTRY_LIMITS.advice) {
		throw invalid(`the advice is longer than ${REGISTRY_LIMITS.advice} characters`);
	}
	if (!ADVICE_SHAPE.test(text)) throw invalid('the advice contains control characters');
	return text;
}

/** Ids of the registry's plugins a new entry would block (unknown versions count as blocked). */
export function pluginsBlockedBy(context: EditContext, input: BlacklistAddInput): string[] {
	const entry: BlacklistEntry = { index: 0, severity: input.severity ?? 'hard' };
	if (input.uuid !== undefined) entry.uuid = normaliseUuid(input.uuid);
	if (input.url !== undefined) entry.url = input.url;
	if (input.urlRegex !== undefined) entry.urlRegex = input.urlRegex;
	if (input.versions !== undefined) entry.versions = input.versions;
	if (input.commit !== undefined) entry.commit = normaliseCommit(input.commit) ?? input.commit;
	const compiled = compileBlacklist([entry], context.urlContext);
	return context.registry.plugins
		.filter((plugin) => compiled.check({ url: plugin.gitUrl, uuid: plugin.uuid }).blocked)
		.map((plugin) => plugin.id);
}

export interface BlacklistRemoveInput extends BlacklistIdentifiers {
	/** An entry's id: removes exactly that entry. */
	id?: string;
	reason?: string;
}

export function planBlacklistRemove(context: EditContext, input: BlacklistRemoveInput): EditPlan {
	const listings = listBlacklist(context);
	let chosen: BlacklistListing[];
	if (input.id !== undefined) {
		chosen = listings.filter((listing) => listing.id === input.id);
		if (chosen.length > 1) {
			throw registryError(
				'REGISTRY_EDIT_REFUSED',
				`${chosen.length} identical entries share the id ${sanitizeText(input.id)}.`,
				{ hint: 'Remove the repeated entry by hand.' },
			);
		}
	} else {
		if (input.uuid === undefined && input.url === undefined && input.urlRegex === undefined) {
			throw invalid('name the entry: its id, or --uuid, --url or --url-regex');
		}
		chosen = listings.filter((listing) => sameIdentifiers(context, listing.entry, input));
		// Identifiers are not versions or reasons: they can name a version-scoped entry and a
		// total ban alike, and removing both when one was meant would lift the ban unnoticed.
		const distinct = [...new Set(chosen.map((listing) => listing.id))];
		if (distinct.length > 1) {
			throw registryError(
				'REGISTRY_EDIT_REFUSED',
				`These identifiers name ${distinct.length} entries that differ: ${distinct.join(', ')}. Nothing was removed.`,
				{ hint: 'Remove the one you mean by its id (`vouch registry blacklist list` shows them).' },
			);
		}
	}
	if (chosen.length === 0) {
		throw registryError('ENTRY_NOT_FOUND', 'No blacklist entry matches.', {
			hint: 'See the entries and their ids with `vouch registry blacklist list`.',
		});
	}
	const ids = chosen.map((listing) => listing.id);
	const plan = emptyPlan(context, 'blacklist.remove', ids.join(','));
	// Bottom up, so each index still names the entry it was read from.
	for (const listing of [...chosen].sort((a, b) => b.index - a.index)) {
		plan.ops.push({ op: 'remove-blacklist', index: listing.index });
	}
	plan.change.reason = input.reason;
	plan.change.fields = chosen.map((listing) => ({
		field: 'blacklist',
		from: listing.entry,
		to: null,
	}));
	if (input.id === undefined) {
		const kept = listings.filter(
			(listing) => !ids.includes(listing.id) && sharesIdentifier(context, listing.entry, input),
		);
		for (const listing of kept) {
			plan.notes.push(
				`Kept ${listing.id} (${describeKeys(listing.entry)}): it has other identifiers too; remove it by its id.`,
			);
		}
	}
	plan.confirm = `Remove blacklist entr${ids.length === 1 ? 'y' : 'ies'} ${ids.join(', ')}? The plugins it blocks can be installed again.`;
	return plan;
}

function uuidOf(value: unknown): string | undefined {
	return typeof value === 'string' ? normaliseUuid(value) : undefined;
}

function urlOf(context: EditContext, value: unknown): string | undefined {
	return typeof value === 'string'
		? (tryCanonicalUrl(value, context.urlContext) ?? value)
		: undefined;
}

/**
 * The entry's identifiers are exactly these: no more, no fewer (the rule `add` refuses a second
 * entry by, and `remove --uuid/--url` finds one by).
 */
export function sameIdentifiers(
	context: EditContext,
	entry: RawTable,
	wanted: BlacklistIdentifiers,
): boolean {
	return (
		uuidOf(entry.uuid) === uuidOf(wanted.uuid) &&
		urlOf(context, entry.url) === urlOf(context, wanted.url) &&
		(typeof entry.url_regex === 'string' ? entry.url_regex : undefined) === wanted.urlRegex
	);
}

function sharesIdentifier(
	context: EditContext,
	entry: RawTable,
	wanted: BlacklistIdentifiers,
): boolean {
	return (
		(wanted.uuid !== undefined && uuidOf(entry.uuid) === uuidOf(wanted.uuid)) ||
		(wanted.url !== undefined && urlOf(context, entry.url) === urlOf(context, wanted.url)) ||
		(wanted.urlRegex !== undefined && entry.url_regex === wanted.urlRegex)
	);
}

export function describeKeys(entry: RawTable): string {
	return ['uuid', 'url', 'url_regex', 'versions', 'commit']
		.filter((key) => entry[key] !== undefined)
		.join('+');
}

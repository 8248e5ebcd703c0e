/**
 * The registry blacklist entry each action adds (D4, D22):
 * - soft_quarantine: the plugin's uuid and URL, severity soft (disabled with a notice the user
 *   may override after reading the reason);
 * - hard_blacklist: the same identifiers, severity hard;
 * - version_block: the same identifiers and a `versions` range (or a commit), severity hard;
 * - author_block: a `url_regex` anchored on the owner's URL prefix, escaped, severity hard.
 * Every entry carries the action's reason and, when the incident page is an https link, that
 * link as its `report` (the log keeps https links only).
 *
 * A hard entry goes ahead of every soft entry that may match what it blocks. Vouch's clients let
 * the hard match win anyway (D4), but a reader that takes the first matching entry's severity
 * would not: behind a soft one (a notice added by hand, the
 * incident's own quarantine, a soft entry one maintainer slipped in while a dual-controlled block
 * waited for its second) the block would be one users may override.
 */

import { blacklistEntryId } from '@vouch/library/internal/registry/edit/blacklist-id';
import {
	type BlacklistAddInput,
	planBlacklistAdd,
	sameIdentifiers,
} from '@vouch/library/internal/registry/edit/blacklist-plans';
import {
	blacklistOf,
	type RawTable,
	type TomlTable,
} from '@vouch/library/internal/registry/edit/operations';
import type { EditContext, EditPlan } from '@vouch/library/internal/registry/edit/plan';
import { isIncidentUrl } from '@vouch/library/internal/registry/incident-fields';
import type { RegistryPlugin } from '@vouch/library/internal/registry/model';
import { serverError } from '../errors.ts';
import { loggableLink } from './deps.ts';
import { softEntriesOutranking } from './held-strength.ts';
import type { ActionKind, ActionParams } from './types.ts';

export interface EntryTarget {
	plugin?: RegistryPlugin;
	/** Canonical, ending in `/` (author block). */
	ownerUrl?: string;
}

/** What the registry schema of this version can carry beside the identifiers. */
export interface IncidentFields {
	/** The incident page. */
	incident: string;
	advice?: string;
}

/**
 * The entry fields that tell users about the incident: its page (when the registry accepts it
 * as a link: https, or http to this machine) and the advice.
 */
export function withIncidentFields(
	input: BlacklistAddInput,
	fields: IncidentFields,
): BlacklistAddInput {
	return {
		...input,
		...(isIncidentUrl(fields.incident) ? { incident: fields.incident } : {}),
		...(fields.advice === undefined ? {} : { advice: fields.advice }),
	};
}

/** Escapes a literal for a Python-syntax (RE2) pattern. */
export function escapePattern(literal: string): string {
	return literal.replace(/[\\.^$*+?()[\]{}|]/g, (ch) => `\\${ch}`);
}

export function blacklistInputFor(
	kind: ActionKind,
	params: ActionParams,
	target: EntryTarget,
	reason: string,
	incidentLink: string,
): BlacklistAddInput {
	const report = loggableLink(incidentLink);
	const common = { reason, ...(report === null ? {} : { report }) };
	const extra: IncidentFields = {
		incident: incidentLink,
		...(params.advice === undefined ? {} : { advice: params.advice }),
	};
	if (kind === 'author_block') {
		if (target.ownerUrl === undefined)
			throw serverError('BAD_REQUEST', 'An author block needs ownerUrl.');
		return withIncidentFields(
			{ urlRegex: `^${escapePattern(target.ownerUrl)}`, severity: 'hard', ...common },
			extra,
		);
	}
	const plugin = target.plugin;
	if (plugin === undefined)
		throw serverError('BAD_REQUEST', 'The action needs a registered plugin.');
	const identifiers = { uuid: plugin.uuid, url: plugin.gitUrl };
	if (kind === 'soft_quarantine') {
		return withIncidentFields({ ...identifiers, severity: 'soft', ...common }, extra);
	}
	if (kind === 'hard_blacklist') {
		return withIncidentFields({ ...identifiers, severity: 'hard', ...common }, extra);
	}
	if (params.versions === undefined && params.commit === undefined) {
		throw serverError(
			'BAD_REQUEST',
			'A version block needs "versions" (a semver range) or "commit".',
		);
	}
	return withIncidentFields(
		{
			...identifiers,
			...(params.versions === undefined ? {} : { versions: params.versions }),
			...(params.commit === undefined ? {} : { commit: params.commit }),
			severity: 'hard',
			...common,
		},
		extra,
	);
}

/** The keys that decide what an entry blocks, as the document will hold them. */
function matchingKeys(input: BlacklistAddInput): RawTable {
	return {
		...(input.uuid === undefined ? {} : { uuid: input.uuid }),
		...(input.url === undefined ? {} : { url: input.url }),
		...(input.urlRegex === undefined ? {} : { url_regex: input.urlRegex }),
		...(input.versions === undefined ? {} : { versions: input.versions }),
		...(input.commit === undefined ? {} : { commit: input.commit }),
		...(input.severity === undefined ? {} : { severity: input.severity }),
	};
}

/**
 * Which entries an action's entry takes the place of (`entry-takeover.ts` reads them from the
 * incident actions): its incident's own soft quarantine, superseded by a hard block, and an
 * entry no action holds on exactly the same identifiers (a notice or a block added by hand).
 */
export interface Replacement {
	/** Ids of the entries applied actions hold: never taken over, but for `superseded`. */
	held: ReadonlySet<string>;
	/** Held entries the new one supersedes, whatever their identifiers. */
	superseded: ReadonlySet<string>;
	/**
	 * Whether an unheld entry on exactly these identifiers is taken over. Not for the automatic
	 * quarantine: it lapses on its own, and would take a notice meant to stay with it.
	 */
	takeOverUnheld: boolean;
}

export const NO_REPLACEMENT: Replacement = {
	held: new Set(),
	superseded: new Set(),
	takeOverUnheld: false,
};

export interface ActionEntryPlan {
	plan: EditPlan;
	/** Ids of the entries the new one replaces, in document order. */
	replaced: string[];
}

function isSoftTable(table: RawTable): boolean {
	return table.severity === 'soft';
}

/**
 * An unheld entry the action's entry takes over: the same identifiers, no versions or commit on
 * either (the planner would refuse the action's entry as a duplicate of it), and no stronger
 * than the action's (a soft quarantine never replaces a hard entry: that would weaken a block).
 */
function takesOver(context: EditContext, table: RawTable, input: BlacklistAddInput): boolean {
	if (input.versions !== undefined || input.commit !== undefined) return false;
	if (table.versions !== undefined || table.commit !== undefined) return false;
	if (!sameIdentifiers(context, table, input)) return false;
	return input.severity !== 'soft' || isSoftTable(table);
}

/**
 * The plan that adds an action's entry, in one edit: the entries it replaces removed (so the
 * plugin is never left blocked by neither: both or nothing is written), the planner's own add,
 * and for a hard entry the soft entries that would outrank it moved after it, unchanged (same
 * text, so the same id; what each blocks, and a user's earlier acceptance of it, stay as they
 * were; only the new block now comes first). An unheld entry taken over becomes the action's:
 * held, so one maintainer can no longer remove it, and lifted with the action.
 */
export function planActionEntry(
	context: EditContext,
	input: BlacklistAddInput,
	replacement: Replacement = NO_REPLACEMENT,
): ActionEntryPlan {
	const all = blacklistOf(context.document);
	const replacedAt: number[] = [];
	all.forEach((table, index) => {
		const id = blacklistEntryId(table);
		const unheld = replacement.takeOverUnheld && !replacement.held.has(id);
		if (replacement.superseded.has(id) || (unheld && takesOver(context, table, input))) {
			replacedAt.push(index);
		}
	});
	const entries = all.filter((_, index) => !replacedAt.includes(index));
	if (replacement.takeOverUnheld && input.severity === 'soft') {
		const hard = entries.find(
			(table) =>
				!isSoftTable(table) &&
				table.versions === undefined &&
				table.commit === undefined &&
				sameIdentifiers(context, table, input),
		);
		if (hard !== undefined) {
			throw serverError(
				'BAD_REQUEST',
				`The hard entry ${blacklistEntryId(hard)} already blocks exactly this plugin; a soft quarantine would weaken it.`,
				{
					hint: 'Request a hard_blacklist instead: it takes an entry no incident holds over, so the incident holds the block.',
				},
			);
		}
	}
	const plan = planBlacklistAdd(
		{ ...context, document: { ...context.document, blacklist: entries } },
		input,
	);
	const replacedTables = replacedAt.map((index) => all[index] as RawTable);
	const replaced = replacedTables.map((table) => blacklistEntryId(table));
	const moved = softEntriesOutranking(entries, matchingKeys(input));
	const tables = moved.map((position) => entries[position] as RawTable);
	const ids = tables.map((table) => blacklistEntryId(table));
	plan.ops = [
		// Bottom up, so each index still names the entry it was read from: first in the document
		// as it is, then in the document without the replaced entries.
		...[...replacedAt].reverse().map((index) => ({ op: 'remove-blacklist' as const, index })),
		...[...moved].reverse().map((index) => ({ op: 'remove-blacklist' as const, index })),
		...plan.ops,
		...tables.map((table) => ({
			op: 'add-blacklist' as const,
			entry: structuredClone(table) as TomlTable,
		})),
	];
	plan.change.fields = [
		...replacedTables.map((table) => ({ field: 'blacklist', from: table, to: null })),
		...(plan.change.fields ?? []),
		...(ids.length === 0
			? []
			: [{ field: 'blacklist_order', from: ids, to: [plan.change.subject, ...ids] }]),
	];
	if (replaced.length > 0) {
		plan.notes.push(`This entry takes the place of ${replaced.join(', ')}.`);
	}
	if (ids.length > 0) {
		plan.notes.push(
			`The soft entr${ids.length === 1 ? 'y' : 'ies'} ${ids.join(', ')} now come${ids.length === 1 ? 's' : ''} after this block, so ${ids.length === 1 ? 'it' : 'they'} cannot override it.`,
		);
	}
	return { plan, replaced };
}

/**
 * A block an applied incident action holds keeps blocking the plugin it blocked, whatever the
 * edit (D22). `held-entries.ts` keeps the entry itself; this keeps what it covers. Without it,
 * one maintainer could move the plugin out from under the entry: a new `git_url`, a removal and
 * a re-add at another address, a replacement with the plugin elsewhere. The entry (uuid AND url,
 * or the owner's URL pattern) would then match nothing the registry lists, new installs would
 * fetch the new address with the plugin's registry trust, and a block that may have needed two
 * maintainers would be gone without a lift.
 *
 * The rule, on the document an edit would produce, for each entry an applied action holds that
 * is in both documents:
 * - every plugin the entry blocks before the edit is still blocked by it after, when a plugin
 *   with that id or that uuid is still listed (a plugin removed outright is no longer offered;
 *   removing a plugin lifts nothing);
 * - a plugin the edit adds (no plugin before had its id or its uuid) with the uuid the entry
 *   names, or at the address it names, is one the entry matches (the second half of a removal
 *   and re-add, under the old uuid or a new one).
 *
 * - a plugin an entry with a `versions` range blocks keeps its `versioning_scheme`, or drops it;
 *   one the edit adds declares none. Clients read the version a range is tested against from the
 *   installed tag under that scheme, and a tag that is no version of the scheme names none: a
 *   scheme the tags do not follow would leave only the manifest's version, which the plugin's
 *   author writes, so a blocked release claiming a version outside the range would install
 *   again. Without a scheme every version-like tag is read, which blocks no less.
 *
 * "Blocks" is judged on the identifier keys alone (`uuid`, `url`, `url_regex`): a versions range
 * or a commit narrows what is blocked, not which plugin is meant. The library's matcher decides,
 * with its canonical URL rules, so a respelling the entry still matches is no move. Only the
 * same entry counts: an entry no action holds could be removed by one maintainer afterwards.
 * An entry the edit removes is not asked about here: a removal by hand is refused on its own
 * (`assertNotHeldByAction`, `held-entries.ts`), and a lift through the incident removes it.
 */
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import type { BlacklistEntry } from '@vouch/library/internal/blacklist/entry';
import type { PatternCache } from '@vouch/library/internal/blacklist/pattern-cache';
import {
	type CanonicalUrlContext,
	pickUrlContext,
} from '@vouch/library/internal/core/canonical-url';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { normaliseUuid } from '@vouch/library/internal/core/uuid';
import { blacklistEntryId } from '@vouch/library/internal/registry/edit/blacklist-id';
import { blacklistOf, type RawDocument } from '@vouch/library/internal/registry/edit/operations';
import type { Registry, RegistryPlugin } from '@vouch/library/internal/registry/model';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { appliedHeldActions } from './held-entries.ts';
import type { HeldAction } from './held-strength.ts';

/** A document as both the raw tables (for entry ids) and the reader's records. */
export interface CoverageDocument {
	raw: RawDocument;
	registry: Registry;
}

export interface CoverageOptions {
	urlContext?: CanonicalUrlContext;
	/** Compiled `url_regex` patterns to reuse (re2-wasm never frees one). */
	patterns?: PatternCache;
}

export interface HeldCoverageProblem {
	/** The entry's id (registry text: sanitise before display). */
	entry: string;
	action: number;
	incident: number;
	/** The plugin the entry would no longer block (registry text). */
	plugin: string;
	/** Its address after the edit (registry text). */
	url: string;
	problem: 'moved' | 'added' | 'rescheme';
}

/** Problems named in the message; the details carry up to `MAX_DETAILED` of them. */
const MAX_NAMED = 3;
const MAX_DETAILED = 50;

/** The entry at each id, as the reader parsed it; a duplicated id keeps its first. */
function entriesById(document: CoverageDocument): Map<string, BlacklistEntry> {
	const byIndex = new Map(document.registry.blacklist.map((entry) => [entry.index, entry]));
	const found = new Map<string, BlacklistEntry>();
	blacklistOf(document.raw).forEach((table, index) => {
		const id = blacklistEntryId(table);
		const entry = byIndex.get(index);
		if (entry !== undefined && !found.has(id)) found.set(id, entry);
	});
	return found;
}

/** A matcher for which plugins `entry` is meant for: its identifier keys, nothing else. */
function identifiesPlugin(
	entry: BlacklistEntry,
	options: CoverageOptions,
): (plugin: RegistryPlugin) => boolean {
	const identifiers: BlacklistEntry = {
		index: 0,
		severity: 'hard',
		...(entry.uuid === undefined ? {} : { uuid: normaliseUuid(entry.uuid) }),
		...(entry.url === undefined ? {} : { url: entry.url }),
		...(entry.urlRegex === undefined ? {} : { urlRegex: entry.urlRegex }),
	};
	const compiled = compileBlacklist([identifiers], {
		...pickUrlContext(options.urlContext ?? {}),
		...(options.patterns === undefined ? {} : { patterns: options.patterns }),
	});
	return (plugin) => compiled.check({ uuid: plugin.uuid, url: plugin.gitUrl }).blocked;
}

const lower = (text: string) => text.toLowerCase();

/** Every plugin an applied action's entry stops blocking through this edit. */
export function heldCoverageProblems(
	before: CoverageDocument,
	after: CoverageDocument,
	held: readonly HeldAction[],
	options: CoverageOptions = {},
): HeldCoverageProblem[] {
	const problems: HeldCoverageProblem[] = [];
	if (held.length === 0) return problems;
	const beforeEntries = entriesById(before);
	const afterEntries = entriesById(after);
	const beforePlugins = before.registry.plugins;
	const afterPlugins = after.registry.plugins;
	const beforeIds = new Set(beforePlugins.map((plugin) => lower(plugin.id)));
	const beforeUuids = new Set(beforePlugins.map((plugin) => normaliseUuid(plugin.uuid)));
	for (const action of held) {
		const was = beforeEntries.get(action.entryId);
		const now = afterEntries.get(action.entryId);
		if (was === undefined || now === undefined) continue;
		const blockedBefore = identifiesPlugin(was, options);
		const blockedAfter = identifiesPlugin(now, options);
		const reported = new Set<RegistryPlugin>();
		const report = (plugin: RegistryPlugin, problem: HeldCoverageProblem['problem']) => {
			if (reported.has(plugin)) return;
			reported.add(plugin);
			problems.push({
				entry: action.entryId,
				action: action.actionId,
				incident: action.incidentId,
				plugin: plugin.id,
				url: plugin.gitUrl,
				problem,
			});
		};
		for (const blocked of beforePlugins.filter(blockedBefore)) {
			const id = lower(blocked.id);
			const uuid = normaliseUuid(blocked.uuid);
			for (const plugin of afterPlugins) {
				const same = lower(plugin.id) === id || normaliseUuid(plugin.uuid) === uuid;
				if (same && !blockedAfter(plugin)) report(plugin, 'moved');
			}
		}
		if (now.versions !== undefined) {
			for (const plugin of afterPlugins) {
				if (plugin.versioningScheme === undefined || !blockedAfter(plugin)) continue;
				const previous = beforePlugins.find(
					(old) =>
						lower(old.id) === lower(plugin.id) ||
						normaliseUuid(old.uuid) === normaliseUuid(plugin.uuid),
				);
				if (previous?.versioningScheme !== plugin.versioningScheme) report(plugin, 'rescheme');
			}
		}
		if (now.uuid === undefined && now.url === undefined) continue;
		const named = now.uuid === undefined ? undefined : normaliseUuid(now.uuid);
		// The entry's address alone: a plugin listed anew there under another uuid (and another
		// id) is the blocked repository back under a new name.
		const atNamedAddress =
			now.url === undefined
				? () => false
				: identifiesPlugin({ index: 0, severity: 'hard', url: now.url }, options);
		for (const plugin of afterPlugins) {
			const added =
				!beforeIds.has(lower(plugin.id)) && !beforeUuids.has(normaliseUuid(plugin.uuid));
			if (!added || blockedAfter(plugin)) continue;
			if (normaliseUuid(plugin.uuid) === named || atNamedAddress(plugin)) report(plugin, 'added');
		}
	}
	return problems;
}

/**
 * Refuses an edit whose document would let a plugin out from under a held entry. Call it inside
 * the transaction that writes `after`, once the write holds the document row (as
 * `assertReplacementKeepsHeldEntries`): an action applied or lifted meanwhile commits with a
 * document write of its own, so the held set read here is the one of `before`.
 */
export async function assertEditKeepsHeldCoverage(
	db: Kysely<ServiceDatabase>,
	before: () => CoverageDocument | undefined,
	after: () => CoverageDocument,
	options: CoverageOptions = {},
): Promise<void> {
	// The documents are read only when some action holds an entry: most edits pay one query.
	const held = await appliedHeldActions(db);
	if (held.length === 0) return;
	const was = before();
	if (was === undefined || was.registry.blacklist.length === 0) return;
	const problems = heldCoverageProblems(was, after(), held, options);
	if (problems.length === 0) return;
	throw movedFromBlock(problems);
}

function movedFromBlock(problems: HeldCoverageProblem[]) {
	const shown = problems.map((problem) => ({
		...problem,
		// Ids and URLs are the registry's text: bounded and without controls wherever shown.
		entry: sanitizeText(problem.entry, { maxLength: 64 }),
		plugin: sanitizeText(problem.plugin, { maxLength: 100 }),
		url: sanitizeText(problem.url, { maxLength: 300 }),
	}));
	const named = shown
		.slice(0, MAX_NAMED)
		.map(
			(p) =>
				`${p.plugin} at ${p.url} ${p.problem === 'rescheme' ? 'would take a versioning_scheme the versions range of' : 'would escape'} ${p.entry} (action ${p.action}, incident ${p.incident})${p.problem === 'rescheme' ? ' does not read its tags by' : ''}`,
		);
	const more = shown.length > MAX_NAMED ? `; and ${shown.length - MAX_NAMED} more` : '';
	const first = shown[0] as HeldCoverageProblem;
	return serverError(
		'HELD_BY_INCIDENT',
		`The edit puts ${shown.length === 1 ? 'a plugin' : `${shown.length} plugins`} where the block an incident action holds no longer matches, so nothing was changed: ${named.join('; ')}${more}.`,
		{
			hint: `Lift the block through its incident first (POST /api/v1/admin/actions/${first.action}/revert, or its form on /admin/incidents/${first.incident}; a block two maintainers applied needs a second maintainer to approve the lift), or move it only to an address the entry blocks too (the same repository spelt otherwise, or one under the blocked owner's URL). A plugin a held version block holds keeps its versioning_scheme, or drops it.`,
			details: { held: shown.slice(0, MAX_DETAILED) },
		},
	);
}

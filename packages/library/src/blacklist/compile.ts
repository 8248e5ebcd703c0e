/**
 * The compiled blacklist (D3, D4): entries are indexed by their most selective key, so a
 * check touches only the entries that could match, then evaluates those in file order and
 * stops at the first full match. Every key present in an entry must match.
 *
 * Each entry sits in exactly one bucket:
 * - uuid + url → pair map (both must match anyway);
 * - uuid without url → UUID map (a `url_regex` beside it narrows it to some URLs);
 * - url without uuid → location map;
 * - url_regex alone → the literal prefilter, which runs a pattern only on URLs containing its
 *   required literals.
 */
import type Range from 'semver/classes/range.js';
import type { CanonicalUrlContext } from '../core/canonical-url.ts';
import { locationKey, pickUrlContext, tryCanonicalUrl } from '../core/canonical-url.ts';
import { normaliseCommit } from '../core/commit-hash.ts';
import { semver } from '../core/semver.ts';
import { normaliseUuid } from '../core/uuid.ts';
import { isValidRange } from '../core/versions.ts';
import type { BlacklistEntry } from './entry.ts';
import { createPatternCache, type PatternCache } from './pattern-cache.ts';
import { hasCapitals } from './pattern-case.ts';
import { buildPatternPrefilter, type PatternPrefilter } from './pattern-prefilter.ts';
import { type PluginFacts, pluginFacts } from './plugin-facts.ts';
import type {
	BlacklistContext,
	BlacklistProblem,
	BlacklistVerdict,
	CheckOptions,
	CompiledBlacklist,
	PluginIdentity,
} from './types.ts';
import { hasIdentifier, inFileOrder, strictestVerdict } from './verdict.ts';

/** One entry, with its keys in the form comparisons use. */
interface IndexedEntry {
	entry: BlacklistEntry;
	uuid: string | undefined;
	/** Location key of the entry URL; undefined when it has no `url`. */
	location: string | undefined;
	/** `null`: the range is unusable, which counts like an unknown plugin version. */
	range: Range | null | undefined;
	/** Lowercase full commit id; `null`: not a full id, which counts like an unknown commit. */
	commit: string | null | undefined;
}

export interface BlacklistIndexStats {
	entries: number;
	/** Entries that can never match: no identifier, or a `url` that is not a URL. */
	inert: number;
	regexOnly: number;
	/** Of those, patterns with no certain literal, run on every URL. */
	regexAlwaysRun: number;
}

export interface CompileBlacklistOptions extends BlacklistContext {
	/** Compiled patterns to reuse; see `pattern-cache.ts` for why a host keeps one. */
	patterns?: PatternCache;
}

export interface CompiledBlacklistWithStats extends CompiledBlacklist {
	readonly stats: BlacklistIndexStats;
}

const PAIR_SEPARATOR = '\u0000';

export function compileBlacklist(
	entries: readonly BlacklistEntry[],
	options: CompileBlacklistOptions = {},
): CompiledBlacklistWithStats {
	const context: CanonicalUrlContext = pickUrlContext(options);
	const ordered = inFileOrder(entries);
	const indexed: IndexedEntry[] = [];
	const pairs = new Map<string, number[]>();
	const uuids = new Map<string, number[]>();
	const locations = new Map<string, number[]>();
	const regexOnlyRanks: number[] = [];
	const regexOnlyPatterns: string[] = [];
	/** Regex-only entries with capitals: candidates on every case-insensitive host. */
	const capitalRanks: number[] = [];
	let inert = 0;

	for (const entry of ordered) {
		const uuid = entry.uuid === undefined ? undefined : normaliseUuid(entry.uuid);
		const canonical = entry.url === undefined ? undefined : tryCanonicalUrl(entry.url, context);
		// An entry that cannot match is left out of every bucket.
		if (!hasIdentifier(entry) || (entry.url !== undefined && canonical === undefined)) {
			inert++;
			continue;
		}
		const location = canonical === undefined ? undefined : locationKey(canonical);
		const rank = indexed.length;
		indexed.push({
			entry,
			uuid,
			location,
			range: compileRange(entry.versions),
			commit: entry.commit === undefined ? undefined : (normaliseCommit(entry.commit) ?? null),
		});
		if (uuid !== undefined && location !== undefined) {
			addTo(pairs, uuid + PAIR_SEPARATOR + location, rank);
		} else if (uuid !== undefined) {
			addTo(uuids, uuid, rank);
		} else if (location !== undefined) {
			addTo(locations, location, rank);
		} else {
			regexOnlyRanks.push(rank);
			regexOnlyPatterns.push(entry.urlRegex as string);
			if (hasCapitals(entry.urlRegex as string)) capitalRanks.push(rank);
		}
	}

	const prefilter: PatternPrefilter = buildPatternPrefilter(regexOnlyPatterns);
	const patterns = options.patterns ?? createPatternCache();
	let problems: BlacklistProblem[] | undefined;

	/** Entries that could match this plugin, by rank; at least one key already agrees. */
	const candidateRanks = (facts: PluginFacts): number[] => {
		const ranks: number[] = [];
		if (facts.uuid !== undefined) {
			pushAll(ranks, uuids.get(facts.uuid));
			for (const location of facts.locations) {
				pushAll(ranks, pairs.get(facts.uuid + PAIR_SEPARATOR + location));
			}
		}
		// The plugin's locations are distinct keys, so an entry is still found at most once.
		for (const location of facts.locations) pushAll(ranks, locations.get(location));
		if (facts.patternTexts.length > 0) {
			prefilter.candidates(facts.patternTexts, (slot) => {
				ranks.push(regexOnlyRanks[slot] as number);
			});
		}
		// The prefilter's literals keep their capitals, which a lowercase path lacks: on a host
		// that ignores path case those patterns run anyway, once each.
		if (facts.foldsCase && capitalRanks.length > 0)
			return [...new Set([...ranks, ...capitalRanks])];
		return ranks;
	};

	return {
		size: entries.length,
		stats: {
			entries: entries.length,
			inert,
			regexOnly: regexOnlyPatterns.length,
			regexAlwaysRun: prefilter.alwaysCount,
		},
		get problems() {
			problems ??= collectProblems(ordered, patterns);
			return problems;
		},
		check(plugin: PluginIdentity, checkOptions: CheckOptions = {}): BlacklistVerdict {
			// `?? {}`: callers in plain JavaScript may pass nothing; that is an unknown plugin.
			const facts = pluginFacts(plugin ?? {}, context);
			const ranks = candidateRanks(facts);
			if (ranks.length === 0) return { blocked: false };
			// Buckets are disjoint, so there are no repeats; file order decides which entry wins.
			if (ranks.length > 1) ranks.sort((a, b) => a - b);
			const unknownVersionMatches = (checkOptions.unknownVersion ?? 'match') === 'match';
			const unknownCommitMatches =
				(checkOptions.unknownCommit ?? checkOptions.unknownVersion ?? 'match') === 'match';
			// Lazily, so the scan stops at the first hard match (the usual case: one match).
			function* matching() {
				for (const rank of ranks) {
					const candidate = indexed[rank] as IndexedEntry;
					if (
						entryMatches(candidate, facts, patterns, unknownVersionMatches, unknownCommitMatches)
					) {
						yield candidate.entry;
					}
				}
			}
			return strictestVerdict(matching());
		},
	};
}

function entryMatches(
	candidate: IndexedEntry,
	facts: PluginFacts,
	patterns: PatternCache,
	unknownVersionMatches: boolean,
	unknownCommitMatches: boolean,
): boolean {
	const { entry } = candidate;
	if (candidate.uuid !== undefined && candidate.uuid !== facts.uuid) return false;
	if (candidate.location !== undefined && !facts.locations.includes(candidate.location)) {
		return false;
	}
	if (candidate.commit !== undefined) {
		// The plugin's commit unknown: the caller's policy. Known: it must be the entry's.
		if (facts.commit === undefined || candidate.commit === null) {
			if (!unknownCommitMatches) return false;
		} else if (candidate.commit !== facts.commit) {
			return false;
		}
	}
	if (
		entry.versions !== undefined &&
		!versionMatches(candidate.range, facts, unknownVersionMatches)
	) {
		return false;
	}
	if (entry.urlRegex !== undefined) return patternMatches(entry.urlRegex, facts, patterns);
	return true;
}

function patternMatches(source: string, facts: PluginFacts, patterns: PatternCache): boolean {
	const outcome = patterns.get(source);
	// A pattern RE2 cannot compile matches nothing (D3); `problems` reports it.
	if (!outcome.ok) return false;
	if (facts.patternTexts.some((text) => outcome.pattern.search(text))) return true;
	if (!facts.foldsCase || !hasCapitals(source)) return false;
	const blind = patterns.get(source, { ignoreCase: true });
	return blind.ok && facts.patternTexts.some((text) => blind.pattern.search(text));
}

function versionMatches(
	range: Range | null | undefined,
	facts: PluginFacts,
	unknownVersionMatches: boolean,
): boolean {
	const versions = facts.versions();
	if (versions.length === 0 || range === null || range === undefined) return unknownVersionMatches;
	// Either the manifest's or the ref's version in the range blocks: the author controls one.
	return versions.some((version) => range.test(version));
}

/**
 * Parsed once, by the same rules as `satisfiesRange` in `src/core/versions.ts`: pre-releases
 * inside the range count, so a `-beta` suffix cannot dodge an entry.
 */
function compileRange(versions: string | undefined): Range | null | undefined {
	if (versions === undefined) return undefined;
	if (!isValidRange(versions)) return null;
	return new (semver().Range)(versions.trim(), { includePrerelease: true });
}

function collectProblems(
	ordered: readonly BlacklistEntry[],
	patterns: PatternCache,
): BlacklistProblem[] {
	const problems: BlacklistProblem[] = [];
	for (const entry of ordered) {
		if (entry.urlRegex === undefined) continue;
		const outcome = patterns.get(entry.urlRegex);
		if (!outcome.ok) {
			problems.push({ index: entry.index, urlRegex: entry.urlRegex, error: outcome.error });
		}
	}
	return problems;
}

function addTo(map: Map<string, number[]>, key: string, rank: number): void {
	const list = map.get(key);
	if (list === undefined) map.set(key, [rank]);
	else list.push(rank);
}

function pushAll(target: number[], items: readonly number[] | undefined): void {
	if (items === undefined) return;
	for (const item of items) target.push(item);
}

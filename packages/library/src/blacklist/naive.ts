/**
 * The blacklist semantics (D3, D4) written as plainly as possible: every entry, in file order,
 * every key evaluated directly. Too slow for real use; it is the oracle the compiled matcher
 * is checked against, and the baseline the benchmark compares it with.
 */
import {
	blacklistLocations,
	type CanonicalUrlContext,
	foldsPathCase,
	locationKey,
	pickUrlContext,
	tryCanonicalForms,
	tryCanonicalUrl,
	urlPatternTexts,
} from '../core/canonical-url.ts';
import { normaliseCommit } from '../core/commit-hash.ts';
import { normaliseUuid } from '../core/uuid.ts';
import { satisfiesRange } from '../core/versions.ts';
import type { BlacklistEntry } from './entry.ts';
import { createPatternCache, type PatternCache } from './pattern-cache.ts';
import { hasCapitals } from './pattern-case.ts';
import type {
	BlacklistContext,
	BlacklistProblem,
	BlacklistVerdict,
	CheckOptions,
	PluginIdentity,
} from './types.ts';
import { hasIdentifier, inFileOrder, strictestVerdict } from './verdict.ts';

export interface NaiveOptions extends CheckOptions, BlacklistContext {
	/** Patterns compiled earlier; by default each call compiles what it needs afresh. */
	patterns?: PatternCache;
}

export function naiveCheck(
	entries: readonly BlacklistEntry[],
	plugin: PluginIdentity,
	options: NaiveOptions = {},
): BlacklistVerdict {
	const patterns = options.patterns ?? createPatternCache();
	return strictestVerdict(
		inFileOrder(entries).filter((entry) => naiveEntryMatches(entry, plugin, options, patterns)),
	);
}

/** Every entry whose `url_regex` RE2 cannot compile, in file order. */
export function naiveProblems(
	entries: readonly BlacklistEntry[],
	patterns: PatternCache = createPatternCache(),
): BlacklistProblem[] {
	const problems: BlacklistProblem[] = [];
	for (const entry of inFileOrder(entries)) {
		if (entry.urlRegex === undefined) continue;
		const outcome = patterns.get(entry.urlRegex);
		if (!outcome.ok) {
			problems.push({ index: entry.index, urlRegex: entry.urlRegex, error: outcome.error });
		}
	}
	return problems;
}

function naiveEntryMatches(
	entry: BlacklistEntry,
	plugin: PluginIdentity,
	options: NaiveOptions,
	patterns: PatternCache,
): boolean {
	if (!hasIdentifier(entry)) return false;
	const context: CanonicalUrlContext = pickUrlContext(options);
	const url = known(plugin.url);
	const uuid = known(plugin.uuid);

	if (entry.uuid !== undefined) {
		if (uuid === undefined || normaliseUuid(uuid) !== normaliseUuid(entry.uuid)) return false;
	}
	if (entry.url !== undefined) {
		const entryUrl = tryCanonicalUrl(entry.url, context);
		if (entryUrl === undefined || url === undefined) return false;
		const pluginForms = tryCanonicalForms(url, context);
		if (pluginForms === undefined) return false;
		if (!blacklistLocations(pluginForms).includes(locationKey(entryUrl))) return false;
	}
	if (entry.urlRegex !== undefined) {
		const outcome = patterns.get(entry.urlRegex);
		if (!outcome.ok || url === undefined) return false;
		const texts = urlPatternTexts(url, context);
		let matched = texts.some((text) => outcome.pattern.search(text));
		// On a host that ignores path case, a pattern with capitals is also run without case.
		const forms = tryCanonicalForms(url, context);
		if (!matched && forms !== undefined && foldsPathCase(forms.canonical, context)) {
			if (hasCapitals(entry.urlRegex)) {
				const blind = patterns.get(entry.urlRegex, { ignoreCase: true });
				matched = blind.ok && texts.some((text) => blind.pattern.search(text));
			}
		}
		if (!matched) return false;
	}
	if (entry.versions !== undefined) {
		const range = entry.versions;
		const verdicts = [known(plugin.version), known(plugin.refVersion)].map((raw) =>
			raw === undefined ? undefined : satisfiesRange(raw, range),
		);
		// Either version in range blocks. Neither readable, or an unusable range: the caller's
		// policy decides.
		if (!verdicts.includes(true)) {
			if (verdicts.includes(false)) return false;
			if ((options.unknownVersion ?? 'match') === 'skip') return false;
		}
	}
	if (entry.commit !== undefined) {
		const commit = normaliseCommit(plugin.commit);
		const wanted = normaliseCommit(entry.commit);
		// Either side not a full id: the caller's policy, as for an unknown version.
		if (commit === undefined || wanted === undefined) {
			const policy = options.unknownCommit ?? options.unknownVersion ?? 'match';
			if (policy === 'skip') return false;
		} else if (commit !== wanted) {
			return false;
		}
	}
	return true;
}

function known(value: unknown): string | undefined {
	return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

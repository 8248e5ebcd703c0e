/**
 * Compiles the rules of one language into as few tree-sitter queries as possible. A query pass
 * over a tree costs about as much as a fifth of parsing it, whatever it matches, so:
 * - rules are grouped by query text, and every group without a text prerequisite joins one
 *   main query with the binding and scope patterns: one pass per file for all of them;
 * - a group whose rules all name a prerequisite (`needs`, a regex for a rare token such as
 *   `environ` or a long base64 run) gets its own query, run only on the spans of the file
 *   where the token occurs. Tree-sitter visits only nodes overlapping those spans.
 *
 * Compiling is most of a process's scan start-up (about as long as scanning a hundred small
 * files), and most plugins never contain most rare tokens. So the main query is compiled at
 * once, and each conditional one the first time its token occurs in a file.
 */
import { type Language, Query } from 'web-tree-sitter';
import { scanError } from '../errors.ts';
import { BINDING_QUERIES } from './bindings.ts';
import type { LanguageFamily, Matcher } from './matcher.ts';
import { MAIN_GUARD_HINT, MAIN_GUARD_QUERIES, SCOPE_QUERIES } from './scopes.ts';

export type GroupRole = 'rules' | 'binding' | 'scope' | 'guard';

export interface PatternGroup {
	readonly role: GroupRole;
	readonly matchers: readonly Matcher[];
}

export interface QueryProgram {
	readonly query: Query;
	/** Indexed by pattern index. */
	readonly groups: readonly PatternGroup[];
}

export interface CompiledQuery {
	/** The query and its pattern groups, compiled on the first call. */
	readonly program: () => QueryProgram;
	/** False until `program` has compiled it. */
	readonly compiled: () => boolean;
	/** Run only around matches of these (global) regexes; undefined: over the whole file. */
	readonly anchors: readonly RegExp[] | undefined;
	/** The rules' own `needs` regexes, parallel to `anchors`. */
	readonly needs: readonly RegExp[];
}

export interface LanguageQueries {
	readonly main: CompiledQuery;
	readonly conditional: readonly CompiledQuery[];
}

/**
 * One compilation per query: compiling is most of the engine's start-up, so the patterns of
 * each part are told apart by where they start in the joined source, not by compiling every
 * part once more on its own to count them.
 */
function compileProgram(
	language: Language,
	parts: readonly { source: string; group: PatternGroup }[],
): QueryProgram {
	const query = new Query(language, parts.map((part) => part.source).join('\n'));
	// Byte offsets (tree-sitter's) where each part's source ends in the joined source.
	const ends: number[] = [];
	let offset = 0;
	for (const part of parts) {
		offset += Buffer.byteLength(part.source, 'utf8');
		ends.push(offset);
		offset += 1;
	}
	const groups: PatternGroup[] = [];
	for (let index = 0; index < query.patternCount(); index++) {
		const start = query.startIndexForPattern(index);
		const part = ends.findIndex((end) => start < end);
		groups.push((parts[part] ?? parts[parts.length - 1])?.group as PatternGroup);
	}
	return { query, groups };
}

function compile(
	language: Language,
	parts: readonly { source: string; group: PatternGroup }[],
	needs: readonly RegExp[] | undefined,
): CompiledQuery {
	const anchors = needs?.map(global);
	if (anchors === undefined) {
		const program = compileProgram(language, parts);
		return { program: () => program, compiled: () => true, anchors, needs: [] };
	}
	let program: QueryProgram | undefined;
	return {
		program: () => {
			if (program === undefined) {
				try {
					program = compileProgram(language, parts);
				} catch (error) {
					throw rulesUnavailable(error);
				}
			}
			return program;
		},
		compiled: () => program !== undefined,
		anchors,
		needs: needs ?? [],
	};
}

/** A rule query the grammar rejects: a bug in Vouch or a mismatched grammar, never the plugin. */
export function rulesUnavailable(cause: unknown): Error {
	return scanError('SCAN_ENGINE_UNAVAILABLE', 'The scan rules could not be compiled.', {
		hint: 'This is a bug in Vouch or a mismatched grammar version; reinstall with npm ci.',
		cause,
	});
}

function global(pattern: RegExp): RegExp {
	return new RegExp(
		pattern.source,
		pattern.flags.includes('g') ? pattern.flags : `${pattern.flags}g`,
	);
}

export function compileLanguage(
	language: Language,
	family: LanguageFamily,
	matchers: readonly Matcher[],
): LanguageQueries {
	const bySource = new Map<string, Matcher[]>();
	for (const matcher of matchers) {
		if (matcher.family !== family) continue;
		bySource.set(matcher.query, [...(bySource.get(matcher.query) ?? []), matcher]);
	}
	const main: { source: string; group: PatternGroup }[] = [
		{ source: BINDING_QUERIES[family], group: { role: 'binding', matchers: [] } },
		{ source: SCOPE_QUERIES[family], group: { role: 'scope', matchers: [] } },
	];
	const conditional: CompiledQuery[] = [
		compile(
			language,
			[{ source: MAIN_GUARD_QUERIES[family], group: { role: 'guard', matchers: [] } }],
			[MAIN_GUARD_HINT[family]],
		),
	];
	for (const [source, group] of bySource) {
		const needs = group.map((matcher) => matcher.needs);
		const part = { source, group: { role: 'rules' as const, matchers: group } };
		if (needs.every((need) => need !== undefined)) {
			conditional.push(compile(language, [part], [...new Set(needs as RegExp[])]));
		} else {
			main.push(part);
		}
	}
	return { main: compile(language, main, undefined), conditional };
}

/**
 * Scanning one source text: bound checks, parse, the compiled rule queries, text rules,
 * import-time and flow passes. Code is only parsed, never run or imported.
 */
import type { Node, Parser, Query, QueryMatch, Tree } from 'web-tree-sitter';
import { bidiTextRule, packedTextRule } from '../rules/index.ts';
import type { Finding, SourceLanguage } from '../types.ts';
import { applyBinding } from './bindings.ts';
import { createFileState, type FileState, toFindings } from './file-context.ts';
import { runFlows } from './flow.ts';
import type { Grammars } from './grammars.ts';
import { importTimePass } from './import-time.ts';
import { installTimeRanges } from './install-time.ts';
import type { Captures } from './matcher.ts';
import type { CompiledQuery, LanguageQueries, QueryProgram } from './query-set.ts';
import { isMainGuard, type Scope, ScopeIndex } from './scopes.ts';

export interface SourceScanOptions {
	/** `clock()` value after which the file is abandoned. */
	deadline: number;
	clock: () => number;
	maxNestingDepth: number;
}

/** One source text's scan: its findings, or why it was not (fully) scanned. */
export type SourceScanResult =
	| { status: 'scanned'; findings: Finding[]; lines: number }
	| { status: 'too-deep'; depth: number; lines: number }
	| { status: 'timeout'; findings: Finding[]; lines: number };

/** Signals the per-file time bound from deep inside a pass. */
export class FileTimeout extends Error {}

/** Deepest bracket nesting, counted on the raw text (strings included: it only errs upward). */
export function bracketDepth(text: string, stopAt: number): number {
	let depth = 0;
	let deepest = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 40 || c === 91 || c === 123) {
			depth++;
			if (depth > deepest) {
				deepest = depth;
				if (deepest > stopAt) return deepest;
			}
		} else if ((c === 41 || c === 93 || c === 125) && depth > 0) {
			depth--;
		}
	}
	return deepest;
}

export function countLines(text: string): number {
	let lines = text.length > 0 && !text.endsWith('\n') ? 1 : 0;
	for (let i = text.indexOf('\n'); i !== -1; i = text.indexOf('\n', i + 1)) lines++;
	return lines;
}

function capturesOf(match: QueryMatch): Captures {
	const captures: Record<string, Node> = {};
	for (const capture of match.captures) captures[capture.name] ??= capture.node;
	return captures;
}

export interface SourceScanner {
	/**
	 * Makes ready what scanning a language needs (its compiled rules), so that the cost is not
	 * counted against the first file's time bound. `scan` does it too when not done.
	 */
	prepare?(language: SourceLanguage): void;
	scan(
		path: string,
		language: SourceLanguage,
		text: string,
		options: SourceScanOptions,
	): SourceScanResult;
}

export function createSourceScanner(
	parser: Parser,
	grammars: Grammars,
	/** The compiled rules of a language; may compile them on first use. */
	queriesFor: (language: SourceLanguage) => LanguageQueries,
): SourceScanner {
	return {
		prepare(language) {
			queriesFor(language);
		},
		scan(path, language, text, options) {
			const lines = countLines(text);
			const depth = bracketDepth(text, options.maxNestingDepth);
			if (depth > options.maxNestingDepth) return { status: 'too-deep', depth, lines };
			const queries = queriesFor(language);
			let deadline = options.deadline;
			const expired = () => options.clock() > deadline;
			// A rare rule's query is compiled when a file first needs it: like the main query's
			// compilation (`prepare`), that is not this file's time.
			const programOf = (compiled: CompiledQuery): QueryProgram => {
				if (compiled.compiled()) return compiled.program();
				const start = options.clock();
				const program = compiled.program();
				deadline += options.clock() - start;
				return program;
			};
			parser.setLanguage(grammars[language]);
			const tree = parser.parse(text, null, { progressCallback: expired as () => void });
			if (tree === null) {
				// A cancelled parse leaves state behind that the next parse would resume.
				parser.reset();
				return { status: 'timeout', findings: [], lines };
			}
			const file = createFileState(path, language, text);
			try {
				runRules(tree, file, queries, expired, programOf);
				return { status: 'scanned', findings: toFindings(path, text, file.finish()), lines };
			} catch (error) {
				if (!(error instanceof FileTimeout)) throw error;
				return { status: 'timeout', findings: toFindings(path, text, file.finish()), lines };
			} finally {
				tree.delete();
			}
		},
	};
}

/** Anchor spans closer than this are queried together: one cursor run instead of two. */
const MERGE_GAP = 256;
/** Past this many anchors in a file, one whole-file pass is cheaper than many spans. */
const MAX_SPANS = 2000;

interface Collected {
	scopes: Scope[];
	guards: Scope[];
}

function runQuery(
	query: Query,
	root: Node,
	expired: () => boolean,
	span?: { start: number; end: number },
): QueryMatch[] {
	const options =
		span === undefined
			? { progressCallback: expired as () => void }
			: { startIndex: span.start, endIndex: span.end, progressCallback: expired as () => void };
	const matches = query.matches(root, options);
	if (expired()) throw new FileTimeout();
	return matches;
}

interface Anchored {
	spans: { start: number; end: number }[];
	/** The `needs` regexes that occur in the file. */
	met: Set<RegExp>;
}

/** Where the anchors of a conditional query occur, merged into spans; undefined: nowhere. */
function anchorSpans(compiled: CompiledQuery, text: string): Anchored | undefined {
	const hits: { start: number; end: number }[] = [];
	const met = new Set<RegExp>();
	const anchors = compiled.anchors ?? [];
	for (let i = 0; i < anchors.length; i++) {
		const anchor = anchors[i] as RegExp;
		anchor.lastIndex = 0;
		for (let match = anchor.exec(text); match !== null; match = anchor.exec(text)) {
			met.add(compiled.needs[i] as RegExp);
			hits.push({ start: match.index, end: match.index + Math.max(1, match[0].length) });
			if (match[0].length === 0) anchor.lastIndex++;
			if (hits.length > MAX_SPANS) break;
		}
	}
	if (hits.length === 0) return undefined;
	if (hits.length > MAX_SPANS) return { spans: [{ start: 0, end: text.length }], met };
	hits.sort((a, b) => a.start - b.start);
	const spans = [hits[0] as { start: number; end: number }];
	for (const hit of hits.slice(1)) {
		const last = spans[spans.length - 1] as { start: number; end: number };
		if (hit.start <= last.end + MERGE_GAP) last.end = Math.max(last.end, hit.end);
		else spans.push({ ...hit });
	}
	return { spans, met };
}

function dispatch(
	program: QueryProgram,
	matches: QueryMatch[],
	file: FileState,
	expired: () => boolean,
	collected: Collected,
	met?: ReadonlySet<RegExp>,
): void {
	const needsMet = new Map<RegExp, boolean>();
	const meets = (need: RegExp | undefined) => {
		if (need === undefined) return true;
		if (met !== undefined) return met.has(need);
		let known = needsMet.get(need);
		if (known === undefined) {
			known = need.test(file.text);
			needsMet.set(need, known);
		}
		return known;
	};
	// Imports first: a call above an import in the text still resolves through it.
	for (const match of matches) {
		if (program.groups[match.patternIndex]?.role === 'binding') {
			applyBinding(file.family, capturesOf(match), file.bindings, file.names);
		}
	}
	let count = 0;
	for (const match of matches) {
		if ((++count & 255) === 0 && expired()) throw new FileTimeout();
		const group = program.groups[match.patternIndex];
		if (group === undefined || group.role === 'binding') continue;
		const captures = capturesOf(match);
		if (group.role === 'scope' || group.role === 'guard') {
			const body = captures.body;
			if (body === undefined) continue;
			if (
				group.role === 'guard' &&
				!(captures.condition && isMainGuard(file.family, captures.condition))
			) {
				continue;
			}
			(group.role === 'scope' ? collected.scopes : collected.guards).push({
				start: body.startIndex,
				end: body.endIndex,
				node: body,
				...(captures.fn !== undefined ? { fn: captures.fn } : {}),
			});
			continue;
		}
		for (const matcher of group.matchers) {
			if (meets(matcher.needs)) matcher.check(captures, file);
		}
	}
}

/** The first node the parser had to invent or skip, following only subtrees with errors. */
function firstError(root: Node): Node {
	let node = root;
	for (let depth = 0; depth < 100_000; depth++) {
		let next: Node | undefined;
		for (const child of node.children) {
			if (child.isError || child.isMissing) return child;
			if (child.hasError) {
				next = child;
				break;
			}
		}
		if (next === undefined) return node;
		node = next;
	}
	return node;
}

function runRules(
	tree: Tree,
	file: FileState,
	queries: LanguageQueries,
	expired: () => boolean,
	programOf: (compiled: CompiledQuery) => QueryProgram,
): void {
	const root = tree.rootNode;
	const collected: Collected = { scopes: [], guards: [] };
	const main = programOf(queries.main);
	dispatch(main, runQuery(main.query, root, expired), file, expired, collected);
	for (const compiled of queries.conditional) {
		const anchored = anchorSpans(compiled, file.text);
		if (anchored === undefined) continue;
		const program = programOf(compiled);
		for (const span of anchored.spans) {
			const matches = runQuery(program.query, root, expired, span);
			dispatch(program, matches, file, expired, collected, anchored.met);
		}
	}
	if (file.family === 'js') packedTextRule(file);
	bidiTextRule(file);
	if (root.hasError) {
		file.report(
			'partial-parse',
			firstError(root),
			'part of the file could not be parsed; findings there may be missing',
		);
	}
	if (file.findings.length === 0 && file.sources.length === 0) return;
	const scopes = new ScopeIndex(collected.scopes);
	const install = file.family === 'python' ? installTimeRanges(root, file.text) : [];
	importTimePass(file, scopes, collected.guards, install);
	runFlows(file, root, scopes, () => {
		if (expired()) throw new FileTimeout();
	});
}

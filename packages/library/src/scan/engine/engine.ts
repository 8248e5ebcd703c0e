/**
 * The scan engine: grammars, compiled rule queries and a parser, ready to scan source texts.
 * Building it loads the four grammars; each language's queries are compiled on first use, which
 * is most of the start-up. A process that scans many plugins builds it once and passes it to
 * `scanPlugin` (or uses the shared one).
 */
import { Parser } from 'web-tree-sitter';
import { ALL_MATCHERS } from '../rules/index.ts';
import type { SourceLanguage } from '../types.ts';
import { loadGrammars } from './grammars.ts';
import { familyOf, type Matcher } from './matcher.ts';
import { compileLanguage, type LanguageQueries, rulesUnavailable } from './query-set.ts';
import { createSourceScanner, type SourceScanner } from './scan-source.ts';

export interface ScanEngine extends SourceScanner {}

export async function createScanEngine(
	matchers: readonly Matcher[] = ALL_MATCHERS,
): Promise<ScanEngine> {
	const grammars = await loadGrammars();
	// Each language's rules are compiled when a file of it is first scanned: most plugins are
	// Python only, and compiling the queries is most of the engine's start-up.
	const compiled = new Map<SourceLanguage, LanguageQueries>();
	const queriesFor = (language: SourceLanguage): LanguageQueries => {
		let queries = compiled.get(language);
		if (queries === undefined) {
			try {
				queries = compileLanguage(grammars[language], familyOf(language), matchers);
			} catch (error) {
				throw rulesUnavailable(error);
			}
			compiled.set(language, queries);
		}
		return queries;
	};
	return createSourceScanner(new Parser(), grammars, queriesFor);
}

let shared: Promise<ScanEngine> | undefined;

/**
 * One engine per process for callers that do not pass their own. Grammars and compiled
 * queries never change after loading, and scans use the parser one synchronous parse at a
 * time, so sharing it is safe.
 */
export function defaultScanEngine(): Promise<ScanEngine> {
	shared ??= createScanEngine().catch((error: unknown) => {
		shared = undefined;
		throw error;
	});
	return shared;
}

/**
 * Readies the shared engine, and the rules of `languages`, ahead of a scan: a caller that will
 * scan code it is still fetching calls it first, so that loading the grammars and compiling
 * the rules overlap the download instead of following it.
 */
export async function prepareScanEngine(languages: readonly SourceLanguage[] = []): Promise<void> {
	const engine = await defaultScanEngine();
	for (const language of languages) engine.prepare?.(language);
}

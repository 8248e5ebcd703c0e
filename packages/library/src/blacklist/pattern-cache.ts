/**
 * `url_regex` patterns compiled on first use, each distinct source once.
 *
 * Why lazily: compiling costs about 0.1 ms per pattern with RE2 in wasm, far more than checking
 * every installed plugin, and the prefilter means most patterns never run at all.
 *
 * Why a cache the caller can keep: re2-wasm never frees a compiled pattern on Node 20 (its
 * finaliser hook is missing) and its heap is fixed, so a few thousand compilations exhaust it.
 * A long-running host should keep one cache for its lifetime and pass it to every
 * `compileBlacklist`, so a refreshed blacklist only compiles the patterns that are new.
 *
 * A pattern RE2 rejects matches nothing (D3). A failure of the engine itself is different: then
 * nothing can be known about any pattern, and the check must refuse, not pass (D1).
 */
import {
	type CompiledPattern,
	compilePythonPattern,
	type PatternOptions,
} from '../core/pyregex.ts';
import { blacklistError } from './errors.ts';
import { describeError } from './verdict.ts';

export type PatternOutcome = { ok: true; pattern: CompiledPattern } | { ok: false; error: string };

export interface PatternCache {
	/**
	 * The compiled pattern, or why RE2 refused it. Throws BLACKLIST_ENGINE_FAILED when the
	 * engine cannot compile anything (out of memory), which no caller may read as "no match".
	 */
	get(source: string, options?: PatternOptions): PatternOutcome;
}

export interface PatternCacheOptions {
	/** The compiler; tests pass one that fails like a broken engine. */
	compile?: (source: string, options?: PatternOptions) => CompiledPattern;
}

export function createPatternCache(options: PatternCacheOptions = {}): PatternCache {
	const compile = options.compile ?? compilePythonPattern;
	const compiled = new Map<string, PatternOutcome>();
	return {
		get(source, options = {}) {
			// The case-blind variant is compiled only for the few patterns that need it.
			const ignoreCase = options.ignoreCase === true;
			const key = ignoreCase ? `i\u0000${source}` : source;
			let outcome = compiled.get(key);
			if (outcome === undefined) {
				try {
					outcome = {
						ok: true,
						pattern: ignoreCase ? compile(source, { ignoreCase }) : compile(source),
					};
				} catch (error) {
					if (!isPatternRejection(error)) {
						throw blacklistError(
							'BLACKLIST_ENGINE_FAILED',
							`The regex engine failed, so the blacklist cannot be checked: ${describeError(error)}`,
							{ hint: 'Restart the program; if it keeps failing, report it.', cause: error },
						);
					}
					outcome = { ok: false, error: describeError(error) };
				}
				compiled.set(key, outcome);
			}
			return outcome;
		},
	};
}

/**
 * RE2 refusing the pattern (a SyntaxError from re2-wasm, or our own length and emptiness
 * checks, which have no cause) as opposed to the engine breaking (a wasm RuntimeError).
 */
function isPatternRejection(error: unknown): boolean {
	if (!(error instanceof Error)) return false;
	if (error instanceof SyntaxError) return true;
	const cause = error.cause;
	return (
		(error as { code?: unknown }).code === 'INVALID_REGEX' &&
		(cause === undefined || cause instanceof SyntaxError)
	);
}

/**
 * Registry patterns (`url_regex`, `regex:` version schemes) are written in Python `re`
 * syntax and come from the network. They run on RE2 (D3): linear time, so no pattern can
 * hang a client, and no backreferences or lookaround.
 */
import { createRequire } from 'node:module';
import type { RE2 } from 're2-wasm';
import { coreError } from './errors.ts';

/**
 * re2-wasm compiles its WebAssembly when it is loaded, which costs more than a whole
 * `vouch check-blacklist` against a registry without patterns; it is loaded on the first
 * pattern instead. It is CommonJS, so `require` keeps `compilePythonPattern` synchronous.
 */
let engine: typeof RE2 | undefined;
function re2(): typeof RE2 {
	engine ??= (createRequire(import.meta.url)('re2-wasm') as typeof import('re2-wasm')).RE2;
	return engine;
}

/** Patterns longer than this are refused before compiling. */
export const MAX_PATTERN_LENGTH = 1024;

export interface CompiledPattern {
	readonly source: string;
	/** Python `re.search`: a match anywhere. */
	search(text: string): boolean;
	/** Python `re.match`: anchored at the start only. */
	matchStart(text: string): boolean;
}

/** Python spellings that RE2 writes differently. `(?P<n>...)` RE2 accepts as it is. */
function toRe2Syntax(pattern: string): string {
	let out = '';
	for (let i = 0; i < pattern.length; i++) {
		const ch = pattern.charAt(i);
		if (ch === '\\' && i + 1 < pattern.length) {
			const next = pattern.charAt(i + 1);
			// Python's \Z is "end of string", which RE2 spells \z.
			out += next === 'Z' ? '\\z' : `\\${next}`;
			i++;
			continue;
		}
		out += ch;
	}
	return out;
}

/** Compiles a Python-syntax pattern, or throws INVALID_REGEX with RE2's reason. */
export interface PatternOptions {
	/** Letters match either case (`re.IGNORECASE`). */
	ignoreCase?: boolean;
}

export function compilePythonPattern(
	pattern: string,
	options: PatternOptions = {},
): CompiledPattern {
	if (typeof pattern !== 'string' || pattern.length === 0) {
		throw coreError('INVALID_REGEX', 'The pattern is empty.');
	}
	if (pattern.length > MAX_PATTERN_LENGTH) {
		throw coreError(
			'INVALID_REGEX',
			`The pattern is longer than ${MAX_PATTERN_LENGTH} characters.`,
		);
	}
	const source = toRe2Syntax(pattern);
	let searcher: RE2;
	let anchored: RE2;
	try {
		const Engine = re2();
		const flags = options.ignoreCase === true ? 'iu' : 'u';
		searcher = new Engine(source, flags);
		anchored = new Engine(source, `${flags}y`);
	} catch (error) {
		throw coreError('INVALID_REGEX', `RE2 cannot compile the pattern: ${describe(error)}`, {
			hint: 'Backreferences and lookaround are not supported; rewrite the pattern without them.',
			cause: error,
		});
	}
	return {
		source: pattern,
		search: (text) => {
			searcher.lastIndex = 0;
			return searcher.test(text);
		},
		matchStart: (text) => {
			anchored.lastIndex = 0;
			return anchored.test(text);
		},
	};
}

/** The compile error for a pattern, or undefined when RE2 accepts it. */
export function patternError(pattern: string): string | undefined {
	try {
		compilePythonPattern(pattern);
		return undefined;
	} catch (error) {
		return describe(error);
	}
}

function describe(error: unknown): string {
	return error instanceof Error ? error.message : String(error);
}

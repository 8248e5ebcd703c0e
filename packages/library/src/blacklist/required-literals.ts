/**
 * Required literals of a `url_regex`: substrings every match must contain. The compiled
 * blacklist tests a pattern only against URLs that contain all of them, which turns thousands
 * of RE2 runs per URL into one Aho–Corasick scan.
 *
 * Soundness matters more than reach: a literal claimed here that a match could avoid would let
 * a blacklisted plugin through. So the scan is conservative. It reads only the top level of
 * the pattern (RE2's reading of it), and anything it does not fully understand either ends the
 * current run of literals or, where the meaning of what follows is in doubt (inline flags,
 * `\Q…\E`, hex and Unicode escapes, POSIX classes, a top-level `|`), gives the pattern no
 * literal at all, so it is always tested.
 */

/** Shorter runs occur in too many URLs to filter anything. */
export const MIN_LITERAL_LENGTH = 3;
/** The longest runs are the most selective; a few of them are plenty. */
export const MAX_LITERALS_PER_PATTERN = 4;

/** Escapes of one letter that match something other than themselves: end the run. */
const NON_LITERAL_ESCAPES = new Set(['b', 'B', 'A', 'z', 'Z', 'd', 'D', 'w', 'W', 's', 'S']);
/** Control-character escapes: literal, but not worth reasoning about; end the run. */
const CONTROL_ESCAPES = new Set(['n', 't', 'r', 'f', 'v', 'a']);

const REPLACEMENT_CHARACTER = 0xfffd;

/**
 * Up to MAX_LITERALS_PER_PATTERN substrings (each at least MIN_LITERAL_LENGTH code points) that
 * any text the pattern matches must contain, longest first; undefined when none is certain.
 */
export function requiredLiterals(pattern: string): string[] | undefined {
	const scan = scanTopLevel(pattern);
	if (scan === undefined) return undefined;
	const distinct = [...new Set(scan)].sort((a, b) => b.length - a.length);
	const chosen = distinct.slice(0, MAX_LITERALS_PER_PATTERN);
	return chosen.length === 0 ? undefined : chosen;
}

/** Runs of consecutive single literals at depth 0, or undefined when in doubt. */
function scanTopLevel(pattern: string): string[] | undefined {
	const runs: string[] = [];
	// Code points, so a quantifier removes a whole character, as RE2 applies it.
	let run: string[] = [];
	const endRun = () => {
		if (run.length >= MIN_LITERAL_LENGTH) runs.push(run.join(''));
		run = [];
	};
	let depth = 0;
	let i = 0;
	while (i < pattern.length) {
		const cp = pattern.codePointAt(i) as number;
		const ch = String.fromCodePoint(cp);
		switch (ch) {
			case '\\': {
				const next = pattern.charAt(i + 1);
				if (next === '') return undefined;
				if (isAsciiNonAlphanumeric(next)) {
					if (depth === 0) run.push(next);
				} else if (NON_LITERAL_ESCAPES.has(next) || CONTROL_ESCAPES.has(next)) {
					endRun();
				} else {
					// \x41, \u…, \p{…}, \Q…\E, \1...: their length or meaning is not ours to guess.
					return undefined;
				}
				i += 2;
				continue;
			}
			case '(': {
				endRun();
				if (pattern.charAt(i + 1) === '?' && !isPlainGroupOpening(pattern, i)) return undefined;
				depth++;
				i++;
				continue;
			}
			case ')': {
				endRun();
				if (depth === 0) return undefined;
				depth--;
				i++;
				continue;
			}
			case '[': {
				endRun();
				const end = classEnd(pattern, i);
				if (end === undefined) return undefined;
				i = end;
				continue;
			}
			case '|': {
				// A top-level alternative makes every literal optional.
				if (depth === 0) return undefined;
				i++;
				continue;
			}
			case '*':
			case '?': {
				// The character before may be absent: drop it, and end the run there.
				run.pop();
				endRun();
				i++;
				continue;
			}
			case '+': {
				// The character is there at least once, but what follows may not be adjacent.
				endRun();
				i++;
				continue;
			}
			case '{': {
				const end = repetitionEnd(pattern, i);
				// `{m,n}` may allow zero; a `{` RE2 reads as literal is just not counted.
				if (end !== undefined) run.pop();
				endRun();
				i = end ?? i + 1;
				continue;
			}
			case '.':
			case '^':
			case '$': {
				endRun();
				i++;
				continue;
			}
			default: {
				// Lone surrogates and U+FFFD are read differently once RE2 converts to UTF-8.
				if (cp === REPLACEMENT_CHARACTER || (cp >= 0xd800 && cp <= 0xdfff)) endRun();
				else if (depth === 0) run.push(ch);
				i += ch.length;
			}
		}
	}
	endRun();
	return depth === 0 ? runs : undefined;
}

function isAsciiNonAlphanumeric(ch: string): boolean {
	const code = ch.charCodeAt(0);
	if (code >= 0x80) return false;
	const alnum =
		(code >= 0x30 && code <= 0x39) ||
		(code >= 0x41 && code <= 0x5a) ||
		(code >= 0x61 && code <= 0x7a);
	return !alnum;
}

/** `(?:` and named groups only; inline flags such as `(?i)` change what literals mean. */
function isPlainGroupOpening(pattern: string, open: number): boolean {
	const after = pattern.slice(open + 2, open + 4);
	if (after.startsWith(':') || after === 'P<') return true;
	return after.startsWith('<') && after !== '<=' && after !== '<!';
}

/** Index just past the class opened at `open`, or undefined when in doubt. */
function classEnd(pattern: string, open: number): number | undefined {
	let j = open + 1;
	if (pattern.charAt(j) === '^') j++;
	// A `]` first in the class is a member, not the end.
	if (pattern.charAt(j) === ']') j++;
	while (j < pattern.length) {
		const c = pattern.charAt(j);
		if (c === '\\') {
			const next = pattern.charAt(j + 1);
			if (next === '' || next === 'Q' || next === 'E') return undefined;
			j += 2;
			continue;
		}
		// `[[:alpha:]]` and friends: a nested `[` may not end where a plain scan thinks.
		if (c === '[') return undefined;
		if (c === ']') return j + 1;
		j++;
	}
	return undefined;
}

/** Index just past `{m}`, `{m,}`, `{,n}` or `{m,n}` at `open`, or undefined. */
function repetitionEnd(pattern: string, open: number): number | undefined {
	let j = open + 1;
	while (isAsciiDigit(pattern.charCodeAt(j))) j++;
	if (pattern.charAt(j) === ',') {
		j++;
		while (isAsciiDigit(pattern.charCodeAt(j))) j++;
	}
	return pattern.charAt(j) === '}' ? j + 1 : undefined;
}

function isAsciiDigit(code: number): boolean {
	return code >= 0x30 && code <= 0x39;
}

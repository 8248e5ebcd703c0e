/**
 * A linear test that rules text out as code before any parse: two words side by side on a
 * line (`This plugin`, `<ui version=`, `name = My Plugin`) are a syntax error in Python and in
 * JavaScript unless one of them is a keyword. Prose, markup and most configuration fail it in
 * their first line, so the parser (whose error recovery on long prose costs seconds) only sees
 * text that may be code. Strings, comments and regular expressions are skipped, so code that
 * hides words in them still passes.
 */

/** Python and JavaScript/TypeScript keywords, soft keywords and contextual words. */
const KEYWORDS = new Set(
	(
		'and as assert async await break case catch class const continue debugger def default del ' +
		'delete do elif else enum except export extends finally for from function global if ' +
		'implements import in instanceof interface is lambda let match new nonlocal not of or ' +
		'package pass private protected public raise return static super switch throw try type ' +
		'typeof var void while with yield get set declare namespace module abstract readonly ' +
		'keyof infer satisfies unique asserts override accessor'
	).split(' '),
);

function isWordChar(code: number): boolean {
	return (
		(code >= 48 && code <= 57) ||
		(code >= 65 && code <= 90) ||
		(code >= 97 && code <= 122) ||
		code === 95 ||
		code === 36 ||
		code > 127
	);
}

/** False when the text cannot be Python or JavaScript without a syntax error. */
export function mayBeCode(text: string, python: boolean): boolean {
	let previous: string | undefined;
	/** The last token could end an operand: a `/` after it divides, otherwise starts a regex. */
	let operand = false;
	const length = text.length;
	// A `#!` line is read by the shell, not the language.
	const start = text.startsWith('#!') ? Math.max(0, text.indexOf('\n')) : 0;
	for (let i = start; i < length; i++) {
		const c = text.charCodeAt(i);
		if (c === 10) {
			previous = undefined;
			operand = false;
			continue;
		}
		if (c === 32 || c === 9 || c === 13 || c === 12) continue;
		const char = text[i] as string;
		if (char === '"' || char === "'" || char === '`') {
			i = skipString(text, i, python);
			previous = undefined;
			operand = true;
			continue;
		}
		if (python ? char === '#' : char === '/' && text[i + 1] === '/') {
			const end = text.indexOf('\n', i);
			i = end === -1 ? length : end - 1;
			continue;
		}
		if (!python && char === '/' && text[i + 1] === '*') {
			const end = text.indexOf('*/', i + 2);
			i = end === -1 ? length : end + 1;
			continue;
		}
		if (!python && char === '/' && !operand) {
			i = skipRegex(text, i);
			previous = undefined;
			operand = true;
			continue;
		}
		if (isWordChar(c)) {
			let end = i + 1;
			while (end < length && isWordChar(text.charCodeAt(end))) end++;
			const word = text.slice(i, end);
			if (previous !== undefined && !KEYWORDS.has(previous) && !KEYWORDS.has(word)) return false;
			previous = word;
			operand = !KEYWORDS.has(word);
			i = end - 1;
			continue;
		}
		previous = undefined;
		operand = char === ')' || char === ']' || char === '}';
	}
	return true;
}

function skipString(text: string, at: number, python: boolean): number {
	const quote = text[at] as string;
	const triple = python && text.startsWith(quote.repeat(3), at);
	const closing = triple ? quote.repeat(3) : quote;
	const multiline = triple || quote === '`';
	for (let i = at + closing.length; i < text.length; i++) {
		const c = text[i];
		if (c === '\\') {
			i++;
		} else if (text.startsWith(closing, i)) {
			return i + closing.length - 1;
		} else if (c === '\n' && !multiline) {
			return i - 1;
		}
	}
	return text.length;
}

function skipRegex(text: string, at: number): number {
	let inClass = false;
	for (let i = at + 1; i < text.length; i++) {
		const c = text[i];
		if (c === '\\') i++;
		else if (c === '[') inClass = true;
		else if (c === ']') inClass = false;
		else if (c === '/' && !inClass) return i;
		else if (c === '\n') return i - 1;
	}
	return text.length;
}

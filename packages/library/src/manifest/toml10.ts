/**
 * Finds TOML 1.1 syntax in a document that smol-toml has already parsed.
 *
 * Why: smol-toml reads TOML 1.1, but Picard reads manifests with Python's `tomllib`, which is
 * TOML 1.0 and refuses these constructs. Two parsers that disagree about one file are a
 * classic source of confusion (smol-toml even turns `2020-02-30` into `2020-03-01`), and a
 * manifest Vouch accepts must load in the host. So Vouch refuses what `tomllib` refuses:
 * - `\xHH` and `\e` escapes in basic strings;
 * - newlines (hence comments) and trailing commas inside inline tables;
 * - times without seconds;
 * - calendar dates that do not exist;
 * - a byte-order mark.
 * The fixtures are cross-checked against `tomllib` in the tests.
 *
 * The scan is linear and only has to tell strings, comments, brackets and bare tokens apart,
 * because the text is already known to be valid TOML 1.1.
 */

export interface Toml11Construct {
	/** 1-based. */
	line: number;
	/** 1-based, in UTF-16 units like smol-toml's positions. */
	column: number;
	what: string;
}

type Container = 'header' | 'array' | 'inline';

const BARE_TOKEN = /[A-Za-z0-9_+\-.:]/;

function position(text: string, index: number): { line: number; column: number } {
	let line = 1;
	let lineStart = 0;
	for (let i = 0; i < index; i++) {
		if (text.charCodeAt(i) === 0x0a) {
			line++;
			lineStart = i + 1;
		}
	}
	return { line, column: index - lineStart + 1 };
}

function daysInMonth(year: number, month: number): number {
	if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
	return [4, 6, 9, 11].includes(month) ? 30 : 31;
}

/** Problems in one bare value token (`2020-02-30`, `07:32`, `1979-05-27T07:32Z`). */
function tokenProblem(
	token: string,
	isValue: boolean,
): { offset: number; what: string } | undefined {
	const date = /^(\d{4})-(\d{2})-(\d{2})/.exec(token);
	if (date && isValue) {
		const [year, month, day] = [Number(date[1]), Number(date[2]), Number(date[3])];
		if (month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) {
			return { offset: 0, what: 'a date that does not exist' };
		}
	}
	// A colon can only be part of a time: bare keys never contain one.
	const colon = token.indexOf(':');
	if (colon !== -1 && token.charAt(colon + 3) !== ':') {
		return { offset: colon - 2, what: 'a time without seconds' };
	}
	return undefined;
}

/** Index just past a string starting at `start`; reports 1.1-only escapes through `onEscape`. */
function skipString(text: string, start: number, onEscape: (at: number) => void): number {
	const quote = text.charAt(start);
	const multiline = text.startsWith(quote.repeat(3), start);
	const delimiter = multiline ? quote.repeat(3) : quote;
	let i = start + delimiter.length;
	while (i < text.length) {
		const c = text.charAt(i);
		if (c === '\\' && quote === '"') {
			const escapeChar = text.charAt(i + 1);
			if (escapeChar === 'x' || escapeChar === 'e') onEscape(i);
			i += 2;
			continue;
		}
		if (text.startsWith(delimiter, i)) {
			i += delimiter.length;
			// Up to two more quotes right before the closing delimiter belong to the string.
			for (let extra = 0; multiline && extra < 2 && text.charAt(i) === quote; extra++) i++;
			return i;
		}
		i++;
	}
	return i;
}

/** The first TOML 1.1-only construct in `text`, or undefined when it is plain TOML 1.0. */
export function findToml11Construct(text: string): Toml11Construct | undefined {
	const report = (index: number, what: string): Toml11Construct => ({
		...position(text, index),
		what,
	});
	if (text.charCodeAt(0) === 0xfeff) return report(0, 'a byte-order mark');

	const stack: Container[] = [];
	let lineStart = true;
	// The last significant character outside strings and comments ('v' for a value token).
	let last = '';
	let i = 0;
	while (i < text.length) {
		const c = text.charAt(i);
		const inner = stack[stack.length - 1];
		if (c === '\n') {
			if (inner === 'inline') return report(i, 'a line break inside an inline table');
			lineStart = true;
			i++;
			continue;
		}
		if (c === ' ' || c === '\t' || c === '\r') {
			i++;
			continue;
		}
		if (c === '#') {
			const end = text.indexOf('\n', i);
			i = end === -1 ? text.length : end;
			continue;
		}
		const atLineStart = lineStart;
		lineStart = false;
		if (c === '"' || c === "'") {
			let escapeAt = -1;
			i = skipString(text, i, (at) => {
				if (escapeAt === -1) escapeAt = at;
			});
			if (escapeAt !== -1) return report(escapeAt, 'an escape that TOML 1.0 does not define');
			last = 'v';
			continue;
		}
		if (c === '[') {
			if (atLineStart && stack.length === 0) {
				stack.push('header');
				if (text.charAt(i + 1) === '[') i++;
			} else {
				stack.push('array');
			}
		} else if (c === ']') {
			if (stack.pop() === 'header' && text.charAt(i + 1) === ']') i++;
		} else if (c === '{') {
			stack.push('inline');
		} else if (c === '}') {
			if (last === ',') return report(i, 'a trailing comma in an inline table');
			stack.pop();
		} else if (BARE_TOKEN.test(c)) {
			let end = i + 1;
			while (end < text.length && BARE_TOKEN.test(text.charAt(end))) end++;
			const token = text.slice(i, end);
			const isValue = last === '=' || inner === 'array';
			if (/^\d/.test(token)) {
				const problem = tokenProblem(token, isValue);
				if (problem) return report(i + Math.max(0, problem.offset), problem.what);
			}
			i = end;
			last = 'v';
			continue;
		}
		last = c;
		i++;
	}
	return undefined;
}

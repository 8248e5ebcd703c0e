/**
 * A TOML file as a list of statements (headers, key/value pairs, blank or comment lines), each
 * with the lines it spans. Registry edits splice whole statements, so everything they do not
 * touch (comments, blank lines, the order and spelling of keys) stays byte for byte.
 *
 * This is not a TOML parser: it only finds where statements start and end (strings and
 * brackets can span lines). Every edit is checked afterwards by decoding the result with the
 * real parser and comparing it with the intended document (`apply.ts`), so a misread layout
 * is refused, never written.
 */

export type Statement =
	| { kind: 'header'; start: number; end: number; path: string[]; array: boolean }
	| { kind: 'key'; start: number; end: number; path: string[] }
	| { kind: 'other'; start: number; end: number };

/** Scans lines (without their newlines) into statements covering every line in order. */
export function scanToml(lines: readonly string[]): Statement[] {
	const statements: Statement[] = [];
	let at = 0;
	while (at < lines.length) {
		const line = lines[at] as string;
		const trimmed = line.trimStart();
		if (trimmed === '' || trimmed.startsWith('#')) {
			statements.push({ kind: 'other', start: at, end: at + 1 });
			at++;
			continue;
		}
		if (trimmed.startsWith('[')) {
			const array = trimmed.startsWith('[[');
			const inner = trimmed.slice(array ? 2 : 1);
			const { path } = readKeyPath(inner);
			statements.push({ kind: 'header', start: at, end: at + 1, path, array });
			at++;
			continue;
		}
		const { path, rest } = readKeyPath(trimmed);
		const end = valueEnd(lines, at, rest.replace(/^\s*=/, ''));
		statements.push({ kind: 'key', start: at, end, path });
		at = end;
	}
	return statements;
}

/** A dotted key (`a.b`, `"a b".c`) at the start of `text`, and what follows it. */
function readKeyPath(text: string): { path: string[]; rest: string } {
	const path: string[] = [];
	let rest = text.trimStart();
	for (;;) {
		let part: string;
		if (rest.startsWith('"')) {
			const close = closingQuote(rest, 1, '"');
			part = unescapeBasic(rest.slice(1, close));
			rest = rest.slice(close + 1);
		} else if (rest.startsWith("'")) {
			const close = rest.indexOf("'", 1);
			part = rest.slice(1, close === -1 ? rest.length : close);
			rest = close === -1 ? '' : rest.slice(close + 1);
		} else {
			const match = /^[A-Za-z0-9_-]*/.exec(rest) as RegExpExecArray;
			part = match[0];
			rest = rest.slice(part.length);
		}
		path.push(part);
		rest = rest.trimStart();
		if (!rest.startsWith('.')) return { path, rest };
		rest = rest.slice(1).trimStart();
	}
}

function closingQuote(text: string, from: number, quote: string): number {
	for (let i = from; i < text.length; i++) {
		const ch = text.charAt(i);
		if (ch === '\\') i++;
		else if (ch === quote) return i;
	}
	return text.length;
}

/** Enough of basic-string unescaping for key names; the real parser checks the rest. */
function unescapeBasic(text: string): string {
	try {
		return JSON.parse(`"${text}"`) as string;
	} catch {
		return text;
	}
}

/**
 * The line after the last line of the value that starts in `first` (the text after `=` on
 * line `start`): brackets and multi-line strings may carry it over several lines.
 */
function valueEnd(lines: readonly string[], start: number, first: string): number {
	let depth = 0;
	let mode: 'none' | 'basic-ml' | 'literal-ml' = 'none';
	let text = first;
	for (let at = start; at < lines.length; at++) {
		if (at > start) text = lines[at] as string;
		let i = 0;
		while (i < text.length) {
			if (mode === 'basic-ml') {
				if (text.charAt(i) === '\\') i += 2;
				else if (text.startsWith('"""', i)) {
					mode = 'none';
					i += 3;
					while (text.charAt(i) === '"') i++;
				} else i++;
				continue;
			}
			if (mode === 'literal-ml') {
				if (text.startsWith("'''", i)) {
					mode = 'none';
					i += 3;
					while (text.charAt(i) === "'") i++;
				} else i++;
				continue;
			}
			const ch = text.charAt(i);
			if (ch === '#') break;
			if (text.startsWith('"""', i)) {
				mode = 'basic-ml';
				i += 3;
			} else if (text.startsWith("'''", i)) {
				mode = 'literal-ml';
				i += 3;
			} else if (ch === '"') {
				i = closingQuote(text, i + 1, '"') + 1;
			} else if (ch === "'") {
				const close = text.indexOf("'", i + 1);
				i = close === -1 ? text.length : close + 1;
			} else {
				if (ch === '[' || ch === '{') depth++;
				else if (ch === ']' || ch === '}') depth--;
				i++;
			}
		}
		if (mode === 'none' && depth <= 0) return at + 1;
	}
	return lines.length;
}

/** The comment at the end of a one-line statement (` # note`), with the space before it; or ''. */
export function trailingComment(line: string): string {
	for (let i = 0; i < line.length; i++) {
		const ch = line.charAt(i);
		if (ch === '"') i = closingQuote(line, i + 1, '"');
		else if (ch === "'") {
			const close = line.indexOf("'", i + 1);
			i = close === -1 ? line.length : close;
		} else if (ch === '#') {
			let start = i;
			while (start > 0 && /[ \t]/.test(line.charAt(start - 1))) start--;
			return line.slice(start);
		}
	}
	return '';
}

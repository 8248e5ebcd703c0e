/**
 * Reading calls out of source text without a parse: the arguments of a call found by name,
 * string literals, and simple path expressions. Used to find the files a plugin loads as code
 * (`loaded-code.ts`). Every loop is bounded by the text it looks at, and arguments by
 * `MAX_ARGUMENT_TEXT`: hostile text cannot make this quadratic or unbounded.
 */

/** Longest argument list looked at; a longer one counts as not determinable. */
const MAX_ARGUMENT_TEXT = 2000;

const OPENERS = new Set(['(', '[', '{']);
const CLOSERS = new Set([')', ']', '}']);

/**
 * The top-level arguments of the call whose `(` is at `open`, as trimmed texts; undefined when
 * the list does not close within the bound.
 */
export function callArguments(text: string, open: number): string[] | undefined {
	return callSpan(text, open)?.args;
}

/** The arguments and the index of the closing `)` of the call whose `(` is at `open`. */
export function callSpan(text: string, open: number): { args: string[]; end: number } | undefined {
	const args: string[] = [];
	let depth = 0;
	let start = open + 1;
	const end = Math.min(text.length, open + MAX_ARGUMENT_TEXT);
	for (let i = open; i < end; i++) {
		const c = text[i] as string;
		if (c === '"' || c === "'" || c === '`') {
			i = stringEnd(text, i, end);
			continue;
		}
		if (c === '#' && depth > 0 && text[i - 1] !== '$') {
			// A Python comment inside the argument list; harmless for JS, which has no `#` there.
			while (i < end && text[i] !== '\n') i++;
			continue;
		}
		if (OPENERS.has(c)) depth++;
		else if (CLOSERS.has(c)) {
			depth--;
			if (depth === 0) {
				const last = text.slice(start, i).trim();
				if (last !== '' || args.length > 0) args.push(last);
				return { args, end: i };
			}
		} else if (c === ',' && depth === 1) {
			args.push(text.slice(start, i).trim());
			start = i + 1;
		}
	}
	return undefined;
}

/** Index of the closing quote of the string opening at `at` (or `end`). */
function stringEnd(text: string, at: number, end: number): number {
	const quote = text[at] as string;
	const triple = quote !== '`' && text.startsWith(quote.repeat(3), at);
	const closing = triple ? quote.repeat(3) : quote;
	for (let i = at + closing.length; i < end; i++) {
		if (text[i] === '\\') {
			i++;
			continue;
		}
		if (text.startsWith(closing, i)) return i + closing.length - 1;
		if (!triple && quote !== '`' && text[i] === '\n') return i;
	}
	return end;
}

/**
 * The value of a plain string literal (no interpolation), or undefined. Python prefixes r, u
 * and b are allowed, f is not (it interpolates); simple escapes are read.
 */
export function stringLiteral(expression: string): string | undefined {
	const match = /^(?:[rRuUbB]{0,2})(['"`])((?:\\.|(?!\1)[^\\\n])*)\1$/s.exec(expression.trim());
	if (match === null) return undefined;
	const [, quote, body] = match as unknown as [string, string, string];
	if (quote === '`' && body.includes('${')) return undefined;
	return body.replace(/\\(.)/g, '$1');
}

/** The loading file's own name, in `PathExpression.parts` (`__file__`). */
export const SELF = '\u0000self';

/** Where a path expression starts from: the loading file's directory, or the working directory. */
export interface PathExpression {
	base: 'file' | 'cwd';
	/** `/`-separated parts after the base. */
	parts: string[];
}

const PY_FILE_DIR = [
	/^os\.path\.dirname\(\s*(?:os\.path\.(?:abspath|realpath)\(\s*)?__file__\s*\)?\s*\)$/,
	/^(?:pathlib\.)?Path\(\s*__file__\s*\)(?:\.(?:resolve|absolute)\(\s*\))?\.parent$/,
];
const JS_FILE_DIR = [/^__dirname$/, /^import\.meta\.dirname$/];

/**
 * A path written out in the code: a literal, or literals joined onto the file's own directory
 * (`os.path.join(os.path.dirname(__file__), 'x')`, `Path(__file__).parent / 'x'`,
 * `path.join(__dirname, 'x')`, `__dirname + '/x'`). `names` maps variables assigned once to
 * their expression (one level: a variable that names a variable is not followed).
 */
export function pathExpression(
	expression: string,
	names: ReadonlyMap<string, string>,
	depth = 0,
): PathExpression | undefined {
	const text = expression
		.trim()
		.replace(/^\((.*)\)$/s, '$1')
		.trim();
	if (depth > 3 || text.length > MAX_ARGUMENT_TEXT) return undefined;
	const literal = stringLiteral(text);
	if (literal !== undefined) return { base: 'cwd', parts: [literal] };
	if (/^(?:(?:pathlib\.)?Path\(\s*__file__\s*\)|__file__|__filename)$/.test(text)) {
		return { base: 'file', parts: [SELF] };
	}
	if ([...PY_FILE_DIR, ...JS_FILE_DIR].some((pattern) => pattern.test(text))) {
		return { base: 'file', parts: [] };
	}
	if (/^[A-Za-z_$][\w$]*$/.test(text)) {
		const bound = names.get(text);
		return bound === undefined ? undefined : pathExpression(bound, names, depth + 1);
	}
	const withName = /^(.*)\.(with_name|joinpath)\(\s*(.+)\s*\)$/s.exec(text);
	if (withName !== null) {
		const file = pathExpression(withName[1] as string, names, depth + 1);
		const name = stringLiteral(withName[3] as string);
		if (file === undefined || name === undefined) return undefined;
		const kept = withName[2] === 'with_name' ? file.parts.slice(0, -1) : file.parts;
		return { base: file.base, parts: [...kept, name] };
	}
	const operands = splitTopLevel(text);
	if (operands.length > 1) return joined(operands, names, depth);
	const join = /^(?:os\.path\.join|path\.join|path\.resolve|(?:pathlib\.)?Path)\s*\(/.exec(text);
	if (join !== null) {
		const call = callSpan(text, join[0].length - 1);
		if (call === undefined || call.end !== text.length - 1 || call.args.length === 0)
			return undefined;
		return joined(call.args, names, depth);
	}
	const template = /^`\$\{\s*__dirname\s*\}((?:[^`$\\]|\\.)*)`$/.exec(text);
	if (template !== null)
		return { base: 'file', parts: [(template[1] as string).replace(/^\//, '')] };
	return undefined;
}

function joined(
	pieces: string[],
	names: ReadonlyMap<string, string>,
	depth: number,
): PathExpression | undefined {
	const first = pathExpression(pieces[0] as string, names, depth + 1);
	if (first === undefined) return undefined;
	const parts = [...first.parts];
	for (const piece of pieces.slice(1)) {
		const literal = stringLiteral(piece);
		if (literal === undefined) return undefined;
		parts.push(literal.replace(/^\/+/, ''));
	}
	return { base: first.base, parts };
}

/** Splits on `/` and `+` at bracket depth 0, outside strings. */
function splitTopLevel(text: string): string[] {
	const pieces: string[] = [];
	let depth = 0;
	let start = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text[i] as string;
		if (c === '"' || c === "'" || c === '`') {
			i = stringEnd(text, i, text.length);
		} else if (OPENERS.has(c)) depth++;
		else if (CLOSERS.has(c)) depth--;
		else if (depth === 0 && (c === '/' || c === '+')) {
			pieces.push(text.slice(start, i).trim());
			start = i + 1;
		}
	}
	pieces.push(text.slice(start).trim());
	return pieces;
}

/**
 * Small, language-aware readers of syntax nodes: literal values, constant expressions and
 * call arguments. Every walk here is bounded, because a hostile file can nest expressions
 * thousands deep.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageFamily } from './matcher.ts';

const MAX_CONSTANT_DEPTH = 64;

/** Python string prefix letters (r, b, u, f and combinations). */
const PY_PREFIX = /^[A-Za-z]{0,3}/;

function quoteOf(body: string): string {
	if (body.startsWith('"""') || body.startsWith("'''")) return body.slice(0, 3);
	return body.charAt(0);
}

/** Interprets backslash escapes, so `'\x6f\x73'` reads as `os`, as the interpreter would. */
export function decodeEscapes(raw: string): string {
	if (!raw.includes('\\')) return raw;
	let out = '';
	for (let i = 0; i < raw.length; i++) {
		const c = raw.charAt(i);
		if (c !== '\\' || i + 1 >= raw.length) {
			out += c;
			continue;
		}
		const next = raw.charAt(i + 1);
		const hex = (len: number, from: number) => {
			const digits = raw.slice(from, from + len);
			return /^[0-9a-fA-F]+$/.test(digits) && digits.length === len
				? String.fromCodePoint(Number.parseInt(digits, 16))
				: undefined;
		};
		let decoded: string | undefined;
		let width = 2;
		if (next === 'x') {
			decoded = hex(2, i + 2);
			width = 4;
		} else if (next === 'u' && raw.charAt(i + 2) === '{') {
			const end = raw.indexOf('}', i + 3);
			const digits = end === -1 ? '' : raw.slice(i + 3, end);
			if (/^[0-9a-fA-F]{1,6}$/.test(digits) && Number.parseInt(digits, 16) <= 0x10ffff) {
				decoded = String.fromCodePoint(Number.parseInt(digits, 16));
				width = end - i + 1;
			}
		} else if (next === 'u') {
			decoded = hex(4, i + 2);
			width = 6;
		} else if (next === 'U') {
			const value = raw.slice(i + 2, i + 10);
			if (/^[0-9a-fA-F]{8}$/.test(value) && Number.parseInt(value, 16) <= 0x10ffff) {
				decoded = String.fromCodePoint(Number.parseInt(value, 16));
				width = 10;
			}
		} else if (next === 'N' && raw.charAt(i + 2) === '{') {
			// `\N{LATIN SMALL LETTER S}`: Python's named escapes, for the letters names are made of.
			const end = raw.indexOf('}', i + 3);
			const named = end === -1 ? undefined : namedCharacter(raw.slice(i + 3, end));
			if (named !== undefined) {
				decoded = named;
				width = end - i + 1;
			}
		} else if (next >= '0' && next <= '7') {
			const digits = /^[0-7]{1,3}/.exec(raw.slice(i + 1))?.[0] ?? '0';
			decoded = String.fromCharCode(Number.parseInt(digits, 8));
			width = 1 + digits.length;
		} else {
			const simple: Record<string, string> = { n: '\n', t: '\t', r: '\r', '0': '\0' };
			decoded = simple[next] ?? next;
		}
		if (decoded === undefined) {
			out += c;
			continue;
		}
		out += decoded;
		i += width - 1;
	}
	return out;
}

/** The characters identifiers are spelt with, by their Unicode names. */
function namedCharacter(name: string): string | undefined {
	const upper = name.trim().toUpperCase();
	const letter = /^LATIN (SMALL|CAPITAL) LETTER ([A-Z])$/.exec(upper);
	if (letter?.[2] !== undefined) {
		return letter[1] === 'SMALL' ? letter[2].toLowerCase() : letter[2];
	}
	const digit = /^DIGIT (ZERO|ONE|TWO|THREE|FOUR|FIVE|SIX|SEVEN|EIGHT|NINE)$/.exec(upper);
	if (digit?.[1] !== undefined) {
		return String(
			['ZERO', 'ONE', 'TWO', 'THREE', 'FOUR', 'FIVE', 'SIX', 'SEVEN', 'EIGHT', 'NINE'].indexOf(
				digit[1],
			),
		);
	}
	const other: Record<string, string> = { 'LOW LINE': '_', 'FULL STOP': '.', SOLIDUS: '/' };
	return other[upper];
}

function pythonString(node: Node): string | undefined {
	const text = node.text;
	const prefix = PY_PREFIX.exec(text)?.[0] ?? '';
	const lower = prefix.toLowerCase();
	const body = text.slice(prefix.length);
	const quote = quoteOf(body);
	if (quote === '' || !body.endsWith(quote) || body.length < quote.length * 2) return undefined;
	const content = body.slice(quote.length, body.length - quote.length);
	// An f-string with a replacement field is computed, not a literal.
	if (lower.includes('f') && /\{[^{]/.test(content.replace(/\{\{/g, ''))) return undefined;
	return lower.includes('r') ? content : decodeEscapes(content);
}

function jsString(node: Node): string | undefined {
	const text = node.text;
	if (text.length < 2) return undefined;
	// Template literals with `${...}` are computed.
	if (text.startsWith('`') && text.includes('${')) return undefined;
	return decodeEscapes(text.slice(1, -1));
}

/** The value of a plain string literal, or undefined for anything computed. */
export function stringValue(node: Node, family: LanguageFamily): string | undefined {
	const type = node.type;
	if (family === 'python') {
		if (type === 'string') return pythonString(node);
		if (type === 'concatenated_string') {
			let out = '';
			for (const part of node.namedChildren) {
				if (part.type === 'comment') continue;
				const value = pythonString(part);
				if (value === undefined) return undefined;
				out += value;
			}
			return out;
		}
		if (type === 'parenthesized_expression') {
			const inner = node.namedChild(0);
			return inner === null ? undefined : stringValue(inner, family);
		}
		return undefined;
	}
	if (type === 'string' || type === 'template_string') return jsString(node);
	if (type === 'parenthesized_expression') {
		const inner = node.namedChild(0);
		return inner === null ? undefined : stringValue(inner, family);
	}
	return undefined;
}

const PY_CONSTANTS = new Set(['integer', 'float', 'true', 'false', 'none']);
const JS_CONSTANTS = new Set(['number', 'true', 'false', 'null', 'undefined']);

/** True for literals and operators applied only to literals (`'a' + 'b'`, `2 * 3`). */
export function isConstant(node: Node, family: LanguageFamily, depth = 0): boolean {
	if (depth > MAX_CONSTANT_DEPTH) return false;
	if (stringValue(node, family) !== undefined) return true;
	const constants = family === 'python' ? PY_CONSTANTS : JS_CONSTANTS;
	const type = node.type;
	if (constants.has(type)) return true;
	if (type === 'binary_operator' || type === 'binary_expression') {
		const left = node.childForFieldName('left');
		const right = node.childForFieldName('right');
		return (
			left !== null &&
			right !== null &&
			isConstant(left, family, depth + 1) &&
			isConstant(right, family, depth + 1)
		);
	}
	if (type === 'parenthesized_expression') {
		const inner = node.namedChild(0);
		return inner !== null && isConstant(inner, family, depth + 1);
	}
	// `['ls', '-l']`: a fixed argument list.
	if (type === 'list' || type === 'tuple' || type === 'array') {
		return node.namedChildren.every(
			(child) => child.type === 'comment' || isConstant(child, family, depth + 1),
		);
	}
	return false;
}

/** Positional arguments of a call (Python keyword arguments and comments left out). */
export function positionalArgs(args: Node | null | undefined): Node[] {
	if (args === null || args === undefined) return [];
	// `f(x for x in y)`: the generator expression is the argument list itself.
	if (args.type === 'generator_expression') return [args];
	const out: Node[] = [];
	for (const child of args.namedChildren) {
		if (child.type === 'comment' || child.type === 'keyword_argument') continue;
		out.push(child);
	}
	return out;
}

/** The value of a Python keyword argument, e.g. `shell` in `run(cmd, shell=True)`. */
export function keywordArg(args: Node | null | undefined, name: string): Node | undefined {
	if (args === null || args === undefined || args.type !== 'argument_list') return undefined;
	for (const child of args.namedChildren) {
		if (child.type !== 'keyword_argument') continue;
		if (child.childForFieldName('name')?.text === name) {
			return child.childForFieldName('value') ?? undefined;
		}
	}
	return undefined;
}

/** True when an argument spreads a computed list or mapping (`*args`, `**kw`, `...rest`). */
export function hasSpread(args: Node | null | undefined): boolean {
	if (args === null || args === undefined) return false;
	for (const child of args.namedChildren) {
		const type = child.type;
		if (type === 'list_splat' || type === 'dictionary_splat' || type === 'spread_element') {
			return true;
		}
	}
	return false;
}

/**
 * Names built at run time. A lookup key or module name that is concatenated, formatted,
 * reversed, rot13'd, base64/hex decoded or assembled from character codes hides which
 * attribute or module is reached. This module tells how a string expression was built and,
 * when every piece is a literal, what it evaluates to (so a finding can name the target).
 *
 * Kinds, from most to least suspicious:
 * - `decoded`: a decoder or reversal is involved (`'metsys'[::-1]`, `b64decode(...)`, `chr`);
 *   nothing honest spells an identifier that way;
 * - `folded`: built only from literals (`'sys' + 'tem'`, `''.join(['ev', 'al'])`);
 * - `computed`: built by a string operation from at least one value not known here
 *   (`'visit_' + kind`), common in honest dispatch code.
 * Every walk is bounded by depth and by the number of local values followed.
 */
import type { Node } from 'web-tree-sitter';
import type { LanguageFamily } from './matcher.ts';
import { decodeEscapes, stringValue } from './syntax.ts';

export type TransformKind = 'decoded' | 'folded' | 'computed';

export interface Transform {
	kind: TransformKind;
	/** The string it evaluates to, when every piece is known. */
	value?: string | undefined;
	/** A name holding a plain literal: known, but not disguised. */
	plain?: boolean;
}

interface Known {
	value?: string | undefined;
	transform?: Transform | undefined;
}

/** Local variables' assigned values, as recorded by the binding pass. */
export interface ValueTable {
	valuesOf(name: string): readonly Node[] | undefined;
	/** The expression a one-line helper function of the file returns. */
	readonly returns: ReadonlyMap<string, Node>;
}

const MAX_DEPTH = 12;
const LIST_NODES: ReadonlySet<string> = new Set(['list', 'tuple', 'array']);
/** Longest folded string kept; longer ones are not identifiers anyway. */
const MAX_FOLDED = 256;

const PY_DECODERS =
	/^(?:base64\.\w*decode\w*|binascii\.(?:unhexlify|a2b_\w+)|(?:builtins\.)?bytes\.fromhex|(?:builtins\.)?bytearray\.fromhex|codecs\.(?:decode|encode)|zlib\.decompress|builtins\.chr|builtins\.reversed)$/;
const JS_DECODERS =
	/^(?:atob|String\.fromCharCode|String\.fromCodePoint|decodeURIComponent|decodeURI|unescape|Buffer\.from)$/;
/** Methods that keep a string a string; applied to a literal they only disguise it. */
const STRING_METHODS =
	/^(?:join|replace|replaceAll|format|lower|upper|strip|lstrip|rstrip|title|capitalize|swapcase|casefold|translate|concat|toLowerCase|toUpperCase|trim|trimStart|trimEnd|slice|substring|substr|split|reverse|decode|encode|toString|repeat|padStart|padEnd|removeprefix|removesuffix)$/;

function rank(kind: TransformKind): number {
	return kind === 'decoded' ? 2 : kind === 'folded' ? 1 : 0;
}

function worst(a: Transform | undefined, b: Transform | undefined): Transform | undefined {
	if (a === undefined) return b;
	if (b === undefined) return a;
	return rank(a.kind) >= rank(b.kind) ? a : b;
}

function rot13(text: string): string {
	return text.replace(/[a-zA-Z]/g, (c) => {
		const base = c <= 'Z' ? 65 : 97;
		return String.fromCharCode(((c.charCodeAt(0) - base + 13) % 26) + base);
	});
}

function bounded(value: string | undefined): string | undefined {
	return value !== undefined && value.length <= MAX_FOLDED ? value : undefined;
}

export interface TransformReader {
	/** How `node` was built as a string, or undefined for a plain literal or an unknown value. */
	of(node: Node): Transform | undefined;
	/** The string `node` evaluates to when known: a literal, or a transform of literals. */
	fold(node: Node): string | undefined;
}

export function createTransformReader(
	family: LanguageFamily,
	values: ValueTable,
	nameOf: (node: Node) => string | undefined,
): TransformReader {
	/** A literal or a folded transform: the known value of `node`. */
	// Answers are kept per node: chained calls would otherwise read their holders repeatedly.
	const memo = new Map<number, Known>();

	function known(node: Node, depth: number): Known {
		const cached = memo.get(node.id);
		if (cached !== undefined) return cached;
		const literal = stringValue(node, family);
		let answer: Known;
		if (literal !== undefined) answer = { value: literal };
		else {
			const transform = read(node, depth + 1);
			answer = transform === undefined ? {} : { value: transform.value, transform };
		}
		// An answer cut short by the depth bound is not kept: a shallower read may finish.
		if (depth < MAX_DEPTH / 2) memo.set(node.id, answer);
		return answer;
	}

	function combine(parts: readonly Node[], depth: number, join = ''): Transform {
		let all = true;
		let out = '';
		let inner: Transform | undefined;
		for (const part of parts) {
			const piece = known(part, depth);
			inner = worst(inner, piece.transform);
			if (piece.value === undefined) all = false;
			else if (all) out = out === '' ? piece.value : `${out}${join}${piece.value}`;
		}
		const base: Transform = all ? { kind: 'folded', value: bounded(out) } : { kind: 'computed' };
		// A decoder anywhere inside disguises the whole; a folded piece beside an unknown one
		// does not (`prefix + name` is ordinary).
		if (inner?.kind === 'decoded') {
			return all ? { kind: 'decoded', value: bounded(out) } : { kind: 'decoded' };
		}
		return base;
	}

	/** A list literal, in place or held in a name assigned once (`PARTS = ['cu', 'rl']`). */
	function listOf(node: Node): Node | undefined {
		if (LIST_NODES.has(node.type)) return node;
		if (node.type !== 'identifier') return undefined;
		const assigned = values.valuesOf(node.text);
		const only = assigned?.length === 1 ? assigned[0] : undefined;
		return only !== undefined && LIST_NODES.has(only.type) ? only : undefined;
	}

	function identifier(node: Node, depth: number): Transform | undefined {
		const assigned = values.valuesOf(node.text);
		if (assigned === undefined || assigned.length === 0) return undefined;
		let found: Transform | undefined;
		for (const value of assigned) {
			if (value.startIndex <= node.startIndex && node.endIndex <= value.endIndex) continue;
			const piece = known(value, depth);
			// A name assigned a plain literal once is that literal, folded (`k = 'system'`).
			const transform =
				piece.transform ??
				(piece.value !== undefined && assigned.length === 1
					? { kind: 'folded' as const, value: piece.value, plain: true }
					: undefined);
			found = worst(found, transform);
		}
		return found;
	}

	function call(node: Node, depth: number): Transform | undefined {
		const callee = node.childForFieldName('function');
		const args = node.childForFieldName('arguments');
		if (callee === null) return undefined;
		const positional = (args?.namedChildren ?? []).filter(
			(child) => child.type !== 'comment' && child.type !== 'keyword_argument',
		);
		const name = nameOf(callee);
		const decoders = family === 'python' ? PY_DECODERS : JS_DECODERS;
		if (name !== undefined && decoders.test(name)) {
			const first = positionalValue(positional, 0, depth);
			let value: string | undefined;
			if (first !== undefined) {
				if (name.startsWith('codecs.') && /rot.?13/i.test(argText(positional[1]))) {
					value = rot13(first);
				} else if (name === 'atob' || /b64decode$/.test(name)) {
					value = decodeBase64(first);
				}
			}
			return { kind: 'decoded', value: bounded(value) };
		}
		if (callee.type === 'identifier') {
			// A helper of the file that returns a decoded string (`def _n(s): return
			// codecs.decode(s, 'rot13')`) decodes whatever it is given.
			const returned = values.returns.get(callee.text);
			const inner = returned === undefined ? undefined : read(returned, depth + 1);
			if (inner?.kind === 'decoded') return { kind: 'decoded' };
		}
		if (callee.type !== 'attribute' && callee.type !== 'member_expression') {
			// `str(x)` and `String(x)` only pass a value on.
			if ((name === 'builtins.str' || name === 'String') && positional[0] !== undefined) {
				return read(positional[0], depth + 1);
			}
			return undefined;
		}
		const method = callee.childForFieldName(family === 'python' ? 'attribute' : 'property')?.text;
		const holder = callee.childForFieldName('object');
		if (method === undefined || holder === null || !STRING_METHODS.test(method)) return undefined;
		if (method === 'reverse') return { kind: 'decoded', ...reversed(holder, depth) };
		const base = known(holder, depth);
		if (method === 'join') {
			const items = positional[0];
			if (items === undefined && family === 'python') return undefined;
			const list = items === undefined ? undefined : listOf(items);
			const joined: Transform = list
				? combine(list.namedChildren, depth, base.value ?? '')
				: ((items === undefined ? undefined : read(items, depth + 1)) ?? { kind: 'computed' });
			if (family === 'js') {
				// `['ev', 'al'].join('')`, `s.split('').reverse().join('')`: the holder is the list.
				const separator = items === undefined ? ',' : known(items, depth).value;
				const array = listOf(holder);
				if (array) return combine(array.namedChildren, depth, separator ?? '');
				const inner = read(holder, depth + 1);
				if (inner === undefined) return undefined;
				return { kind: inner.kind, value: separator === '' ? inner.value : undefined };
			}
			return joined;
		}
		if (base.value === undefined && base.transform === undefined) return undefined;
		const parts = [holder, ...positional];
		const combined = combine(parts, depth);
		const result: Transform = { kind: combined.kind };
		if (combined.kind !== 'computed' && base.value !== undefined) {
			const value = applyMethod(method, base.value, positional, depth);
			if (value !== undefined) result.value = bounded(value);
		}
		return result;
	}

	function positionalValue(args: readonly Node[], index: number, depth: number) {
		const node = args[index];
		return node === undefined ? undefined : known(node, depth).value;
	}

	function applyMethod(
		method: string,
		base: string,
		args: readonly Node[],
		depth: number,
	): string | undefined {
		const a = positionalValue(args, 0, depth);
		const b = positionalValue(args, 1, depth);
		switch (method) {
			case 'replace':
			case 'replaceAll':
				return a !== undefined && b !== undefined ? base.split(a).join(b) : undefined;
			case 'lower':
			case 'toLowerCase':
			case 'casefold':
				return base.toLowerCase();
			case 'upper':
			case 'toUpperCase':
				return base.toUpperCase();
			case 'strip':
			case 'trim':
				return base.trim();
			case 'concat':
				return args.every((arg) => known(arg, depth).value !== undefined)
					? base + args.map((arg) => known(arg, depth).value).join('')
					: undefined;
			case 'decode':
			case 'encode':
			case 'toString':
				return base;
			case 'format':
				return formatted(base, args, depth);
			default:
				return undefined;
		}
	}

	/** `'{}/{}'.format(a, b)`, `'{0}{1}'.format(...)`: plain fields only, no specs. */
	function formatted(base: string, args: readonly Node[], depth: number): string | undefined {
		let next = 0;
		let failed = false;
		const out = base.replace(/\{(\d*)\}|\{\{|\}\}|[{}]/g, (field, index: string | undefined) => {
			if (field === '{{') return '{';
			if (field === '}}') return '}';
			if (index === undefined) {
				failed = true;
				return '';
			}
			const value = positionalValue(args, index === '' ? next++ : Number(index), depth);
			if (value === undefined) failed = true;
			return value ?? '';
		});
		return failed ? undefined : out;
	}

	function reversed(holder: Node, depth: number): { value?: string } {
		// `s.split('').reverse()` or `[...s].reverse()`: the reversal of `s`.
		let source: Node | null = holder;
		if (holder.type === 'call_expression') {
			const callee = holder.childForFieldName('function');
			if (callee?.type === 'member_expression') source = callee.childForFieldName('object');
		}
		const value = source === null ? undefined : known(source, depth).value;
		return value === undefined ? {} : { value: [...value].reverse().join('') };
	}

	function subscript(node: Node, depth: number): Transform | undefined {
		const value = node.childForFieldName('value');
		const slice = node.childForFieldName('subscript');
		if (value === null || slice?.type !== 'slice') return undefined;
		// Slicing a variable (`filename[:-3]`) is ordinary; slicing a literal or a transform is not.
		const literal = stringValue(value, family) !== undefined;
		const base = known(value, depth);
		if (!literal && (base.transform === undefined || base.transform.plain)) {
			if (!/^\s*:\s*:\s*-\s*1\s*$/.test(slice.text)) return undefined;
		}
		if (base.value === undefined && base.transform === undefined) return undefined;
		const step = /^\s*[^:]*:[^:]*:\s*-\s*1\s*$/.test(slice.text);
		if (step) {
			const whole = /^\s*:\s*:\s*-\s*1\s*$/.test(slice.text);
			const value =
				base.value !== undefined && whole ? [...base.value].reverse().join('') : undefined;
			return { kind: 'decoded', value: bounded(value) };
		}
		return { kind: base.transform?.kind === 'decoded' ? 'decoded' : 'folded' };
	}

	function interpolated(node: Node, depth: number): Transform | undefined {
		const pieces = node.namedChildren.filter(
			(child) => child.type === 'interpolation' || child.type === 'template_substitution',
		);
		if (pieces.length === 0) return undefined;
		let kind: TransformKind = 'folded';
		let value: string | undefined = '';
		for (const child of node.namedChildren) {
			if (child.type === 'interpolation' || child.type === 'template_substitution') {
				const inner = child.namedChildren.find((c) => c.type !== 'comment');
				const piece = inner === undefined ? {} : known(inner, depth);
				if (piece.transform?.kind === 'decoded') kind = 'decoded';
				if (piece.value === undefined) {
					if (kind === 'folded') kind = 'computed';
					value = undefined;
				} else if (value !== undefined) value += piece.value;
				// Format specs and conversions (`{x!r:>4}`) change the text: not folded.
				if (child.namedChildren.length > 1) value = undefined;
			} else if (child.type === 'string_content' || child.type === 'string_fragment') {
				if (value !== undefined) value += child.text;
			} else if (child.type === 'escape_sequence') {
				if (value !== undefined) value += decodeEscapes(child.text);
			}
		}
		return { kind, value: bounded(value) };
	}

	function read(node: Node, depth: number): Transform | undefined {
		if (depth > MAX_DEPTH) return undefined;
		switch (node.type) {
			case 'parenthesized_expression': {
				const inner = node.namedChild(0);
				return inner === null ? undefined : read(inner, depth + 1);
			}
			case 'identifier':
				return identifier(node, depth);
			case 'binary_operator':
			case 'binary_expression': {
				const operator = node.childForFieldName('operator')?.text;
				const left = node.childForFieldName('left');
				const right = node.childForFieldName('right');
				if (left === null || right === null) return undefined;
				if (operator === '+') {
					// Each side is read once: re-reading them per level would be exponential.
					const a = known(left, depth);
					const b = known(right, depth);
					if (a.value === undefined && a.transform === undefined) {
						if (b.value === undefined && b.transform === undefined) return undefined;
					}
					const inner = worst(a.transform, b.transform);
					const both = a.value !== undefined && b.value !== undefined;
					const kind: TransformKind = both ? 'folded' : 'computed';
					const value = both ? bounded(`${a.value}${b.value}`) : undefined;
					if (inner?.kind === 'decoded') return { kind: 'decoded', value };
					return { kind, value };
				}
				if (operator === '%' && stringValue(left, family) !== undefined) {
					return { kind: combine([left, right], depth).kind };
				}
				return undefined;
			}
			case 'string':
			case 'template_string':
				return interpolated(node, depth);
			case 'call':
			case 'call_expression':
				return call(node, depth);
			case 'subscript':
				return subscript(node, depth);
			default:
				return undefined;
		}
	}

	return {
		of: (node) => {
			const transform = read(node, 0);
			if (transform === undefined) return undefined;
			// A variable holding a plain literal is just that literal, not a disguise.
			if (transform.plain) return undefined;
			return transform;
		},
		fold: (node) => known(node, 0).value,
	};
}

function argText(node: Node | undefined): string {
	return node === undefined ? '' : node.text;
}

function decodeBase64(text: string): string | undefined {
	if (!/^[A-Za-z0-9+/=\s]*$/.test(text)) return undefined;
	const decoded = Buffer.from(text, 'base64').toString('utf8');
	return /^[\w.$/:@-]*$/.test(decoded) ? decoded : undefined;
}

/**
 * Pieces most rules share: the call queries, a call-site view of a match, and tables of dotted
 * names with `prefix.*` and `*.method` entries. Query texts are constants so that every rule
 * using them shares one compiled pattern.
 */
import type { Node } from 'web-tree-sitter';
import type { Captures, FileContext, LanguageFamily, Matcher } from '../engine/matcher.ts';

export const PY_CALL = '(call function: (_) @callee arguments: (_) @args) @call';
export const JS_CALL = '(call_expression function: (_) @callee arguments: (_) @args) @call';
export const JS_NEW = '(new_expression constructor: (_) @callee arguments: (_)? @args) @call';
export const PY_STRING = '(string) @string (concatenated_string) @string';
export const JS_STRING = '[(string) (template_string)] @string';

export interface CallSite {
	call: Node;
	callee: Node;
	args: Node | null;
	/** Resolved dotted name, when known. */
	name: string | undefined;
	/** The last segment of the callee as written (`write_text` in `p.write_text(...)`). */
	readonly method: string | undefined;
	/** A `new X(...)` expression (JS). */
	isNew: boolean;
}

/** The callee's last name segment, read from its text (cheaper than walking its fields). */
const LAST_SEGMENT = /(?:^|\.)\s*([A-Za-z_$][\w$]*)\s*$/;

function methodOf(callee: Node): string | undefined {
	return LAST_SEGMENT.exec(callee.text)?.[1];
}

/**
 * All call rules see the same match object, so the call site (and the name resolution behind
 * it) is built once per call, not once per rule.
 */
const sites = new WeakMap<Captures, CallSite | null>();

function siteOf(captures: Captures, file: FileContext, isNew: boolean): CallSite | undefined {
	const cached = sites.get(captures);
	if (cached !== undefined) return cached ?? undefined;
	const { call, callee } = captures;
	if (call === undefined || callee === undefined) {
		sites.set(captures, null);
		return undefined;
	}
	let method: string | null | undefined = null;
	const site: CallSite = {
		call,
		callee,
		args: captures.args ?? null,
		name: file.nameOf(callee),
		// Reading the callee's last segment costs calls into the parser; most rules never need it.
		get method() {
			if (method === null) method = methodOf(callee);
			return method;
		},
		isNew,
	};
	sites.set(captures, site);
	return site;
}

/** Matchers running `check` on every call (and, in JS, every `new`) of a file. */
/**
 * Matchers for every string literal of Python and JS/TS, in files holding `needs`: rules that
 * judge what a string says (an address, a command, a secret's name) run on both languages.
 */
export function stringMatchers(
	needs: RegExp,
	check: (literal: Node, file: FileContext) => void,
): Matcher[] {
	return (
		[
			['python', PY_STRING],
			['js', JS_STRING],
		] as const
	).map(([family, query]) => ({
		family,
		query,
		needs,
		check: ({ string }, file) => {
			if (string !== undefined) check(string, file);
		},
	}));
}

export function callMatchers(
	families: readonly LanguageFamily[],
	check: (site: CallSite, file: FileContext) => void,
): Matcher[] {
	const matchers: Matcher[] = [];
	if (families.includes('python')) {
		matchers.push({
			family: 'python',
			query: PY_CALL,
			check(captures, file) {
				const site = siteOf(captures, file, false);
				if (site !== undefined) check(site, file);
			},
		});
	}
	if (families.includes('js')) {
		for (const [query, isNew] of [
			[JS_CALL, false],
			[JS_NEW, true],
		] as const) {
			matchers.push({
				family: 'js',
				query,
				check(captures, file) {
					const site = siteOf(captures, file, isNew);
					if (site !== undefined) check(site, file);
				},
			});
		}
	}
	return matchers;
}

/**
 * A set of dotted names. `os.system` matches exactly; `requests.*` matches `requests` and
 * everything under it; `*.write_text` matches that method on any object.
 */
export class NameTable {
	private readonly exact = new Set<string>();
	private readonly prefixes = new Set<string>();
	private readonly methods = new Set<string>();

	constructor(entries: readonly string[]) {
		for (const entry of entries) {
			if (entry.startsWith('*.')) this.methods.add(entry.slice(2));
			else if (entry.endsWith('.*')) this.prefixes.add(entry.slice(0, -2));
			else this.exact.add(entry);
		}
	}

	/** True when the resolved name is in the table (method-only entries excluded). */
	hasName(name: string | undefined): boolean {
		if (name === undefined) return false;
		if (this.exact.has(name) || this.prefixes.has(name)) return true;
		if (this.prefixes.size === 0) return false;
		// Each dotted prefix of the name, shortest first: `a`, `a.b`, `a.b.c`.
		for (let dot = name.indexOf('.'); dot !== -1; dot = name.indexOf('.', dot + 1)) {
			if (this.prefixes.has(name.slice(0, dot))) return true;
		}
		return false;
	}

	/** True for a `*.method` entry matching the call's last segment. */
	hasMethod(method: string | undefined): boolean {
		return method !== undefined && this.methods.has(method);
	}
}

/** The first positional argument, skipping nothing else: `f(a, b)` gives `a`. */
export function firstArg(args: Node | null): Node | undefined {
	if (args === null) return undefined;
	for (const child of args.namedChildren) {
		if (child.type !== 'comment' && child.type !== 'keyword_argument') return child;
	}
	return undefined;
}

/** Shortens a resolved name for messages. */
export function shown(name: string | undefined, fallback: string): string {
	return name === undefined ? fallback : name.replace(/^builtins\./, '');
}

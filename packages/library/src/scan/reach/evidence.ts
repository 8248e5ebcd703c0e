/**
 * Recording reach evidence within bounds, and telling an imported name or a builtin from a
 * local variable that happens to share its name.
 */
import type { Node } from 'web-tree-sitter';
import type { FileState } from '../engine/file-context.ts';
import type { FileContext } from '../engine/matcher.ts';
import type { RuleId } from '../rules/catalog.ts';
import type { ReachClass } from './classes.ts';

/** Findings of one class kept per file: the judgement needs one, the report a few places. */
const PER_FILE = 3;

/** Marks a reference passed along as a value, which import-time analysis treats as a call. */
export const PASSED_AS_VALUE = 'handed to a call as a value';

const RULE: Readonly<Partial<Record<ReachClass, RuleId>>> = {
	network: 'reach-network',
	process: 'reach-process',
	'fs-write': 'reach-fs-write',
	native: 'reach-native',
	'dynamic-code': 'reach-dynamic-code',
	secrets: 'reach-secrets',
	persistence: 'reach-persistence',
	'host-files': 'reach-host-files',
	'other-apps': 'reach-other-apps',
};

const counts = new WeakMap<FileContext, Map<string, number>>();

/**
 * Reports one piece of evidence, within the per-file bound. References passed along as values
 * are counted apart, so imports listed first never crowd out the one the import-time pass needs.
 */
export function evidence(
	file: FileContext,
	reach: ReachClass,
	node: Node,
	message: string,
	passed = false,
): void {
	const rule = RULE[reach];
	if (rule === undefined) return;
	let perClass = counts.get(file);
	if (perClass === undefined) {
		perClass = new Map();
		counts.set(file, perClass);
	}
	const key = passed ? `${reach}:passed` : reach;
	const seen = perClass.get(key) ?? 0;
	if (seen >= PER_FILE) return;
	perClass.set(key, seen + 1);
	file.report(rule, node, message);
}

/** Globals JS code reaches without an import; a file defining its own is calling that one. */
const JS_GLOBAL_ROOTS = new Set([
	'eval',
	'Function',
	'fetch',
	'XMLHttpRequest',
	'WebSocket',
	'EventSource',
	'navigator',
	'WebAssembly',
	'process',
	'Bun',
	'Deno',
]);

const required = new WeakMap<FileContext, Map<string, boolean>>();

/**
 * `const fs = require('fs')` binds no alias (the name is the module's own), so the resolver
 * does not count `fs` as resolved; the file loading the module of that name says it is.
 */
function loadsModule(file: FileContext, name: string): boolean {
	let known = required.get(file);
	if (known === undefined) {
		known = new Map();
		required.set(file, known);
	}
	let found = known.get(name);
	if (found === undefined) {
		const escaped = name.replace(/[$]/g, '\\$');
		const loader = new RegExp(
			`\\b${escaped}\\s*=\\s*(?:await\\s+)?(?:require|import)\\s*\\(\\s*['"\`](?:node:)?${escaped}['"\`]|import\\s+(?:\\*\\s+as\\s+)?${escaped}\\s+from\\s*['"](?:node:)?${escaped}['"]`,
		);
		found = loader.test(file.text);
		known.set(name, found);
	}
	return found;
}

/** The expression names something imported or a builtin, not a local variable of that name. */
export function resolvedRoot(file: FileContext, node: Node): boolean {
	const names = (file as Partial<FileState>).names;
	if (names?.isResolvedRoot(node)) return true;
	if (file.family !== 'js') return false;
	const root = /^[A-Za-z_$][\w$]*/.exec(node.text)?.[0];
	if (root === undefined) return false;
	if (JS_GLOBAL_ROOTS.has(root)) return !file.isShadowed(root);
	return loadsModule(file, root);
}

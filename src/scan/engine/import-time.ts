/**
 * Import-time side effects: network, process or file-changing calls at module level, which
 * run as soon as the host imports the plugin, before `enable()` and before any consent.
 * Function bodies and `if __name__ == '__main__':` blocks are not module level; class bodies,
 * decorators and default argument values are, since Python runs them on import.
 */
import { PASSED_AS_VALUE } from '../reach/evidence.ts';
import type { RuleId } from '../rules/catalog.ts';
import type { FileState } from './file-context.ts';
import type { Scope, ScopeIndex } from './scopes.ts';

const EFFECTS: Readonly<Partial<Record<RuleId, RuleId>>> = {
	network: 'import-time-side-effect',
	'process-spawn': 'import-time-side-effect',
	'process-shell': 'import-time-side-effect',
	'fs-write': 'import-time-write',
	'fs-delete': 'import-time-write',
	'code-exec': 'import-time-exec',
	'dynamic-import': 'import-time-exec',
	'obfuscation-marshal': 'import-time-exec',
	// Only a function handed to a call (map, atexit.register, a decorator) at module level;
	// imports are always at module level and run nothing by themselves.
	'reach-process': 'import-time-side-effect',
	'reach-dynamic-code': 'import-time-exec',
};

/** Rules whose findings count only when they are a reference passed along as a value. */
const ONLY_PASSED: ReadonlySet<RuleId> = new Set(['reach-process', 'reach-dynamic-code']);

/**
 * code-exec's own wording for an evaluator kept as a value (`[eval]`, `{'run': exec}`): stored,
 * not run. One handed to a call is the reach rules' PASSED_AS_VALUE, and counted through them.
 */
const KEPT_EVALUATOR = 'is passed on as a value';

const WHAT: Readonly<Partial<Record<RuleId, string>>> = {
	network: 'uses the network',
	'process-spawn': 'starts a program',
	'process-shell': 'runs a shell command',
	'fs-write': 'writes files',
	'fs-delete': 'deletes or moves files',
	'code-exec': 'runs code built at run time',
	'dynamic-import': 'imports a module chosen at run time',
	'obfuscation-marshal': 'loads marshalled code',
	'reach-process': 'hands a process function to a call',
	'reach-dynamic-code': 'hands a code-running function to a call',
};

export function importTimePass(
	file: FileState,
	scopes: ScopeIndex,
	guards: readonly Scope[],
): void {
	const guarded = (index: number) =>
		guards.some((guard) => guard.start <= index && index < guard.end);
	let runAtImport: Map<Scope, string> | undefined;
	for (const finding of [...file.findings]) {
		const rule = EFFECTS[finding.ruleId];
		if (rule === undefined || finding.deferred === true) continue;
		if (ONLY_PASSED.has(finding.ruleId) && !finding.message.includes(PASSED_AS_VALUE)) continue;
		if (finding.ruleId === 'code-exec' && finding.message.includes(KEPT_EVALUATOR)) continue;
		if (guarded(finding.start)) continue;
		const scope = scopes.innermost(finding.start);
		let where = 'at module level';
		if (scope !== undefined) {
			runAtImport ??= functionsRunAtImport(file, scopes, guarded);
			const name = runAtImport.get(scope);
			if (name === undefined) continue;
			where = `in ${name}(), which module-level code runs`;
		}
		file.reportRange(
			rule,
			finding.start,
			finding.end,
			`${WHAT[finding.ruleId] ?? 'acts'} ${where}, as soon as the plugin is imported`,
		);
	}
}

/** Functions followed from module level; a longer chain of helpers is followed up to here. */
const MAX_FUNCTIONS = 256;

/** The name a function body belongs to, read from the text just before it. */
const DEFINITION =
	/(?:\bdef\s+([A-Za-z_]\w*)\s*\((?:(?!\bdef\s)[\s\S])*|\bfunction\s*\*?\s*([A-Za-z_$][\w$]*)\s*\([^)]*\)\s*|\b([A-Za-z_$][\w$]*)\s*=\s*(?:async\s+)?(?:function\b[^(]*\([^)]*\)\s*|\([^)]*\)\s*=>\s*|[A-Za-z_$][\w$]*\s*=>\s*))$/;

/**
 * Functions whose bodies run when the plugin is imported: called by name at module level
 * (`setup()`), run by a decorator (`@hook`), started on a thread or a timer there
 * (`Thread(target=worker)`, `setTimeout(worker)`), and the functions those call in turn.
 * Handing a function to a registration call is not running it: the host calls it later.
 */
function functionsRunAtImport(
	file: FileState,
	scopes: ScopeIndex,
	guarded: (index: number) => boolean,
): Map<Scope, string> {
	const byName = new Map<string, Scope[]>();
	for (const scope of scopes.scopes.slice(0, MAX_FUNCTIONS)) {
		const before = file.text.slice(Math.max(0, scope.start - 400), scope.start);
		const match = DEFINITION.exec(before);
		const name = match?.[1] ?? match?.[2] ?? match?.[3];
		if (name === undefined) continue;
		const list = byName.get(name) ?? [];
		list.push(scope);
		byName.set(name, list);
	}
	const run = new Map<Scope, string>();
	if (byName.size === 0) return run;
	const escaped = [...byName.keys()].map((name) => name.replace(/\$/g, '\\$'));
	const names = escaped.join('|');
	const starts = new RegExp(
		`(?<![\\w$.])(?:(${names})\\s*\\(|@\\s*(${names})\\b|(?:target\\s*=\\s*|Timer\\s*\\([^,()]*,\\s*|(?:setTimeout|setImmediate|setInterval|nextTick|queueMicrotask)\\s*\\(\\s*)(${names})\\b)`,
		'g',
	);
	const isDefinition = (index: number) =>
		/(?:\bdef|\bfunction\s*\*?)\s*$/.test(file.text.slice(Math.max(0, index - 12), index));
	const pending: [number, number][] = [[0, file.text.length]];
	const visited = new Set<Scope>();
	while (pending.length > 0 && visited.size < MAX_FUNCTIONS) {
		const [from, to] = pending.pop() as [number, number];
		const caller = from === 0 && to === file.text.length ? undefined : scopes.innermost(from);
		starts.lastIndex = from;
		for (
			let hit = starts.exec(file.text);
			hit !== null && hit.index < to;
			hit = starts.exec(file.text)
		) {
			if (isDefinition(hit.index) || guarded(hit.index)) continue;
			// Only calls made by the running code itself, not by a function nested inside it.
			if (scopes.innermost(hit.index) !== caller) continue;
			const name = hit[1] ?? hit[2] ?? hit[3];
			for (const scope of (name === undefined ? undefined : byName.get(name)) ?? []) {
				if (visited.has(scope)) continue;
				visited.add(scope);
				run.set(scope, name as string);
				pending.push([scope.start, scope.end]);
			}
		}
	}
	return run;
}

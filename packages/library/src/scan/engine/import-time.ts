/**
 * Import-time side effects: network, process or file-changing calls at module level, which
 * run as soon as the host imports the plugin, before `enable()` and before any consent.
 * Function bodies and `if __name__ == '__main__':` blocks are not module level; class bodies,
 * decorators and default argument values are, since Python runs them on import.
 */
import { PASSED_AS_VALUE } from '../reach/evidence.ts';
import type { RuleId } from '../rules/catalog.ts';
import type { FileState } from './file-context.ts';
import type { InstallRange } from './install-time.ts';
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

/**
 * What a setup.py command override does when pip runs it: the same effects as at import time,
 * but for plain build steps (writing files, a program started with fixed arguments), which
 * honest setup scripts do and which keep their own severity.
 */
const INSTALL_EFFECTS: Readonly<Partial<Record<RuleId, RuleId>>> = {
	network: 'import-time-side-effect',
	'process-shell': 'import-time-side-effect',
	'code-exec': 'import-time-exec',
	'dynamic-import': 'import-time-exec',
	'obfuscation-marshal': 'import-time-exec',
	'fs-delete': 'import-time-write',
};

function installPass(file: FileState, ranges: readonly InstallRange[]): void {
	for (const finding of [...file.findings]) {
		const rule = INSTALL_EFFECTS[finding.ruleId];
		if (rule === undefined || finding.deferred === true) continue;
		const range = ranges.find((each) => each.start <= finding.start && finding.start < each.end);
		if (range === undefined) continue;
		file.reportRange(
			rule,
			finding.start,
			finding.end,
			`${WHAT[finding.ruleId] ?? 'acts'} in ${range.what}; pip runs it when the package is installed or built`,
		);
	}
}

export function importTimePass(
	file: FileState,
	scopes: ScopeIndex,
	guards: readonly Scope[],
	installRanges: readonly InstallRange[] = [],
): void {
	if (installRanges.length > 0) installPass(file, installRanges);
	for (const finding of [...file.findings]) {
		const rule = EFFECTS[finding.ruleId];
		if (rule === undefined || finding.deferred === true) continue;
		if (ONLY_PASSED.has(finding.ruleId) && !finding.message.includes(PASSED_AS_VALUE)) continue;
		if (finding.ruleId === 'code-exec' && finding.message.includes(KEPT_EVALUATOR)) continue;
		if (scopes.innermost(finding.start) !== undefined) continue;
		if (guards.some((guard) => guard.start <= finding.start && finding.start < guard.end)) continue;
		file.reportRange(
			rule,
			finding.start,
			finding.end,
			`${WHAT[finding.ruleId] ?? 'acts'} at module level, as soon as the plugin is imported`,
		);
	}
}

/**
 * Import-time side effects: network, process or file-changing calls at module level, which
 * run as soon as the host imports the plugin, before `enable()` and before any consent.
 * Function bodies and `if __name__ == '__main__':` blocks are not module level; class bodies,
 * decorators and default argument values are, since Python runs them on import.
 */
import type { RuleId } from '../rules/catalog.ts';
import type { FileState } from './file-context.ts';
import type { Scope, ScopeIndex } from './scopes.ts';

const EFFECTS: Readonly<Partial<Record<RuleId, RuleId>>> = {
	network: 'import-time-side-effect',
	'process-spawn': 'import-time-side-effect',
	'process-shell': 'import-time-side-effect',
	'fs-write': 'import-time-write',
	'fs-delete': 'import-time-write',
};

const WHAT: Readonly<Partial<Record<RuleId, string>>> = {
	network: 'uses the network',
	'process-spawn': 'starts a program',
	'process-shell': 'runs a shell command',
	'fs-write': 'writes files',
	'fs-delete': 'deletes or moves files',
};

export function importTimePass(
	file: FileState,
	scopes: ScopeIndex,
	guards: readonly Scope[],
): void {
	for (const finding of [...file.findings]) {
		const rule = EFFECTS[finding.ruleId];
		if (rule === undefined || finding.deferred === true) continue;
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

/** Builders for blacklist tests: entries in the model form, and both matchers behind one shape. */
import { compileBlacklist } from '../../src/blacklist/compile.ts';
import type { BlacklistEntry } from '../../src/blacklist/entry.ts';
import { naiveCheck } from '../../src/blacklist/naive.ts';
import type {
	BlacklistContext,
	BlacklistVerdict,
	CheckOptions,
	PluginIdentity,
} from '../../src/blacklist/types.ts';

export const UUID_A = '78430c8c-d2ed-4dcf-8b3f-d2bc8b7348ac';
export const UUID_B = '743aab37-d639-41b5-8000-727cb4bf291c';
export const UUID_C = 'abfb68b7-4fc5-4ec4-a1b8-c824e31ad0c5';

/** Local paths in tests resolve against these, never against the real process state. */
export const CONTEXT = { cwd: '/srv/plugins', home: '/home/user' } as const;

export type EntryFields = Omit<BlacklistEntry, 'index' | 'severity'> & {
	severity?: BlacklistEntry['severity'];
};

/** Entries numbered in array order, `hard` unless told otherwise. */
export function entries(...fields: EntryFields[]): BlacklistEntry[] {
	return fields.map((field, index) => ({ severity: 'hard', ...field, index }));
}

export interface Matcher {
	name: string;
	check(
		list: readonly BlacklistEntry[],
		plugin: PluginIdentity,
		options?: CheckOptions,
		context?: BlacklistContext,
	): BlacklistVerdict;
}

/** Behaviour tests run on both, so the oracle is held to the same contract as the real thing. */
export const MATCHERS: readonly Matcher[] = [
	{
		name: 'compiled',
		check: (list, plugin, options = {}, context = CONTEXT) =>
			compileBlacklist(list, context).check(plugin, options),
	},
	{
		name: 'naive',
		check: (list, plugin, options = {}, context = CONTEXT) =>
			naiveCheck(list, plugin, { ...options, ...context }),
	},
];

/** The blocking entry's index, or undefined when the plugin is not blocked. */
export function blockedBy(verdict: BlacklistVerdict): number | undefined {
	return verdict.blocked ? verdict.entry.index : undefined;
}

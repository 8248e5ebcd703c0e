/**
 * `vouch registry diff <old> <new>`: what a reviewer of a registry change must see. Changes that
 * lower security come first, each saying why; the rest follow. The order depends only on the
 * changes (plugin id, kind, entry), never on where entries sit in the files, so moving entries
 * around changes nothing and hides nothing.
 */
import type { CanonicalUrlContext } from '../../core/canonical-url.ts';
import type { Registry } from '../model.ts';
import { blacklistChanges } from './blacklist-changes.ts';
import { DIFF_CHANGE_KINDS, type DiffChange, type RegistryDiff } from './changes.ts';
import { matchPlugins } from './match-plugins.ts';
import { addedPluginChanges, pluginChanges, removedPluginChanges } from './plugin-changes.ts';
import { previousOwners } from './redirect-takeover.ts';

export interface DiffSide {
	registry: Registry;
	/** The stable `id` of each blacklist entry, by position, when the source gives them. */
	blacklistIds?: readonly (string | undefined)[];
}

export function diffRegistries(
	before: DiffSide,
	after: DiffSide,
	context: CanonicalUrlContext = {},
): RegistryDiff {
	const matched = matchPlugins(before.registry.plugins, after.registry.plugins);
	const owners = previousOwners(before.registry.plugins);
	const changes: DiffChange[] = [
		...matched.pairs.flatMap(({ before: old, after: now }) => pluginChanges(old, now, owners)),
		...matched.added.flatMap((plugin) => addedPluginChanges(plugin, owners)),
		...matched.removed.flatMap((plugin) => removedPluginChanges(plugin, unreadableEntries(after))),
		...blacklistChanges(
			{
				entries: before.registry.blacklist,
				...(before.blacklistIds === undefined ? {} : { ids: before.blacklistIds }),
			},
			{
				entries: after.registry.blacklist,
				...(after.blacklistIds === undefined ? {} : { ids: after.blacklistIds }),
			},
			context,
		),
	];
	changes.sort(compareChanges);
	return { changes, lowering: changes.filter((change) => change.lowersSecurity).length };
}

/** The entries of a side its reader skipped, by id or position; at least one per skipped entry. */
function unreadableEntries(side: DiffSide): string[] {
	const { registry } = side;
	const named = registry.warnings
		.filter((warning) => warning.code === 'PLUGIN_SKIPPED')
		.map((warning) => warning.plugin ?? '?');
	// The warning list is bounded; the count of entries read is not.
	const skipped = (registry.rawPluginCount ?? registry.plugins.length) - registry.plugins.length;
	if (skipped > named.length) named.push(`${skipped - named.length} more`);
	return named;
}

const KIND_ORDER = new Map(DIFF_CHANGE_KINDS.map((kind, i) => [kind, i]));

function compareChanges(a: DiffChange, b: DiffChange): number {
	if (a.lowersSecurity !== b.lowersSecurity) return a.lowersSecurity ? -1 : 1;
	const blacklistA = a.kind.startsWith('blacklist-');
	const blacklistB = b.kind.startsWith('blacklist-');
	if (blacklistA !== blacklistB) return blacklistA ? 1 : -1;
	return (
		compareText(a.plugin ?? '', b.plugin ?? '') ||
		(KIND_ORDER.get(a.kind) ?? 0) - (KIND_ORDER.get(b.kind) ?? 0) ||
		compareText(a.entryId ?? '', b.entryId ?? '') ||
		(a.entry ?? 0) - (b.entry ?? 0) ||
		compareText(a.message, b.message)
	);
}

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * `vouch registry review --changed <old> <new>`: the plugins a pull request adds or changes. An
 * entry is the same plugin in both files when its UUID or, failing that, its id matches; a
 * removed plugin needs no review. Compared on the parsed records, so reformatting the file or
 * moving an entry is no change, while any field that reaches clients is.
 */
import { isDeepStrictEqual } from 'node:util';
import type { Registry, RegistryPlugin } from '../model.ts';

export interface ChangedPlugin {
	plugin: RegistryPlugin;
	change: 'added' | 'changed';
	/** The entry in the old file, for a change. */
	before?: RegistryPlugin;
}

export function changedPlugins(before: Registry, after: Registry): ChangedPlugin[] {
	const byUuid = new Map(before.plugins.map((plugin) => [plugin.uuid, plugin]));
	const byId = new Map(before.plugins.map((plugin) => [plugin.id, plugin]));
	const changed: ChangedPlugin[] = [];
	for (const plugin of after.plugins) {
		const old = byUuid.get(plugin.uuid) ?? byId.get(plugin.id);
		if (old === undefined) changed.push({ plugin, change: 'added' });
		else if (!isDeepStrictEqual(old, plugin))
			changed.push({ plugin, change: 'changed', before: old });
	}
	return changed;
}

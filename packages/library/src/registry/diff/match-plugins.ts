/**
 * Pairs the plugins of two registries. By id first; what is left is paired by UUID, so an id
 * rename is reported as one, and whatever else changed with it (a trust raise, say) is still
 * compared against the old entry instead of passing as a brand-new plugin.
 */
import type { RegistryPlugin } from '../model.ts';

export interface PluginPairs {
	pairs: { before: RegistryPlugin; after: RegistryPlugin }[];
	added: RegistryPlugin[];
	removed: RegistryPlugin[];
}

export function matchPlugins(
	before: readonly RegistryPlugin[],
	after: readonly RegistryPlugin[],
): PluginPairs {
	const pairs: PluginPairs['pairs'] = [];
	const oldById = firstBy(before, (p) => p.id);
	const pairedOld = new Set<RegistryPlugin>();
	const unpairedNew: RegistryPlugin[] = [];
	for (const plugin of after) {
		const old = oldById.get(plugin.id);
		if (old !== undefined && !pairedOld.has(old)) {
			pairs.push({ before: old, after: plugin });
			pairedOld.add(old);
		} else {
			unpairedNew.push(plugin);
		}
	}
	// A rename keeps the UUID, or declares the old one in redirect_from_uuid.
	const remainingOld = before.filter((plugin) => !pairedOld.has(plugin));
	const added: RegistryPlugin[] = [];
	for (const plugin of unpairedNew) {
		const old = remainingOld.find(
			(candidate) =>
				!pairedOld.has(candidate) &&
				(candidate.uuid === plugin.uuid || plugin.redirectFromUuid.includes(candidate.uuid)),
		);
		if (old === undefined) {
			added.push(plugin);
			continue;
		}
		pairs.push({ before: old, after: plugin });
		pairedOld.add(old);
	}
	const removed = before.filter((plugin) => !pairedOld.has(plugin));
	return { pairs, added, removed };
}

function firstBy<T>(items: readonly T[], key: (item: T) => string): Map<string, T> {
	const map = new Map<string, T>();
	for (const item of items) if (!map.has(key(item))) map.set(key(item), item);
	return map;
}

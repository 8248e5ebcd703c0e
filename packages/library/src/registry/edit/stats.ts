/** `stats`: how many plugins per trust level and per category, and the blacklist by kind. */
import { REGISTRY_TRUST_LEVELS, type Registry } from '../model.ts';

export interface RegistryStats {
	plugins: number;
	byTrust: Record<string, number>;
	byCategory: Record<string, number>;
	/** Plugins with no category at all. */
	uncategorised: number;
	blacklist: number;
	/** Entries by their identifier keys (`uuid`, `url`, `url_regex`, `uuid+url`...). */
	blacklistByKind: Record<string, number>;
}

export function registryStats(registry: Registry): RegistryStats {
	const byTrust: Record<string, number> = Object.fromEntries(
		REGISTRY_TRUST_LEVELS.map((level) => [level, 0]),
	);
	const byCategory = new Map<string, number>();
	let uncategorised = 0;
	for (const plugin of registry.plugins) {
		byTrust[plugin.trustLevel] = (byTrust[plugin.trustLevel] ?? 0) + 1;
		if (plugin.categories.length === 0) uncategorised++;
		for (const category of new Set(plugin.categories)) {
			byCategory.set(category, (byCategory.get(category) ?? 0) + 1);
		}
	}
	const blacklistByKind = new Map<string, number>();
	for (const entry of registry.blacklist) {
		const kind = [
			entry.uuid === undefined ? '' : 'uuid',
			entry.url === undefined ? '' : 'url',
			entry.urlRegex === undefined ? '' : 'url_regex',
		]
			.filter((key) => key !== '')
			.join('+');
		blacklistByKind.set(kind, (blacklistByKind.get(kind) ?? 0) + 1);
	}
	return {
		plugins: registry.plugins.length,
		byTrust,
		byCategory: Object.fromEntries([...byCategory].sort(([a], [b]) => a.localeCompare(b))),
		uncategorised,
		blacklist: registry.blacklist.length,
		blacklistByKind: Object.fromEntries(blacklistByKind),
	};
}

/** Browse and search over a loaded registry, for the CLI and the web pages. */
import { type Registry, type RegistryPlugin, TRUST_ORDER, type TrustLevel } from './model.ts';

export interface PluginFilters {
	/** Keep only these levels. */
	trust?: readonly TrustLevel[];
	/** Keep only plugins listing this category (exact). */
	category?: string;
}

/** The plugins that pass the filters, in registry order. */
export function listPlugins(registry: Registry, filters: PluginFilters = {}): RegistryPlugin[] {
	return registry.plugins.filter((plugin) => passes(plugin, filters));
}

/**
 * Case-insensitive substring search over id, name and description, their translations
 * included. Ranked: an exact id or name match first, then by trust (official first), then
 * registry order. An empty text matches every plugin.
 */
export function searchPlugins(
	registry: Registry,
	text: string,
	filters: PluginFilters = {},
): RegistryPlugin[] {
	const needle = text.trim().toLowerCase();
	const hits: Array<{ plugin: RegistryPlugin; exact: boolean; trust: number; order: number }> = [];
	registry.plugins.forEach((plugin, order) => {
		if (!passes(plugin, filters)) return;
		const fields = searchableFields(plugin);
		if (!fields.some((field) => field.includes(needle))) return;
		const exact =
			needle.length > 0 &&
			(plugin.id.toLowerCase() === needle ||
				plugin.name.toLowerCase() === needle ||
				Object.values(plugin.nameI18n).some((name) => name.toLowerCase() === needle));
		hits.push({ plugin, exact, trust: TRUST_ORDER.indexOf(plugin.trustLevel), order });
	});
	hits.sort((a, b) => Number(b.exact) - Number(a.exact) || a.trust - b.trust || a.order - b.order);
	return hits.map((hit) => hit.plugin);
}

function searchableFields(plugin: RegistryPlugin): string[] {
	return [
		plugin.id,
		plugin.name,
		plugin.description,
		...Object.values(plugin.nameI18n),
		...Object.values(plugin.descriptionI18n),
	].map((field) => field.toLowerCase());
}

function passes(plugin: RegistryPlugin, filters: PluginFilters): boolean {
	if (filters.trust !== undefined && !filters.trust.includes(plugin.trustLevel)) return false;
	if (filters.category !== undefined && !plugin.categories.includes(filters.category)) return false;
	return true;
}

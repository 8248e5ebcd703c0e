/**
 * The rows that search and pages read, derived from the registry document. The document stays
 * the one source of truth: these rows are rebuilt from it by every edit, in the same
 * transaction, so they never drift from what is published. Entries the library's reader skips
 * (invalid ones) are not projected, exactly as clients skip them.
 */
import { blacklistEntryId } from '@vouch/library/internal/registry/edit/blacklist-id';
import type { RawDocument, RawTable } from '@vouch/library/internal/registry/edit/operations';
import { blacklistOf, pluginsOf } from '@vouch/library/internal/registry/edit/operations';
import type { Registry, RegistryPlugin } from '@vouch/library/internal/registry/model';
import type { BlacklistRowTable, PluginRowTable } from '../db/schema.ts';

export const TRUST_RANK: Readonly<Record<string, number>> = {
	official: 3,
	trusted: 2,
	community: 1,
};

export interface Projection {
	plugins: PluginRowTable[];
	blacklist: BlacklistRowTable[];
}

export function projectRegistry(
	document: RawDocument,
	registry: Registry,
	now: string,
): Projection {
	const rawById = new Map<string, { table: RawTable; position: number }>();
	pluginsOf(document).forEach((table, position) => {
		if (typeof table.id === 'string' && !rawById.has(table.id))
			rawById.set(table.id, { table, position });
	});
	const plugins: PluginRowTable[] = [];
	const seen = new Set<string>();
	for (const plugin of registry.plugins) {
		const raw = rawById.get(plugin.id);
		// The first entry of an id is the one clients use; lint reports the duplicate.
		if (raw === undefined || seen.has(plugin.id)) continue;
		seen.add(plugin.id);
		plugins.push(pluginRow(plugin, raw.table, raw.position, now));
	}
	const blacklist = blacklistOf(document).map((table, position) =>
		blacklistRow(table, position, now),
	);
	return { plugins, blacklist };
}

function pluginRow(
	plugin: RegistryPlugin,
	table: RawTable,
	position: number,
	now: string,
): PluginRowTable {
	const searchable = [
		plugin.id,
		plugin.name,
		plugin.description,
		...Object.values(plugin.nameI18n),
		...Object.values(plugin.descriptionI18n),
		...plugin.authors,
	];
	return {
		id: plugin.id,
		position,
		uuid: plugin.uuid,
		name: plugin.name,
		trust: plugin.trustLevel,
		trust_rank: TRUST_RANK[plugin.trustLevel] ?? 0,
		categories: `,${plugin.categories.join(',')},`,
		description: plugin.description,
		git_url: plugin.gitUrl,
		authors: plugin.authors.join(', '),
		search_text: searchable.join('\n').toLowerCase(),
		entry_json: JSON.stringify(table),
		updated_at: plugin.updatedAt ?? plugin.addedAt ?? now,
	};
}

function blacklistRow(table: RawTable, position: number, now: string): BlacklistRowTable {
	const kinds = (['uuid', 'url', 'url_regex'] as const).filter(
		(key) => typeof table[key] === 'string',
	);
	const value = kinds.map((key) => String(table[key])).join(' ');
	return {
		id: blacklistEntryId(table),
		position,
		kind: kinds.join('+') || 'none',
		value,
		reason: typeof table.reason === 'string' ? table.reason : '',
		severity: table.severity === 'soft' ? 'soft' : 'hard',
		entry_json: JSON.stringify(table),
		added_at: typeof table.blacklisted_at === 'string' ? table.blacklisted_at : now,
	};
}

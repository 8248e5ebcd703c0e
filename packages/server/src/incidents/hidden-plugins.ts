/**
 * Plugins an incident took out of browse: a soft quarantine hides the plugin from the browse
 * page and search (D22), as does a hard blacklist of the whole plugin. A version block or an
 * author block leaves the listing alone (other versions, other plugins are fine). The browse
 * query filters with `where('id', 'not in', ids)` when the list is not empty.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

export async function hiddenPluginIds(db: Kysely<ServiceDatabase>): Promise<string[]> {
	const rows = await db
		.selectFrom('incident_actions')
		.select('params_json')
		.where('state', '=', 'applied')
		.where('kind', 'in', ['soft_quarantine', 'hard_blacklist'])
		.execute();
	const ids = new Set<string>();
	for (const row of rows) {
		const pluginId = (JSON.parse(row.params_json) as { pluginId?: unknown }).pluginId;
		if (typeof pluginId === 'string') ids.add(pluginId);
	}
	return [...ids].sort();
}

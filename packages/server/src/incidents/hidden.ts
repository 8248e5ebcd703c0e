/**
 * Plugins hidden from browsing: those under an applied soft quarantine (D22). Their pages stay
 * reachable by id (with the quarantine's reason), they are only left out of the listing.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

const MAX_HIDDEN = 1000;

export async function hiddenPluginIds(db: Kysely<ServiceDatabase>): Promise<string[]> {
	const rows = await db
		.selectFrom('incident_actions')
		.innerJoin('incidents', 'incidents.id', 'incident_actions.incident_id')
		.select(['incident_actions.params_json', 'incidents.plugin_id'])
		.where('incident_actions.kind', '=', 'soft_quarantine')
		.where('incident_actions.state', '=', 'applied')
		.limit(MAX_HIDDEN)
		.execute();
	const ids = new Set<string>();
	for (const row of rows) {
		let pluginId: unknown;
		try {
			pluginId = (JSON.parse(row.params_json) as { pluginId?: unknown }).pluginId;
		} catch {
			pluginId = undefined;
		}
		const id = typeof pluginId === 'string' && pluginId !== '' ? pluginId : row.plugin_id;
		if (id !== null) ids.add(id);
	}
	return [...ids];
}

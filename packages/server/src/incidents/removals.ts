/**
 * Removals: the actions that took effect (applied, or applied and since reverted), newest
 * first, with what the Atom feed and the OSV export say about them. An action reverted by a
 * granted appeal is a withdrawn removal: it stays listed, marked so.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

export const MAX_REMOVALS = 500;

export interface Removal {
	actionId: number;
	incidentId: number;
	incidentTitle: string;
	kind: string;
	state: string;
	reason: string;
	advice: string | null;
	severity: string | null;
	pluginId: string | null;
	/** The plugin's git URL, when the registry lists it. */
	gitUrl: string | null;
	versions: string | null;
	commit: string | null;
	ownerUrl: string | null;
	appliedAt: string;
	revertedAt: string | null;
	/** When an appeal against the incident was granted. */
	withdrawnAt: string | null;
	/** Kinds of the incident's reports, for the OSV summary. */
	reportKinds: string[];
}

function text(value: unknown): string | null {
	return typeof value === 'string' && value !== '' ? value : null;
}

export async function listRemovals(
	db: Kysely<ServiceDatabase>,
	options: { actionId?: number; limit?: number } = {},
): Promise<Removal[]> {
	let query = db
		.selectFrom('incident_actions')
		.innerJoin('incidents', 'incidents.id', 'incident_actions.incident_id')
		.select([
			'incident_actions.id',
			'incident_actions.incident_id',
			'incident_actions.kind',
			'incident_actions.state',
			'incident_actions.reason',
			'incident_actions.params_json',
			'incident_actions.applied_at',
			'incident_actions.reverted_at',
			'incidents.title',
			'incidents.advice',
			'incidents.severity',
			'incidents.plugin_id',
		])
		.where('incident_actions.applied_at', 'is not', null)
		.where('incident_actions.state', 'in', ['applied', 'reverted']);
	if (options.actionId !== undefined)
		query = query.where('incident_actions.id', '=', options.actionId);
	const rows = await query
		.orderBy('incident_actions.applied_at', 'desc')
		.orderBy('incident_actions.id', 'desc')
		.limit(Math.min(options.limit ?? MAX_REMOVALS, MAX_REMOVALS))
		.execute();
	if (rows.length === 0) return [];
	const incidentIds = [...new Set(rows.map((row) => Number(row.incident_id)))];
	const granted = await db
		.selectFrom('appeals')
		.select(['incident_id', 'decided_at'])
		.where('incident_id', 'in', incidentIds)
		.where('state', '=', 'granted')
		.execute();
	const kinds = await db
		.selectFrom('reports')
		.select(['incident_id', 'kind'])
		.where('incident_id', 'in', incidentIds)
		.groupBy(['incident_id', 'kind'])
		.execute();
	const params = rows.map((row) => {
		try {
			const value: unknown = JSON.parse(row.params_json);
			return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : {};
		} catch {
			return {};
		}
	});
	const pluginIds = [
		...new Set(
			rows
				.map((row, index) => text(params[index]?.pluginId) ?? row.plugin_id)
				.filter((id): id is string => id !== null),
		),
	];
	const plugins =
		pluginIds.length === 0
			? []
			: await db
					.selectFrom('plugins')
					.select(['id', 'git_url'])
					.where('id', 'in', pluginIds)
					.execute();
	const urls = new Map(plugins.map((plugin) => [plugin.id, plugin.git_url]));
	return rows.map((row, index) => {
		const p = params[index] ?? {};
		const incidentId = Number(row.incident_id);
		const pluginId = text(p.pluginId) ?? row.plugin_id;
		const reverted = row.state === 'reverted' ? row.reverted_at : null;
		return {
			actionId: Number(row.id),
			incidentId,
			incidentTitle: row.title,
			kind: row.kind,
			state: row.state,
			reason: row.reason,
			advice: text(p.advice) ?? row.advice,
			severity: row.severity,
			pluginId,
			gitUrl: pluginId === null ? null : (urls.get(pluginId) ?? null),
			versions: text(p.versions),
			commit: text(p.commit),
			ownerUrl: text(p.ownerUrl),
			appliedAt: row.applied_at as string,
			revertedAt: reverted,
			withdrawnAt:
				reverted === null
					? null
					: (granted.find((appeal) => Number(appeal.incident_id) === incidentId)?.decided_at ??
						null),
			reportKinds: kinds
				.filter((kind) => Number(kind.incident_id) === incidentId)
				.map((kind) => kind.kind)
				.sort(),
		};
	});
}

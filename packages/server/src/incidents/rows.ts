/**
 * The incident service's rows: read by id, with NOT_FOUND for one that does not exist, and the
 * one way a new incident row is written.
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { IncidentActionTable, IncidentTable, ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import type { ActionParams } from './types.ts';

export type IncidentRow = Selectable<IncidentTable>;
export type ActionRow = Selectable<IncidentActionTable>;
type Db = Kysely<ServiceDatabase> | Transaction<ServiceDatabase>;

export async function incidentRow(db: Db, id: number): Promise<IncidentRow> {
	const row = Number.isSafeInteger(id)
		? await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst()
		: undefined;
	if (row === undefined) throw serverError('NOT_FOUND', `There is no incident ${id}.`);
	return { ...row, id: Number(row.id) };
}

export async function actionRow(db: Db, id: number): Promise<ActionRow> {
	const row = Number.isSafeInteger(id)
		? await db.selectFrom('incident_actions').selectAll().where('id', '=', id).executeTakeFirst()
		: undefined;
	if (row === undefined) throw serverError('NOT_FOUND', `There is no action ${id}.`);
	return { ...row, id: Number(row.id), incident_id: Number(row.incident_id) };
}

export function paramsOf(row: ActionRow): ActionParams {
	return JSON.parse(row.params_json) as ActionParams;
}

export async function appliedActionsOf(db: Db, incidentId: number): Promise<ActionRow[]> {
	const rows = await db
		.selectFrom('incident_actions')
		.selectAll()
		.where('incident_id', '=', incidentId)
		.where('state', '=', 'applied')
		.orderBy('id')
		.execute();
	return rows.map((row) => ({ ...row, id: Number(row.id), incident_id: Number(row.incident_id) }));
}

/** A new incident, in `received`, with nothing decided yet; its id. */
export async function insertReceivedIncident(
	trx: Transaction<ServiceDatabase>,
	incident: { grouping: string; groupKey: string; pluginId: string | null; title: string },
	now: string,
): Promise<number> {
	const row = await trx
		.insertInto('incidents')
		.values({
			grouping: incident.grouping,
			group_key: incident.groupKey,
			plugin_id: incident.pluginId,
			title: incident.title.slice(0, 300),
			state: 'received',
			severity: null,
			advice: null,
			opened_at: now,
			updated_at: now,
			triaged_at: null,
			decided_at: null,
			published_at: null,
			resolved_at: null,
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return Number(row.id);
}

/**
 * Removals in the OSV format, as `ossf/malicious-packages` publishes malicious packages: one
 * record per incident that blocked something, with the plugin (or the owner's URL prefix) as the
 * affected package, the blocked versions, and the decision's reasons. A record whose blocks were
 * all reverted is marked `withdrawn`. Reporters and appeal texts are never part of it.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { type IncidentContext, incidentUrl } from './deps.ts';
import type { ActionParams } from './types.ts';

export const OSV_ECOSYSTEM = 'Vouch';
const OSV_ID = /^VOUCH-([1-9][0-9]{0,14})$/;

export function osvIdOf(incidentId: number): string {
	return `VOUCH-${incidentId}`;
}

type Context = Pick<IncidentContext, 'publicBaseUrl'> & { db: { db: Kysely<ServiceDatabase> } };

export async function osvRecords(context: Context, only?: number) {
	let query = context.db.db
		.selectFrom('incident_actions')
		.innerJoin('incidents', 'incidents.id', 'incident_actions.incident_id')
		.select([
			'incidents.id as incidentId',
			'incidents.title as title',
			'incidents.opened_at as openedAt',
			'incidents.updated_at as updatedAt',
			'incident_actions.kind as kind',
			'incident_actions.state as state',
			'incident_actions.params_json as params',
			'incident_actions.reason as reason',
			'incident_actions.applied_at as appliedAt',
			'incident_actions.reverted_at as revertedAt',
		])
		.where('incident_actions.applied_at', 'is not', null)
		.orderBy('incidents.id')
		.orderBy('incident_actions.id')
		.limit(20_000);
	if (only !== undefined) query = query.where('incidents.id', '=', only);
	const rows = await query.execute();
	const byIncident = new Map<number, typeof rows>();
	for (const row of rows) {
		const id = Number(row.incidentId);
		byIncident.set(id, [...(byIncident.get(id) ?? []), row]);
	}
	return [...byIncident.entries()].map(([id, actions]) => {
		const first = actions[0] as (typeof actions)[number];
		const live = actions.filter((action) => action.state === 'applied');
		const withdrawn =
			live.length === 0
				? actions
						.map((a) => a.revertedAt ?? '')
						.sort()
						.at(-1)
				: undefined;
		return {
			schema_version: '1.6.0',
			id: osvIdOf(id),
			modified: first.updatedAt,
			published: actions.map((a) => a.appliedAt ?? '').sort()[0] ?? first.openedAt,
			...(withdrawn === undefined || withdrawn === '' ? {} : { withdrawn }),
			summary: first.title,
			details: [...new Set(actions.map((action) => action.reason))].join('\n'),
			affected: actions.map((action) => {
				const params = JSON.parse(action.params) as ActionParams;
				return {
					package: {
						ecosystem: OSV_ECOSYSTEM,
						name: params.pluginId ?? params.ownerUrl ?? 'unknown',
					},
					...(params.versions === undefined
						? {}
						: { database_specific: { versions: params.versions } }),
					...(params.commit === undefined
						? {}
						: { ranges: [{ type: 'GIT', events: [{ introduced: params.commit }] }] }),
					ecosystem_specific: { action: action.kind, state: action.state },
				};
			}),
			references: [{ type: 'REPORT', url: incidentUrl(context, id) }],
			database_specific: { incident: id },
		};
	});
}

export async function osvRecord(context: Context, osvId: string) {
	const match = OSV_ID.exec(osvId);
	const records = match?.[1] === undefined ? [] : await osvRecords(context, Number(match[1]));
	if (records[0] === undefined) throw serverError('NOT_FOUND', 'No removal has this id.');
	return records[0];
}

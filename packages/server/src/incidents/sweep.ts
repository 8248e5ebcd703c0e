/**
 * The incident service's periodic work, safe to run in every process at once: lapse expired
 * automatic quarantines (each action is moved out of `applied` by one writer only), quarantine
 * plugins whose scan flags malware (once per scanned commit), and note when a decision was
 * first published (for the metrics).
 */
import { expireQuarantines, quarantineOnScans } from './auto-quarantine.ts';
import type { IncidentContext } from './deps.ts';

export async function sweep(
	context: IncidentContext,
	examined: Set<string>,
): Promise<{ expired: number; quarantined: number }> {
	const expired = await expireQuarantines(context);
	const quarantined = await quarantineOnScans(context, examined);
	await notePublications(context);
	return { expired, quarantined };
}

async function notePublications(context: IncidentContext): Promise<void> {
	const rows = await context.db.db
		.selectFrom('incidents')
		.innerJoin('incident_actions', 'incident_actions.incident_id', 'incidents.id')
		.innerJoin('changes', 'changes.seq', 'incident_actions.change_seq')
		.innerJoin('publishes', 'publishes.id', 'changes.publish_id')
		.select(['incidents.id as id', 'publishes.completed_at as completedAt'])
		.where('incidents.published_at', 'is', null)
		.orderBy('publishes.id')
		.limit(500)
		.execute();
	const seen = new Set<number>();
	for (const row of rows) {
		const id = Number(row.id);
		if (seen.has(id)) continue;
		seen.add(id);
		await context.db.db
			.updateTable('incidents')
			.set({ published_at: row.completedAt })
			.where('id', '=', id)
			.where('published_at', 'is', null)
			.execute();
	}
}

/**
 * How fast reports become signed decisions (D22), from the stored rows: for each incident,
 * the time from its first report to triage (`triaged_at`), to decision (`decided_at`), and to
 * signed publication (when the publish that carried its first action's change was signed);
 * and host uptake, how many clients fetched a timestamp at least as new as that publish's.
 * Incidents opened without a report (a maintainer's own finding) have no report time and are
 * not counted. Median is the middle value (the mean of the two middle ones for an even count);
 * p90 is the nearest rank.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import type { UptakeCounter } from './uptake.ts';

/** The newest incidents measured; older ones have long stopped moving the figures. */
export const MAX_MEASURED_INCIDENTS = 5000;
const UPTAKE_DECISIONS = 10;

export interface DurationStats {
	count: number;
	medianSeconds: number | null;
	p90Seconds: number | null;
}

export interface UptakeOfDecision {
	incidentId: number;
	actionId: number;
	timestampVersion: number;
	publishedAt: string;
	clients: number;
}

export interface IncidentMetrics {
	generatedAt: string;
	incidents: { total: number; byState: Record<string, number> };
	reportToTriage: DurationStats;
	reportToDecision: DurationStats;
	reportToPublication: DurationStats;
	uptake: {
		/** The counter is in memory, per service process. */
		scope: 'process';
		clientsSeen: number;
		decisions: UptakeOfDecision[];
	} | null;
}

export function durationStats(seconds: readonly number[]): DurationStats {
	const sorted = [...seconds].sort((a, b) => a - b);
	const n = sorted.length;
	if (n === 0) return { count: 0, medianSeconds: null, p90Seconds: null };
	const middle = Math.floor(n / 2);
	const median =
		n % 2 === 1
			? (sorted[middle] as number)
			: ((sorted[middle - 1] as number) + (sorted[middle] as number)) / 2;
	const p90 = sorted[Math.max(Math.ceil(0.9 * n) - 1, 0)] as number;
	return { count: n, medianSeconds: median, p90Seconds: p90 };
}

function secondsBetween(from: string, to: string | null | undefined): number | undefined {
	if (to === null || to === undefined) return undefined;
	const start = Date.parse(from);
	const end = Date.parse(to);
	if (Number.isNaN(start) || Number.isNaN(end) || end < start) return undefined;
	return (end - start) / 1000;
}

export async function incidentMetrics(
	db: Kysely<ServiceDatabase>,
	options: { clock: () => Date; uptake?: UptakeCounter },
): Promise<IncidentMetrics> {
	const incidents = await db
		.selectFrom('incidents')
		.select(['id', 'state', 'triaged_at', 'decided_at'])
		.orderBy('id', 'desc')
		.limit(MAX_MEASURED_INCIDENTS)
		.execute();
	const byState: Record<string, number> = {};
	for (const incident of incidents) byState[incident.state] = (byState[incident.state] ?? 0) + 1;
	const total = await db
		.selectFrom('incidents')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.executeTakeFirstOrThrow();
	const ids = incidents.map((incident) => Number(incident.id));
	const firstReports =
		ids.length === 0
			? []
			: await db
					.selectFrom('reports')
					.select((eb) => ['incident_id', eb.fn.min('created_at').as('first')])
					.where('incident_id', 'in', ids)
					.groupBy('incident_id')
					.execute();
	const firstOf = new Map(firstReports.map((row) => [Number(row.incident_id), String(row.first)]));
	const published =
		ids.length === 0
			? []
			: await db
					.selectFrom('incident_actions')
					.innerJoin('changes', 'changes.seq', 'incident_actions.change_seq')
					.innerJoin('publishes', 'publishes.id', 'changes.publish_id')
					.select([
						'incident_actions.id',
						'incident_actions.incident_id',
						'publishes.completed_at',
						'publishes.timestamp_version',
					])
					.where('incident_actions.incident_id', 'in', ids)
					.where('incident_actions.applied_at', 'is not', null)
					.orderBy('publishes.completed_at')
					.execute();
	const publicationOf = new Map<number, (typeof published)[number]>();
	for (const row of published) {
		const id = Number(row.incident_id);
		if (!publicationOf.has(id)) publicationOf.set(id, row);
	}
	const triage: number[] = [];
	const decision: number[] = [];
	const publication: number[] = [];
	for (const incident of incidents) {
		const first = firstOf.get(Number(incident.id));
		if (first === undefined) continue;
		const push = (into: number[], at: string | null | undefined) => {
			const seconds = secondsBetween(first, at);
			if (seconds !== undefined) into.push(seconds);
		};
		push(triage, incident.triaged_at);
		push(decision, incident.decided_at);
		push(publication, publicationOf.get(Number(incident.id))?.completed_at);
	}
	const uptake = options.uptake;
	return {
		generatedAt: options.clock().toISOString(),
		incidents: { total: Number(total.n), byState },
		reportToTriage: durationStats(triage),
		reportToDecision: durationStats(decision),
		reportToPublication: durationStats(publication),
		uptake:
			uptake === undefined
				? null
				: {
						scope: 'process',
						clientsSeen: uptake.clients,
						decisions: [...publicationOf.values()]
							.sort((a, b) => (a.completed_at < b.completed_at ? 1 : -1))
							.slice(0, UPTAKE_DECISIONS)
							.map((row) => ({
								incidentId: Number(row.incident_id),
								actionId: Number(row.id),
								timestampVersion: Number(row.timestamp_version),
								publishedAt: row.completed_at,
								clients: uptake.clientsAtLeast(Number(row.timestamp_version)),
							})),
					},
	};
}

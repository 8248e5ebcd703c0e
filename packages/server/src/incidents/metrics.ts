/**
 * How fast incidents are handled (D22's measurements): from the first report to triage, to
 * the decision, and to the signed publication of the decision's registry edit, as medians and
 * 90th percentiles over the incidents that reached each step. Host uptake is measured by the
 * propagation simulation (`npm run bench`), not here: the service does not see hosts apply a block.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

export interface Durations {
	count: number;
	medianSeconds: number | null;
	p90Seconds: number | null;
}

function durations(values: number[]): Durations {
	const sorted = values
		.filter((value) => Number.isFinite(value) && value >= 0)
		.sort((a, b) => a - b);
	const at = (q: number) =>
		sorted.length === 0
			? null
			: (sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? null);
	return { count: sorted.length, medianSeconds: at(0.5), p90Seconds: at(0.9) };
}

const MAX_INCIDENTS = 10_000;

export async function incidentMetrics(db: Kysely<ServiceDatabase>) {
	const rows = await db
		.selectFrom('incidents')
		.select(['state', 'opened_at', 'triaged_at', 'decided_at', 'published_at'])
		.orderBy('id', 'desc')
		.limit(MAX_INCIDENTS)
		.execute();
	const since = (from: string, to: string | null) =>
		to === null ? Number.NaN : (Date.parse(to) - Date.parse(from)) / 1000;
	const byState: Record<string, number> = {};
	for (const row of rows) byState[row.state] = (byState[row.state] ?? 0) + 1;
	const reports = await db
		.selectFrom('reports')
		.select((eb) => eb.fn.countAll<number>().as('n'))
		.executeTakeFirst();
	return {
		incidents: rows.length,
		reports: Number(reports?.n ?? 0),
		byState,
		reportToTriage: durations(rows.map((row) => since(row.opened_at, row.triaged_at))),
		reportToDecision: durations(rows.map((row) => since(row.opened_at, row.decided_at))),
		reportToPublication: durations(rows.map((row) => since(row.opened_at, row.published_at))),
	};
}

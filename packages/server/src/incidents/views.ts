/**
 * What the public, and a reporter with a token, see of incidents. Never a reporter's identity,
 * a client key, a token, an appeal's statement or contact: the public view is built from an
 * explicit list of fields, not from rows.
 */
import type { ReportStatus } from '@vouch/library/internal/report/report-schema';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { type IncidentContext, incidentUrl } from './deps.ts';
import { logSequences } from './log-sequence.ts';
import { paramsOf } from './rows.ts';
import { TOKEN_PATTERN, tokenHash } from './tokens.ts';
import type { IncidentState } from './types.ts';

const DECISIONS = ['confirmed', 'dismissed', 'resolved'];

export async function reportStatus(context: IncidentContext, token: string): Promise<ReportStatus> {
	const unknown = serverError('NOT_FOUND', 'No report has this token.', {
		hint: 'Use the token the service gave when the report was filed.',
	});
	if (typeof token !== 'string' || !TOKEN_PATTERN.test(token)) throw unknown;
	const report = await context.db.db
		.selectFrom('reports')
		.select(['id', 'kind', 'created_at', 'incident_id'])
		.where('token_hash', '=', tokenHash(token))
		.executeTakeFirst();
	if (report === undefined) throw unknown;
	const incidentId = Number(report.incident_id);
	const incident = await context.db.db
		.selectFrom('incidents')
		.select(['id', 'state'])
		.where('id', '=', incidentId)
		.executeTakeFirstOrThrow();
	const decision = await context.db.db
		.selectFrom('incident_events')
		.select('reason')
		.where('incident_id', '=', incidentId)
		.where('to_state', 'in', DECISIONS)
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	return {
		reportId: Number(report.id),
		kind: report.kind as ReportStatus['kind'],
		receivedAt: report.created_at,
		incident: {
			id: incidentId,
			state: incident.state as IncidentState,
			url: incidentUrl(context, incidentId),
			...(decision === undefined ? {} : { outcome: decision.reason.slice(0, 2000) }),
		},
	};
}

export interface IncidentListQuery {
	state?: IncidentState;
	pluginId?: string;
	page?: number;
	perPage?: number;
}

export async function listIncidents(db: Kysely<ServiceDatabase>, query: IncidentListQuery = {}) {
	const perPage = Math.min(100, Math.max(1, query.perPage ?? 20));
	const page = Math.max(1, query.page ?? 1);
	let base = db.selectFrom('incidents');
	if (query.state !== undefined) base = base.where('state', '=', query.state);
	if (query.pluginId !== undefined) base = base.where('plugin_id', '=', query.pluginId);
	const total = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
	const rows = await base
		.selectAll()
		.orderBy('id', 'desc')
		.limit(perPage)
		.offset((page - 1) * perPage)
		.execute();
	return {
		total: Number(total?.n ?? 0),
		page,
		perPage,
		items: rows.map((row) => incidentSummary(row)),
	};
}

type IncidentRowShape = {
	id: number;
	grouping: string;
	group_key: string;
	plugin_id: string | null;
	title: string;
	state: string;
	severity: string | null;
	advice: string | null;
	opened_at: string;
	updated_at: string;
	triaged_at: string | null;
	decided_at: string | null;
	published_at: string | null;
	resolved_at: string | null;
};

function incidentSummary(row: IncidentRowShape) {
	return {
		id: Number(row.id),
		title: row.title,
		state: row.state,
		grouping: row.grouping,
		pluginId: row.plugin_id,
		// An author incident's key is the owner's URL prefix, public like the block it leads to.
		...(row.grouping === 'author' ? { ownerUrl: row.group_key } : {}),
		severity: row.severity,
		advice: row.advice,
		openedAt: row.opened_at,
		updatedAt: row.updated_at,
		triagedAt: row.triaged_at,
		decidedAt: row.decided_at,
		publishedAt: row.published_at,
		resolvedAt: row.resolved_at,
	};
}

/** The public incident page's data: summary, timeline, actions, and evidence once confirmed. */
export async function incidentView(db: Kysely<ServiceDatabase>, id: number) {
	const row = Number.isSafeInteger(id)
		? await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst()
		: undefined;
	if (row === undefined) throw serverError('NOT_FOUND', `There is no incident ${id}.`);
	const events = await db
		.selectFrom('incident_events')
		.selectAll()
		.where('incident_id', '=', id)
		.orderBy('id')
		.limit(1000)
		.execute();
	const actions = await db
		.selectFrom('incident_actions')
		.selectAll()
		.where('incident_id', '=', id)
		.orderBy('id')
		.limit(200)
		.execute();
	const sequences = await logSequences(db, [
		...events.map((event) => event.change_seq),
		...actions.map((action) => action.change_seq),
	]);
	const reports = await db
		.selectFrom('reports')
		.select(['kind', 'evidence_json', 'created_at', 'weight'])
		.where('incident_id', '=', id)
		.orderBy('id')
		.limit(500)
		.execute();
	const revealEvidence =
		['confirmed', 'appealed', 'resolved'].includes(row.state) && row.decided_at !== null;
	return {
		...incidentSummary({ ...row, id: Number(row.id) }),
		reports: {
			count: reports.length,
			trusted: reports.filter((report) => report.weight > 1).length,
			kinds: [...new Set(reports.map((report) => report.kind))],
		},
		timeline: events.map((event) => ({
			at: event.at,
			actor: event.actor_name,
			kind: event.kind,
			from: event.from_state,
			to: event.to_state,
			reason: event.reason,
			logSequence:
				event.change_seq === null ? null : (sequences.get(Number(event.change_seq)) ?? null),
		})),
		actions: actions.map((action) => {
			const params = paramsOf({
				...action,
				id: Number(action.id),
				incident_id: Number(action.incident_id),
			});
			return {
				id: Number(action.id),
				kind: action.kind,
				state: action.state,
				reason: action.reason,
				severity: action.kind === 'soft_quarantine' ? 'soft' : 'hard',
				automatic: action.automatic === 1,
				mass: action.mass === 1,
				target: {
					...(params.pluginId === undefined ? {} : { pluginId: params.pluginId }),
					...(params.versions === undefined ? {} : { versions: params.versions }),
					...(params.commit === undefined ? {} : { commit: params.commit }),
					...(params.ownerUrl === undefined ? {} : { ownerUrl: params.ownerUrl }),
				},
				advice: params.advice ?? null,
				blacklistEntry: action.blacklist_entry_id,
				requestedBy: action.requested_by,
				approvedBy: action.approved_by,
				requestedAt: action.requested_at,
				appliedAt: action.applied_at,
				revertedAt: action.reverted_at,
				expiresAt: action.expires_at,
				undoUntil: action.undo_until,
				logSequence:
					action.change_seq === null ? null : (sequences.get(Number(action.change_seq)) ?? null),
			};
		}),
		// Evidence is shown once maintainers confirmed the incident: before, a false report's
		// claims would be published under the registry's name.
		evidence: revealEvidence
			? reports.flatMap((report) =>
					(JSON.parse(report.evidence_json) as unknown[]).map((item) => ({
						kind: report.kind,
						...(item as object),
					})),
				)
			: [],
	};
}

/** The appeal's decision, for its author (nothing else of it is public). */
export async function appealOf(db: Kysely<ServiceDatabase>, appealId: number) {
	const row = await db
		.selectFrom('appeals')
		.select(['id', 'incident_id', 'state', 'created_at', 'decided_at', 'decision_reason'])
		.where('id', '=', appealId)
		.executeTakeFirst();
	return row;
}

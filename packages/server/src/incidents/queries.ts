/**
 * Incidents as the pages, the feed and the exports read them. Public views carry what the
 * public may know: states, reasons, actions, the kinds and counts of reports and the evidence
 * they point at; never who reported, their client keys, tokens or contacts.
 */
import {
	type ReportEvidence,
	reportEvidenceSchema,
} from '@vouch/library/internal/report/report-schema';
import type { Kysely } from 'kysely';
import type { IncidentState, ServiceDatabase } from '../db/schema.ts';
import { type LogPosition, logPositions } from './log-index.ts';

export const INCIDENTS_PER_PAGE = 25;
export const MAX_INCIDENTS_PER_PAGE = 100;
const MAX_EVENTS = 500;
const MAX_EVIDENCE = 50;

export interface IncidentListing {
	id: number;
	grouping: string;
	groupKey: string;
	pluginId: string | null;
	title: string;
	state: IncidentState;
	severity: string | null;
	openedAt: string;
	updatedAt: string;
}

export interface IncidentFilter {
	state?: IncidentState;
	plugin?: string;
	page?: number;
	perPage?: number;
}

function listing(row: {
	id: number | string;
	grouping: string;
	group_key: string;
	plugin_id: string | null;
	title: string;
	state: IncidentState;
	severity: string | null;
	opened_at: string;
	updated_at: string;
}): IncidentListing {
	return {
		id: Number(row.id),
		grouping: row.grouping,
		groupKey: row.group_key,
		pluginId: row.plugin_id,
		title: row.title,
		state: row.state,
		severity: row.severity,
		openedAt: row.opened_at,
		updatedAt: row.updated_at,
	};
}

/** Newest activity first, with the total for paging. */
export async function listIncidents(
	db: Kysely<ServiceDatabase>,
	filter: IncidentFilter = {},
): Promise<{ items: IncidentListing[]; total: number; page: number; perPage: number }> {
	const perPage = Math.min(
		Math.max(filter.perPage ?? INCIDENTS_PER_PAGE, 1),
		MAX_INCIDENTS_PER_PAGE,
	);
	const page = Math.max(filter.page ?? 1, 1);
	let query = db.selectFrom('incidents');
	if (filter.state !== undefined) query = query.where('state', '=', filter.state);
	if (filter.plugin !== undefined) query = query.where('plugin_id', '=', filter.plugin);
	const counted = await query
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.executeTakeFirstOrThrow();
	const rows = await query
		.selectAll()
		.orderBy('updated_at', 'desc')
		.orderBy('id', 'desc')
		.limit(perPage)
		.offset((page - 1) * perPage)
		.execute();
	return { items: rows.map(listing), total: Number(counted.n), page, perPage };
}

export interface IncidentEventView {
	id: number;
	at: string;
	/** Who took the step; report steps name no one on public pages (see `publicActor`). */
	actorName: string;
	kind: string;
	fromState: string | null;
	toState: string | null;
	reason: string;
	changeSeq: number | null;
	/** Where the step is in the transparency log, once published. */
	log: LogPosition | undefined;
}

export interface IncidentActionView {
	id: number;
	kind: string;
	params: Record<string, unknown>;
	reason: string;
	state: string;
	automatic: boolean;
	mass: boolean;
	requestedBy: string;
	approvedBy: string | null;
	requestedAt: string;
	appliedAt: string | null;
	revertedAt: string | null;
	blacklistEntryId: string | null;
	changeSeq: number | null;
	expiresAt: string | null;
	undoUntil: string | null;
	log: LogPosition | undefined;
}

export interface IncidentDetail extends IncidentListing {
	advice: string | null;
	triagedAt: string | null;
	decidedAt: string | null;
	resolvedAt: string | null;
	events: IncidentEventView[];
	actions: IncidentActionView[];
	reports: {
		total: number;
		trusted: number;
		kinds: Record<string, number>;
		firstAt: string | null;
	};
	appeals: { total: number; open: number };
	/** What the reports point at: files and lines of commits, and links; invalid items dropped. */
	evidence: ReportEvidence[];
}

function parseObject(text: string): Record<string, unknown> {
	try {
		const value: unknown = JSON.parse(text);
		return typeof value === 'object' && value !== null && !Array.isArray(value)
			? (value as Record<string, unknown>)
			: {};
	} catch {
		return {};
	}
}

function evidenceOf(rows: { evidence_json: string }[]): ReportEvidence[] {
	const seen = new Set<string>();
	const found: ReportEvidence[] = [];
	for (const row of rows) {
		let items: unknown;
		try {
			items = JSON.parse(row.evidence_json);
		} catch {
			continue;
		}
		if (!Array.isArray(items)) continue;
		for (const item of items.slice(0, 20)) {
			const parsed = reportEvidenceSchema.safeParse(item);
			if (!parsed.success) continue;
			const key = JSON.stringify(parsed.data);
			if (seen.has(key)) continue;
			seen.add(key);
			found.push(parsed.data);
			if (found.length >= MAX_EVIDENCE) return found;
		}
	}
	return found;
}

export async function getIncident(
	db: Kysely<ServiceDatabase>,
	id: number,
): Promise<IncidentDetail | undefined> {
	if (!Number.isSafeInteger(id) || id < 1) return undefined;
	const row = await db.selectFrom('incidents').selectAll().where('id', '=', id).executeTakeFirst();
	if (row === undefined) return undefined;
	const events = await db
		.selectFrom('incident_events')
		.selectAll()
		.where('incident_id', '=', id)
		.orderBy('at')
		.orderBy('id')
		.limit(MAX_EVENTS)
		.execute();
	const actions = await db
		.selectFrom('incident_actions')
		.selectAll()
		.where('incident_id', '=', id)
		.orderBy('id')
		.execute();
	// Only what the public may see of a report: its kind, weight, time and evidence.
	const reports = await db
		.selectFrom('reports')
		.select(['kind', 'weight', 'created_at', 'evidence_json'])
		.where('incident_id', '=', id)
		.orderBy('created_at')
		.orderBy('id')
		.limit(1000)
		.execute();
	const appeals = await db
		.selectFrom('appeals')
		.select(['state'])
		.where('incident_id', '=', id)
		.execute();
	const seqs = [
		...events.map((event) => event.change_seq),
		...actions.map((action) => action.change_seq),
	].filter((seq): seq is number => seq !== null);
	const positions = await logPositions(db, seqs);
	const kinds: Record<string, number> = {};
	for (const report of reports) kinds[report.kind] = (kinds[report.kind] ?? 0) + 1;
	return {
		...listing(row),
		advice: row.advice,
		triagedAt: row.triaged_at,
		decidedAt: row.decided_at,
		resolvedAt: row.resolved_at,
		events: events.map((event) => ({
			id: Number(event.id),
			at: event.at,
			actorName: event.actor_name,
			kind: event.kind,
			fromState: event.from_state,
			toState: event.to_state,
			reason: event.reason,
			changeSeq: event.change_seq === null ? null : Number(event.change_seq),
			log: event.change_seq === null ? undefined : positions.get(Number(event.change_seq)),
		})),
		actions: actions.map((action) => ({
			id: Number(action.id),
			kind: action.kind,
			params: parseObject(action.params_json),
			reason: action.reason,
			state: action.state,
			automatic: action.automatic === 1,
			mass: action.mass === 1,
			requestedBy: action.requested_by,
			approvedBy: action.approved_by,
			requestedAt: action.requested_at,
			appliedAt: action.applied_at,
			revertedAt: action.reverted_at,
			blacklistEntryId: action.blacklist_entry_id,
			changeSeq: action.change_seq === null ? null : Number(action.change_seq),
			expiresAt: action.expires_at,
			undoUntil: action.undo_until,
			log: action.change_seq === null ? undefined : positions.get(Number(action.change_seq)),
		})),
		reports: {
			total: reports.length,
			trusted: reports.filter((report) => report.weight > 1).length,
			kinds,
			firstAt: reports[0]?.created_at ?? null,
		},
		appeals: {
			total: appeals.length,
			open: appeals.filter((appeal) => appeal.state === 'open').length,
		},
		evidence: evidenceOf(reports),
	};
}

/**
 * The name a public page shows for a step: reporters stay anonymous (a report step may carry
 * a trusted reporter's account name); maintainers' steps are signed with their names.
 */
export function publicActor(event: { kind: string; actorName: string }): string {
	return event.kind === 'report' ? 'a reporter' : event.actorName;
}

/** Open appeals, for the admin page's decision forms (statement and contact are for maintainers only). */
export async function appealsOf(
	db: Kysely<ServiceDatabase>,
	incidentId: number,
): Promise<
	{
		id: number;
		statement: string;
		contact: string | null;
		state: string;
		createdAt: string;
		decidedBy: string | null;
		decisionReason: string | null;
	}[]
> {
	const rows = await db
		.selectFrom('appeals')
		.select(['id', 'statement', 'contact', 'state', 'created_at', 'decided_by', 'decision_reason'])
		.where('incident_id', '=', incidentId)
		.orderBy('id')
		.limit(100)
		.execute();
	return rows.map((row) => ({
		id: Number(row.id),
		statement: row.statement,
		contact: row.contact,
		state: row.state,
		createdAt: row.created_at,
		decidedBy: row.decided_by,
		decisionReason: row.decision_reason,
	}));
}

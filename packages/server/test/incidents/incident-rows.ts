/**
 * Incident rows written straight into the tables, for the read queries' tests: fixed times, so
 * the figures (durations, log positions, OSV dates) are known exactly.
 */
import type { ServiceDb } from '../../src/db/open.ts';

export const HOSTILE = '<script>window.__pwned=1</script>"><img src=x onerror=alert(1)>\u202e';

type Db = ServiceDb['db'];

export async function addPublish(
	db: Db,
	input: { logSize: number; timestampVersion: number; completedAt: string },
): Promise<number> {
	const row = await db
		.insertInto('publishes')
		.values({
			lease_epoch: 1,
			holder: 'test',
			revision: 1,
			targets_version: input.timestampVersion,
			timestamp_version: input.timestampVersion,
			log_size: input.logSize,
			started_at: input.completedAt,
			completed_at: input.completedAt,
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return Number(row.id);
}

export async function addChange(db: Db, at: string, publishId: number | null): Promise<number> {
	const row = await db
		.insertInto('changes')
		.values({
			action: 'incident',
			subject: 'incident',
			reason: 'test',
			actor_name: 'alice',
			actor_key: null,
			report: null,
			sha256_before: 'a'.repeat(64),
			sha256_after: 'a'.repeat(64),
			revision: 1,
			created_at: at,
			publish_id: publishId,
		})
		.returning('seq')
		.executeTakeFirstOrThrow();
	return Number(row.seq);
}

export async function addIncident(
	db: Db,
	input: {
		pluginId: string;
		title?: string;
		state?: 'received' | 'investigating' | 'confirmed' | 'dismissed' | 'appealed' | 'resolved';
		openedAt: string;
		triagedAt?: string;
		decidedAt?: string;
		advice?: string;
	},
): Promise<number> {
	const row = await db
		.insertInto('incidents')
		.values({
			grouping: 'plugin',
			group_key: input.pluginId,
			plugin_id: input.pluginId,
			title: input.title ?? `Reports about ${input.pluginId}`,
			state: input.state ?? 'received',
			severity: input.decidedAt === undefined ? null : 'hard',
			advice: input.advice ?? null,
			opened_at: input.openedAt,
			updated_at: input.decidedAt ?? input.triagedAt ?? input.openedAt,
			triaged_at: input.triagedAt ?? null,
			decided_at: input.decidedAt ?? null,
			published_at: null,
			resolved_at: null,
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return Number(row.id);
}

export async function addReport(
	db: Db,
	incidentId: number,
	input: {
		at: string;
		kind?: string;
		evidence?: unknown[];
		reporterName?: string;
		details?: string;
	},
): Promise<void> {
	await db
		.insertInto('reports')
		.values({
			token_hash: `${incidentId}-${input.at}-${Math.random()}`,
			incident_id: incidentId,
			plugin_id: null,
			plugin_uuid: null,
			plugin_url: null,
			ref_name: null,
			commit_sha: null,
			tree_digest: null,
			trust: null,
			host_profile: null,
			host_version: null,
			kind: input.kind ?? 'malware',
			details: input.details ?? 'details',
			evidence_json: JSON.stringify(input.evidence ?? []),
			reporter_account_id: input.reporterName === undefined ? null : 1,
			reporter_name: input.reporterName ?? null,
			weight: input.reporterName === undefined ? 1 : 3,
			client_key: 'client-key-secret-value',
			created_at: input.at,
		})
		.execute();
}

export async function addEvent(
	db: Db,
	incidentId: number,
	input: {
		at: string;
		kind: string;
		actor: string;
		reason: string;
		to?: string;
		changeSeq?: number;
	},
): Promise<void> {
	await db
		.insertInto('incident_events')
		.values({
			incident_id: incidentId,
			at: input.at,
			actor_name: input.actor,
			kind: input.kind,
			from_state: null,
			to_state: input.to ?? null,
			reason: input.reason,
			change_seq: input.changeSeq ?? null,
			details_json: '{}',
		})
		.execute();
}

export async function addAction(
	db: Db,
	incidentId: number,
	input: {
		kind: string;
		params: Record<string, unknown>;
		reason: string;
		state: string;
		at: string;
		revertedAt?: string;
		changeSeq?: number;
	},
): Promise<number> {
	const row = await db
		.insertInto('incident_actions')
		.values({
			incident_id: incidentId,
			kind: input.kind,
			params_json: JSON.stringify(input.params),
			reason: input.reason,
			state: input.state,
			automatic: 0,
			mass: 0,
			requested_by: 'alice',
			approved_by: null,
			requested_at: input.at,
			applied_at: input.state === 'awaiting_approval' ? null : input.at,
			reverted_at: input.revertedAt ?? null,
			blacklist_entry_id: null,
			change_seq: input.changeSeq ?? null,
			expires_at: null,
			undo_until: null,
		})
		.returning('id')
		.executeTakeFirstOrThrow();
	return Number(row.id);
}

export async function addAppeal(
	db: Db,
	incidentId: number,
	input: { state: 'open' | 'granted' | 'denied'; at: string; decidedAt?: string },
): Promise<void> {
	await db
		.insertInto('appeals')
		.values({
			incident_id: incidentId,
			token_hash: `appeal-${incidentId}-${Math.random()}`,
			statement: 'It is mine and it is fine',
			contact: 'author@example.org',
			state: input.state,
			created_at: input.at,
			decided_at: input.decidedAt ?? null,
			decided_by: input.decidedAt === undefined ? null : 'bob',
			decision_reason: input.decidedAt === undefined ? null : 'granted',
		})
		.execute();
}

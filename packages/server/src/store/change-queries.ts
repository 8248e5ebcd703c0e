/**
 * The change records with their publish state, as the admin API and the admin pages list them:
 * one query, so both always show the same facts about a change.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

export interface ChangeListing {
	seq: number;
	action: string;
	subject: string;
	reason: string;
	actor_name: string;
	actor_key: string | null;
	report: string | null;
	sha256_before: string;
	sha256_after: string;
	revision: number;
	created_at: string;
	publish_id: number | null;
	log_size: number | null;
	completed_at: string | null;
}

export type ChangeWindow =
	/** Oldest first, after a seq (a script paging forward). */
	| { after: number; limit: number }
	/** Newest first, before a seq when given (a page paging back). */
	| { before?: number; limit: number };

export async function listChanges(
	db: Kysely<ServiceDatabase>,
	window: ChangeWindow,
): Promise<ChangeListing[]> {
	let query = db
		.selectFrom('changes')
		.leftJoin('publishes', 'publishes.id', 'changes.publish_id')
		.select([
			'changes.seq',
			'changes.action',
			'changes.subject',
			'changes.reason',
			'changes.actor_name',
			'changes.actor_key',
			'changes.report',
			'changes.sha256_before',
			'changes.sha256_after',
			'changes.revision',
			'changes.created_at',
			'changes.publish_id',
			'publishes.log_size',
			'publishes.completed_at',
		]);
	if ('after' in window) {
		return query
			.where('changes.seq', '>', window.after)
			.orderBy('changes.seq')
			.limit(window.limit)
			.execute();
	}
	if (window.before !== undefined) query = query.where('changes.seq', '<', window.before);
	return query.orderBy('changes.seq', 'desc').limit(window.limit).execute();
}

/**
 * A change row that changes no registry entry: a step of an incident (D22), logged with the
 * action `incident` and the registry hash before equal to after, both the current document's.
 * The publisher turns it into a log entry like any other row (it publishes when only such rows
 * wait), and the backlog bound applies to it as to an edit.
 *
 * The row must sit in the hash chain where it was made: an edit committed between reading the
 * document and inserting the row would leave a record whose `before` is not the previous
 * record's `after`, and stop every later publish. So the document row is locked first (a
 * no-op update guarded by the revision just read, as an edit's own write is), and the row is
 * written in that same transaction, with whatever else the caller writes beside it.
 */
import type { Transaction } from 'kysely';
import type { ServiceDb } from '../db/open.ts';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import type { Actor } from './actor.ts';
import { checkBacklog } from './backlog.ts';
import { lockRegistryDocument } from './lock-order.ts';
import { assertLoggable, assertLoggableText } from './loggable-change.ts';

export interface LogOnlyChange {
	/** The log's action; `incident` for incident steps. */
	action: 'incident';
	subject: string;
	reason: string;
	actor: Actor;
	/** An https link the step answers, when there is one. */
	report: string | null;
	now: Date;
}

/**
 * Inserts the row inside `trx` (which the caller's own records share, so the step commits with
 * them or not at all) and returns its seq. REGISTRY_CONFLICT when an edit got in first: run the
 * transaction again (`retryOnConflict`).
 */
export async function insertLogOnlyChange(
	trx: Transaction<ServiceDatabase>,
	change: LogOnlyChange,
): Promise<number> {
	assertLoggableText(change);
	const current = await trx
		.selectFrom('registry_document')
		.select(['sha256', 'revision'])
		.where('id', '=', 1)
		.executeTakeFirst();
	if (current === undefined) {
		throw serverError('NOT_FOUND', 'The service holds no registry yet.', {
			hint: 'Import one first: vouch-server import plugins.toml.',
		});
	}
	const revision = Number(current.revision);
	const locked = await trx
		.updateTable('registry_document')
		.set({ revision })
		.where('id', '=', 1)
		.where('revision', '=', revision)
		.executeTakeFirst();
	if (Number(locked.numUpdatedRows) !== 1) {
		throw serverError('REGISTRY_CONFLICT', 'The registry changed while a step was logged.', {
			hint: 'Try again.',
		});
	}
	assertLoggable({ ...change, before: current.sha256, after: current.sha256 });
	await checkBacklog(trx);
	const row = await trx
		.insertInto('changes')
		.values({
			action: change.action,
			subject: change.subject,
			reason: change.reason,
			actor_name: change.actor.name,
			actor_key: change.actor.keyId ?? null,
			report: change.report,
			sha256_before: current.sha256,
			sha256_after: current.sha256,
			revision,
			created_at: change.now.toISOString(),
			publish_id: null,
		})
		.returning('seq')
		.executeTakeFirstOrThrow();
	return Number(row.seq);
}

/**
 * Runs a transaction that writes incident records and logs a step, taking the registry
 * document's row first (the service's lock order, `lock-order.ts`), and runs it again when an
 * edit committed in between (the optimistic lock).
 */
export async function retryOnConflict<T>(
	database: ServiceDb,
	body: (trx: Transaction<ServiceDatabase>) => Promise<T>,
	attempts = 3,
): Promise<T> {
	for (let attempt = 1; ; attempt++) {
		try {
			return await database.db.transaction().execute(async (trx) => {
				await lockRegistryDocument(trx);
				return body(trx);
			});
		} catch (error) {
			if ((error as { code?: string }).code !== 'REGISTRY_CONFLICT' || attempt >= attempts)
				throw error;
		}
	}
}

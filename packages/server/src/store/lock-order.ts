/**
 * The one order in which the service's transactions take row locks. Two transactions that take
 * the same two locks in opposite orders can deadlock on PostgreSQL, which then aborts one of
 * them: an approval and an appeal at once would fail one and apply nothing. So the order is:
 *
 *   1. the registry document row (`registry_document`, id 1), first: taken by every registry
 *      edit (`writeDocument` in `registry-store.ts`) and by every other transaction that writes
 *      an incident's records (`retryOnConflict` in `log-only-change.ts`, through
 *      `lockRegistryDocument` below), since each of those logs a step, and logging a step takes
 *      this row anyway;
 *   2. then, in any order, the rows of incidents and of what hangs off them (actions, appeals,
 *      lift requests, events) and the log's `changes` rows. Any order is safe here because
 *      only a transaction holding the document row takes more than one of them.
 *
 * The publisher's transaction takes the lease row, its publish rows and `changes` rows already
 * committed, which the transactions above only ever insert, never update: it needs no place here.
 * A single statement outside a transaction holds its row only for itself and needs no order.
 *
 * Taking the document row first also means those transactions run one at a time, and each
 * reads (PostgreSQL's read committed reads afresh on every statement) what the one before it
 * committed: whatever an incident step checks inside its transaction (the registry as it
 * stands, the incident's state, the actions in force) cannot change under it before it commits.
 */
import type { Transaction } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

/**
 * Takes the registry document's row lock (step 1 of the order) with a no-op update; false when
 * there is no document yet. Call it as the transaction's first statement.
 */
export async function lockRegistryDocument(trx: Transaction<ServiceDatabase>): Promise<boolean> {
	const locked = await trx
		.updateTable('registry_document')
		.set((eb) => ({ revision: eb.ref('revision') }))
		.where('id', '=', 1)
		.executeTakeFirst();
	return Number(locked.numUpdatedRows) === 1;
}

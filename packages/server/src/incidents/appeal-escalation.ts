/**
 * What an open appeal leaves maintainers free to do (D22). Anyone can appeal a block in force,
 * the plugin's author first of all; were an appealed incident closed to new action, an author
 * caught by a quarantine could appeal at once and so keep the hard block the evidence calls for
 * from ever being applied, for as long as the appeal stays open. So an appeal stops nothing: a
 * maintainer may still request and approve any action on the incident (escalate to a hard
 * block, block a version, block the author), under the usual dual control.
 *
 * The appeal is decided on the blocks in force when it is decided, and a decision only ever
 * judges blocks it has seen:
 * - a grant waiting for its second maintainer judged the blocks as they were when it was asked
 *   for, so a block applied since withdraws it (the lift request is closed, on the timeline with
 *   the block): the appeal stays open, to be decided again on all its blocks;
 * - a grant being carried out (its second maintainer confirmed it) is not overtaken: a block
 *   applied meanwhile is refused, and may be asked for again once the grant is through;
 * - a grant decided in one step settles only when every block in force was judged; one applied
 *   while it ran leaves the appeal open (`assertAllJudged`).
 * Each check runs in the transaction that writes the block or settles the appeal, after the
 * registry document's row lock (`store/lock-order.ts`): the two cannot pass each other. For the
 * same reason the settlement checks again that its deciders took no part in the incident's
 * actions (`appeal-decisions.ts`): a block may now be approved while its appeal is decided.
 */
import type { Transaction } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';

/**
 * Called as a block is applied on an incident: closes a grant still waiting for its second
 * maintainer and returns the closed lift requests' ids; refuses while one is being carried out.
 */
export async function withdrawGrantsOverNewBlock(
	trx: Transaction<ServiceDatabase>,
	incidentId: number,
	now: string,
): Promise<number[]> {
	const closed = await trx
		.updateTable('lift_requests')
		.set({ state: 'closed', pending_key: null, decided_at: now })
		.where('incident_id', '=', incidentId)
		.where('appeal_id', 'is not', null)
		.where('state', '=', 'pending')
		.returning('id')
		.execute();
	const confirming = await trx
		.selectFrom('lift_requests')
		.innerJoin('appeals', 'appeals.id', 'lift_requests.appeal_id')
		.select(['lift_requests.id', 'lift_requests.appeal_id'])
		.where('lift_requests.incident_id', '=', incidentId)
		.where('lift_requests.state', '=', 'approved')
		.where('appeals.state', '=', 'open')
		.executeTakeFirst();
	if (confirming !== undefined) {
		throw serverError(
			'BAD_REQUEST',
			`The grant of appeal ${confirming.appeal_id} is being carried out; no block is applied meanwhile.`,
			{ hint: 'Reload the incident; ask for the block again once the appeal is settled.' },
		);
	}
	return closed.map((row) => Number(row.id));
}

/**
 * Refuses to settle a grant while a block the grant did not judge is in force on the incident:
 * one applied while the grant was carried out. The appeal stays open.
 */
export async function assertAllJudged(
	trx: Transaction<ServiceDatabase>,
	appealId: number,
	incidentId: number,
	judged: readonly { id: number }[],
): Promise<void> {
	const ids = new Set(judged.map((action) => Number(action.id)));
	const applied = await trx
		.selectFrom('incident_actions')
		.select('id')
		.where('incident_id', '=', incidentId)
		.where('state', '=', 'applied')
		.orderBy('id')
		.execute();
	const unjudged = applied.map((row) => Number(row.id)).filter((id) => !ids.has(id));
	if (unjudged.length === 0) return;
	throw serverError(
		'BAD_REQUEST',
		`Action ${unjudged[0]} was applied while appeal ${appealId} was granted; the appeal stays open.`,
		{
			hint: 'Reload the incident and decide the appeal again, on every block now in force.',
			details: { actions: unjudged.slice(0, 50) },
		},
	);
}

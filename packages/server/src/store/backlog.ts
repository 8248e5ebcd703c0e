/**
 * A bound on the changes waiting to be published. The publisher carries every waiting change
 * in one publish, as one journal (which the library bounds in bytes), so a backlog past this
 * could never go out, and would hold every later publish back. Edits are refused at the door
 * instead, while the publisher is behind, which fails safe: nothing is lost, and the maintainer
 * is told to wait. Before the repository's first publish there is no bound: that publish
 * carries the registry as it stands, whatever led to it.
 */
import type { Transaction } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';

export const MAX_UNPUBLISHED_CHANGES = 256;

export async function checkBacklog(trx: Transaction<ServiceDatabase>): Promise<void> {
	const published = await trx.selectFrom('publishes').select('id').limit(1).executeTakeFirst();
	if (published === undefined) return;
	const waiting = await trx
		.selectFrom('changes')
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.where('publish_id', 'is', null)
		.executeTakeFirst();
	if (Number(waiting?.n ?? 0) >= MAX_UNPUBLISHED_CHANGES) {
		throw serverError(
			'UNAVAILABLE',
			`${MAX_UNPUBLISHED_CHANGES} changes already wait to be published; nothing was changed.`,
			{
				hint: 'The publisher is behind or stopped: check it (the service started with --keys), then try again.',
			},
		);
	}
}

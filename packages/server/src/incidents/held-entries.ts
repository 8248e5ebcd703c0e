/**
 * A blacklist entry that an applied incident action holds is lifted through its incident
 * (D22), never by removing the entry by hand: a removal through the blacklist pages or API
 * would go around dual control (one maintainer undoing what two applied) and leave the action
 * `applied` with nothing in force.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';

export async function assertNotHeldByAction(
	db: Kysely<ServiceDatabase>,
	entryId: string,
): Promise<void> {
	const held = await db
		.selectFrom('incident_actions')
		.select(['id', 'incident_id'])
		.where('blacklist_entry_id', '=', entryId)
		.where('state', '=', 'applied')
		.orderBy('id')
		.executeTakeFirst();
	if (held === undefined) return;
	throw serverError(
		'FORBIDDEN',
		`This entry is the block of action ${held.id} of incident ${held.incident_id}: lift it there.`,
		{
			hint: `Revert the action (POST /api/v1/admin/actions/${held.id}/revert, or its form on /admin/incidents/${held.incident_id}); a block two maintainers applied needs a second maintainer to lift.`,
		},
	);
}

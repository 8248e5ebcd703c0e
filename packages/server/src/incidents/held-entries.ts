/**
 * A blacklist entry that an applied incident action holds is lifted through its incident
 * (D22), never by removing or rewriting the entry another way: a removal through the blacklist
 * pages or API, or a replacement of the whole document (admin import, git sync, the operator's
 * `vouch-server import`), would go around dual control (one maintainer undoing what two
 * applied) and leave the action `applied` with nothing in force.
 */
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { blacklistOf, type RawDocument } from '@vouch/library/internal/registry/edit/operations';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { type HeldAction, type HeldEntryProblem, heldEntryProblems } from './held-strength.ts';

export type { HeldEntryProblem } from './held-strength.ts';

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

/** Every applied action with an entry in the registry, in id order. */
export async function appliedHeldActions(db: Kysely<ServiceDatabase>): Promise<HeldAction[]> {
	const rows = await db
		.selectFrom('incident_actions')
		.select(['id', 'incident_id', 'blacklist_entry_id'])
		.where('state', '=', 'applied')
		.where('blacklist_entry_id', 'is not', null)
		.orderBy('id')
		.execute();
	return rows.map((row) => ({
		actionId: Number(row.id),
		incidentId: Number(row.incident_id),
		entryId: String(row.blacklist_entry_id),
	}));
}

/** Problems named in the message; the details carry up to `MAX_DETAILED` of them. */
const MAX_NAMED = 5;
const MAX_DETAILED = 50;

/**
 * Refuses a replacement of the whole document that would drop or weaken an entry an applied
 * action holds (`held-strength.ts` says what "weaken" means). Call it inside the transaction
 * that writes the new document, after the write has taken the document row: an action applied
 * meanwhile commits its entry with a document write of its own, so it either committed before
 * (and the write's revision check fails) or waits for this transaction (and then plans again
 * against the new document). The held set read here is therefore the one of `before`.
 * A held entry `before` no longer has (a lift between removing it and closing its action) is
 * not this replacement's doing and is not asked for.
 */
export async function assertReplacementKeepsHeldEntries(
	db: Kysely<ServiceDatabase>,
	before: RawDocument | undefined,
	after: RawDocument,
): Promise<void> {
	if (before === undefined || blacklistOf(before).length === 0) return;
	const held = await appliedHeldActions(db);
	const problems = heldEntryProblems(blacklistOf(before), blacklistOf(after), held);
	if (problems.length === 0) return;
	throw heldByIncident(problems);
}

function heldByIncident(problems: HeldEntryProblem[]) {
	const shown = problems.map((problem) => ({
		...problem,
		// Ids are the registry's text: bounded and without controls wherever they are shown.
		entry: sanitizeText(problem.entry, { maxLength: 64 }),
		what: sanitizeText(problem.what, { maxLength: 200 }),
	}));
	const named = shown
		.slice(0, MAX_NAMED)
		.map((p) => `${p.entry} (action ${p.action}, incident ${p.incident}): ${p.what}`);
	const more = shown.length > MAX_NAMED ? `; and ${shown.length - MAX_NAMED} more` : '';
	const first = shown[0] as HeldEntryProblem;
	return serverError(
		'HELD_BY_INCIDENT',
		`The new registry drops or weakens ${shown.length === 1 ? 'a blacklist entry' : `${shown.length} blacklist entries`} that incident actions hold, so nothing was replaced: ${named.join('; ')}${more}.`,
		{
			hint: `Keep these entries as they are, or lift each block through its incident first: revert or undo the action (POST /api/v1/admin/actions/${first.action}/revert, or its form on /admin/incidents/${first.incident}); a block two maintainers applied needs a second maintainer to approve the lift.`,
			details: { held: shown.slice(0, MAX_DETAILED) },
		},
	);
}

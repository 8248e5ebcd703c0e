/**
 * What an action's entry takes the place of, read from the incident actions (the plan itself is
 * `planActionEntry`, `blacklist-entry.ts`): the soft quarantines of the plugin, which its hard
 * block supersedes (the blacklist keeps one entry per identifiers), and the entries no applied
 * action holds. Both go in the edit that adds the new entry, so a block that cannot be written
 * (the publish backlog full, the planner refusing it, a held-coverage refusal) lifts nothing.
 *
 * The held set is read before the edit is planned, so it is checked again inside the edit's
 * transaction, after the document write holds the document row: an action applied or lifted in
 * between would otherwise have its entry taken over (or kept) on a stale word. Then the set is
 * read afresh and the edit planned again.
 */
import type { RegistryPlugin } from '@vouch/library/internal/registry/model';
import type { Kysely, Transaction } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import { pluginOfAction } from './action-scope.ts';
import type { Replacement } from './blacklist-entry.ts';
import type { IncidentContext } from './deps.ts';
import { logStep } from './incident-log.ts';
import { closeActionLifts } from './lifts.ts';
import { type ActionRow, paramsOf } from './rows.ts';
import type { ActionKind } from './types.ts';

type Db = Kysely<ServiceDatabase> | Transaction<ServiceDatabase>;

export interface TakeOver extends Replacement {
	/** The applied soft quarantines of the plugin a hard block supersedes, in id order. */
	quarantines: ActionRow[];
}

export async function readTakeOver(
	db: Db,
	kind: ActionKind,
	plugin: RegistryPlugin | undefined,
	automatic: boolean,
): Promise<TakeOver> {
	const applied = await db
		.selectFrom('incident_actions')
		.selectAll()
		.where('state', '=', 'applied')
		.orderBy('id')
		.execute();
	const rows = applied.map((row) => ({
		...row,
		id: Number(row.id),
		incident_id: Number(row.incident_id),
	}));
	const quarantines =
		kind === 'hard_blacklist' && plugin !== undefined
			? rows.filter((row) => row.kind === 'soft_quarantine' && isQuarantineOf(row, plugin))
			: [];
	const entryOf = (row: ActionRow) =>
		row.blacklist_entry_id === null ? [] : [row.blacklist_entry_id];
	return {
		held: new Set(rows.flatMap(entryOf)),
		superseded: new Set(quarantines.flatMap(entryOf)),
		takeOverUnheld: !automatic && kind !== 'author_block',
		quarantines,
	};
}

/**
 * Whether a soft quarantine is of this plugin: by the identifiers its entry was written on (the
 * uuid and canonical URL it was requested for), or by the plugin's id. A plugin listed again
 * under a new id, at the same address with the same uuid, stays under its quarantine; matched by
 * id alone, the quarantine would stand in the hard block's way as a duplicate, and the only way to
 * the block would be to lift the quarantine first, leaving the plugin unblocked in between.
 */
function isQuarantineOf(row: ActionRow, plugin: RegistryPlugin): boolean {
	return pluginOfAction([plugin], paramsOf(row)) === plugin;
}

function sameSet(a: ReadonlySet<string>, b: ReadonlySet<string>): boolean {
	return a.size === b.size && [...a].every((id) => b.has(id));
}

/**
 * In the edit's transaction: refuses a plan made on a held set that changed meanwhile (with a
 * conflict, so the store plans again; `refresh` receives the set read now), then records each
 * superseded quarantine as reverted, with its step, in the same transaction as the new block.
 */
export async function settleTakeOver(
	context: IncidentContext,
	trx: Transaction<ServiceDatabase>,
	planned: TakeOver,
	refresh: (fresh: TakeOver) => void,
	by: { action: ActionRow; actor: Actor; plugin: RegistryPlugin | undefined },
): Promise<void> {
	const kind = by.action.kind as ActionKind;
	const fresh = await readTakeOver(trx, kind, by.plugin, by.action.automatic === 1);
	if (!sameSet(fresh.held, planned.held) || !sameSet(fresh.superseded, planned.superseded)) {
		refresh(fresh);
		throw serverError('REGISTRY_CONFLICT', 'An incident block changed while this one was added.', {
			hint: 'Try again.',
		});
	}
	const now = context.clock().toISOString();
	for (const quarantine of planned.quarantines) {
		await trx
			.updateTable('incident_actions')
			.set({ state: 'reverted', reverted_at: now, expires_at: null })
			.where('id', '=', quarantine.id)
			.where('state', '=', 'applied')
			.execute();
		await closeActionLifts(trx, quarantine.id, now);
		await logStep(context, trx, {
			incidentId: quarantine.incident_id,
			actor: by.actor,
			kind: 'revert',
			reason: `Superseded by action ${by.action.id} (${kind}).`,
			details: { actionId: quarantine.id, action: quarantine.kind, state: 'reverted' },
			summary: `${quarantine.kind} reverted (action ${quarantine.id})`,
		});
	}
}

/**
 * Lift requests (D22): a block that two maintainers applied is lifted only when two agree. A
 * revert or an undo of such an action, or a granted appeal that would revert one, is recorded
 * here as a request (who, when, why; an incident event and a logged step) and the block stays;
 * a different maintainer approves it (`lift-decisions.ts`), and only then is the entry removed.
 * Which actions this covers is `liftNeedsSecondMaintainer` (`dual-control.ts`).
 */
import type { Kysely, Selectable, Transaction } from 'kysely';
import type { LiftRequestTable, ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import { retryOnConflict } from '../store/log-only-change.ts';
import { pluginOfAction } from './action-scope.ts';
import type { IncidentContext } from './deps.ts';
import { liftNeedsSecondMaintainer } from './dual-control.ts';
import { logStep } from './incident-log.ts';
import { type ActionRow, paramsOf } from './rows.ts';
import { isProtectedPlugin } from './trust-history.ts';
import type { LiftKind } from './types.ts';

export type LiftRow = Selectable<LiftRequestTable>;
type Db = Kysely<ServiceDatabase> | Transaction<ServiceDatabase>;

export function actionLiftKey(actionId: number): string {
	return `action:${actionId}`;
}

export function appealLiftKey(appealId: number): string {
	return `appeal:${appealId}`;
}

function normalised(row: LiftRow): LiftRow {
	return {
		...row,
		id: Number(row.id),
		incident_id: Number(row.incident_id),
		action_id: row.action_id === null ? null : Number(row.action_id),
		appeal_id: row.appeal_id === null ? null : Number(row.appeal_id),
	};
}

export async function liftRow(db: Db, id: number): Promise<LiftRow> {
	const row = Number.isSafeInteger(id)
		? await db.selectFrom('lift_requests').selectAll().where('id', '=', id).executeTakeFirst()
		: undefined;
	if (row === undefined) throw serverError('NOT_FOUND', `There is no lift request ${id}.`);
	return normalised(row);
}

export async function pendingLift(db: Db, key: string): Promise<LiftRow | undefined> {
	const row = await db
		.selectFrom('lift_requests')
		.selectAll()
		.where('pending_key', '=', key)
		.executeTakeFirst();
	return row === undefined ? undefined : normalised(row);
}

/** The requests of an incident still waiting for a second maintainer, oldest first. */
export async function pendingLiftsOf(db: Db, incidentId: number): Promise<LiftRow[]> {
	const rows = await db
		.selectFrom('lift_requests')
		.selectAll()
		.where('incident_id', '=', incidentId)
		.where('state', '=', 'pending')
		.orderBy('id')
		.limit(100)
		.execute();
	return rows.map(normalised);
}

/**
 * Whether lifting the applied action needs a second maintainer. Its plugin is looked up as the
 * registry lists it now, and also by the id, uuid and URL it was blocked at in the record of
 * plugins once official or trusted (`trust-history.ts`): a plugin lowered or removed since does
 * not let one maintainer lift what needed two.
 */
export async function actionLiftIsDual(
	context: IncidentContext,
	action: ActionRow,
): Promise<boolean> {
	const params = paramsOf(action);
	if (action.kind === 'author_block' || params.pluginId === undefined) {
		return liftNeedsSecondMaintainer(action, false);
	}
	const plugin = pluginOfAction((await context.store.registry())?.registry.plugins ?? [], params);
	const requested = {
		id: params.pluginId,
		...(params.target === undefined ? {} : { uuid: params.target.uuid, url: params.target.url }),
	};
	return liftNeedsSecondMaintainer(
		action,
		await isProtectedPlugin(context.db.db, plugin, [requested]),
	);
}

/** A second request while one waits is refused, pointing at the one that waits. */
export function alreadyPending(lift: LiftRow, actor: Actor) {
	const own = lift.requested_by === actor.name;
	return serverError(
		'BAD_REQUEST',
		`Lift request ${lift.id} (${lift.kind}) already waits for a second maintainer.`,
		{
			hint: own
				? 'You asked for it: another maintainer or admin must approve it; refuse it to withdraw.'
				: `Approve it (POST /api/v1/admin/lifts/${lift.id}/approve) or refuse it (.../refuse).`,
			details: { liftId: lift.id },
		},
	);
}

export function notPending(lift: LiftRow) {
	return serverError('BAD_REQUEST', `Lift request ${lift.id} is ${lift.state}, not pending.`, {
		hint: 'Reload the incident: the request was decided already.',
	});
}

export interface LiftRequestInput {
	incidentId: number;
	kind: LiftKind;
	actionId?: number;
	/** What the request would lift, for the log: `hard_blacklist` (action 4), appeal 2. */
	subject: string;
	appealId?: number;
	reason: string;
	actor: Actor;
}

/** Records the request, journaled and logged; its id. One pending request per action or appeal. */
export async function requestLift(
	context: IncidentContext,
	input: LiftRequestInput,
): Promise<number> {
	const key =
		input.actionId !== undefined
			? actionLiftKey(input.actionId)
			: appealLiftKey(input.appealId as number);
	const waiting = await pendingLift(context.db.db, key);
	if (waiting !== undefined) throw alreadyPending(waiting, input.actor);
	const now = context.clock().toISOString();
	try {
		return await retryOnConflict(context.db, async (trx) => {
			const row = await trx
				.insertInto('lift_requests')
				.values({
					incident_id: input.incidentId,
					action_id: input.actionId ?? null,
					appeal_id: input.appealId ?? null,
					kind: input.kind,
					state: 'pending',
					pending_key: key,
					reason: input.reason,
					requested_by: input.actor.name,
					requested_at: now,
					decided_by: null,
					decided_at: null,
					decision_reason: null,
				})
				.returning('id')
				.executeTakeFirstOrThrow();
			const liftId = Number(row.id);
			await logStep(context, trx, {
				incidentId: input.incidentId,
				actor: input.actor,
				kind: 'lift',
				reason: input.reason,
				details: {
					liftId,
					lift: input.kind,
					state: 'pending',
					...(input.actionId === undefined ? {} : { actionId: input.actionId }),
					...(input.appealId === undefined ? {} : { appealId: input.appealId }),
				},
				summary: `${input.kind} of ${input.subject} requested, awaiting a second maintainer (lift ${liftId})`,
			});
			return liftId;
		});
	} catch (error) {
		// Two requests at once: the unique pending key lets one in; the other learns which.
		const raced = await pendingLift(context.db.db, key);
		if (raced !== undefined) throw alreadyPending(raced, input.actor);
		throw error;
	}
}

/**
 * Moves a pending request to its outcome; false when another writer decided it first. Only the
 * writer that moves it acts on it, so two approvals at once lift once.
 */
export async function settleLift(
	db: Db,
	liftId: number,
	outcome: 'approved' | 'refused' | 'closed',
	by: { actor: Actor; reason: string } | undefined,
	now: string,
): Promise<boolean> {
	const updated = await db
		.updateTable('lift_requests')
		.set({
			state: outcome,
			pending_key: null,
			decided_by: by?.actor.name ?? null,
			decided_at: now,
			decision_reason: by?.reason ?? null,
		})
		.where('id', '=', liftId)
		.where('state', '=', 'pending')
		.executeTakeFirst();
	return Number(updated.numUpdatedRows) === 1;
}

/** An approval whose lift then failed (the store refused the edit) waits again. */
export async function reopenLift(db: Db, lift: LiftRow): Promise<void> {
	await db
		.updateTable('lift_requests')
		.set({
			state: 'pending',
			pending_key:
				lift.action_id !== null
					? actionLiftKey(lift.action_id)
					: appealLiftKey(lift.appeal_id as number),
			decided_by: null,
			decided_at: null,
			decision_reason: null,
		})
		.where('id', '=', lift.id)
		.where('state', '=', 'approved')
		.execute();
}

/** The action left `applied` some other way: what waited to lift it has nothing left to do. */
export async function closeActionLifts(
	trx: Transaction<ServiceDatabase>,
	actionId: number,
	now: string,
): Promise<void> {
	await trx
		.updateTable('lift_requests')
		.set({ state: 'closed', pending_key: null, decided_at: now })
		.where('action_id', '=', actionId)
		.where('state', '=', 'pending')
		.execute();
}

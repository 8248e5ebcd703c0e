/**
 * A maintainer's revert or undo of an action (D22). A request never applied is refused at
 * once; an applied action without dual control is lifted at once; an action applied under
 * dual control (`liftNeedsSecondMaintainer`) is not touched: a lift request is recorded and
 * waits for a second maintainer (`lifts.ts`, `lift-decisions.ts`). An undo is asked within the
 * 10-minute window of its mass action; approved later, it is still an undo.
 */
import { serverError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import { retryOnConflict } from '../store/log-only-change.ts';
import { requireMaintainer, reverseAction } from './actions.ts';
import type { IncidentContext } from './deps.ts';
import { logStep } from './incident-log.ts';
import { actionLiftIsDual, requestLift } from './lifts.ts';
import { type ActionRow, actionRow } from './rows.ts';
import { requireReasonText } from './text-rules.ts';
import type { ReversalOutcome } from './types.ts';

export function notApplied(actionId: number, state: string) {
	return serverError('BAD_REQUEST', `Action ${actionId} is not applied (${state}).`, {
		hint: 'Reload the incident: only an applied action can be reverted or undone.',
	});
}

export async function revertAction(
	context: IncidentContext,
	actionId: number,
	actor: Actor,
	rawReason: string,
): Promise<ReversalOutcome> {
	requireMaintainer(actor);
	const reason = requireReasonText(rawReason);
	const action = await actionRow(context.db.db, actionId);
	if (action.state === 'awaiting_approval') {
		await refuseRequest(context, action, actor, reason);
		return { state: 'refused' };
	}
	if (action.state !== 'applied') throw notApplied(actionId, action.state);
	return liftOrAsk(context, action, actor, reason, 'revert');
}

export async function undoAction(
	context: IncidentContext,
	actionId: number,
	actor: Actor,
	rawReason: string,
): Promise<ReversalOutcome> {
	requireMaintainer(actor);
	const reason = requireReasonText(rawReason);
	const action = await actionRow(context.db.db, actionId);
	if (action.mass !== 1) {
		throw serverError('BAD_REQUEST', 'Only a mass action has an undo window.', {
			hint: `Revert it instead: POST /api/v1/admin/actions/${actionId}/revert.`,
		});
	}
	if (action.state !== 'applied') throw notApplied(actionId, action.state);
	if (action.undo_until === null || context.clock().toISOString() > action.undo_until) {
		throw serverError('BAD_REQUEST', 'The 10-minute undo window of this action has passed.', {
			hint: `Revert it instead, with a reason: POST /api/v1/admin/actions/${actionId}/revert.`,
		});
	}
	return liftOrAsk(context, action, actor, reason, 'undo');
}

async function liftOrAsk(
	context: IncidentContext,
	action: ActionRow,
	actor: Actor,
	reason: string,
	verb: 'revert' | 'undo',
): Promise<ReversalOutcome> {
	const outcome = verb === 'revert' ? 'reverted' : 'undone';
	if (!(await actionLiftIsDual(context, action))) {
		if (!(await reverseAction(context, action, actor, reason, outcome, { alone: true }))) {
			throw notApplied(action.id, 'changed');
		}
		return { state: outcome };
	}
	// Two maintainers applied it: one cannot take it back alone.
	const liftId = await requestLift(context, {
		incidentId: action.incident_id,
		kind: verb,
		actionId: action.id,
		subject: `${action.kind} (action ${action.id})`,
		reason,
		actor,
	});
	return { state: 'lift_requested', liftId };
}

/** Reverting a request that was never applied refuses it: nothing to remove. */
async function refuseRequest(
	context: IncidentContext,
	action: ActionRow,
	actor: Actor,
	reason: string,
): Promise<void> {
	await retryOnConflict(context.db, async (trx) => {
		const updated = await trx
			.updateTable('incident_actions')
			.set({ state: 'refused', reverted_at: context.clock().toISOString() })
			.where('id', '=', action.id)
			.where('state', '=', 'awaiting_approval')
			.executeTakeFirst();
		if (Number(updated.numUpdatedRows) !== 1) throw notApplied(action.id, 'changed');
		await logStep(context, trx, {
			incidentId: action.incident_id,
			actor,
			kind: 'revert',
			reason,
			details: { actionId: action.id, action: action.kind, state: 'refused' },
			summary: `${action.kind} refused (action ${action.id})`,
		});
	});
}

/**
 * The second maintainer's answer to a lift request (D22). Approving it, by anyone with the
 * maintainer role but the one who asked, carries it out: the action's entry is removed
 * (`reverseAction`, as a revert or an undo), or the appeal's grant takes effect. For an appeal
 * the one who confirms, like the one who decided, must not have requested or approved the
 * incident's actions. Refusing leaves the block in place; the one who asked may refuse their
 * own request to withdraw it. Only the writer that moves the request out of `pending` acts, so
 * two approvals at once lift once.
 */
import { serverError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import { retryOnConflict } from '../store/log-only-change.ts';
import { requireMaintainer, reverseAction } from './actions.ts';
import { assertUninvolved, openAppeal, settleAppeal } from './appeal-decisions.ts';
import type { IncidentContext } from './deps.ts';
import { logStep } from './incident-log.ts';
import { type LiftRow, liftRow, notPending, reopenLift, settleLift } from './lifts.ts';
import { notApplied } from './reversals.ts';
import { actionRow, appliedActionsOf } from './rows.ts';
import { requireReasonText } from './text-rules.ts';
import type { LiftApproval } from './types.ts';

function decidedMeanwhile(liftId: number) {
	return serverError('BAD_REQUEST', `Lift request ${liftId} was decided meanwhile.`, {
		hint: 'Reload the incident.',
	});
}

export async function approveLift(
	context: IncidentContext,
	liftId: number,
	actor: Actor,
	rawReason: string,
): Promise<LiftApproval> {
	requireMaintainer(actor);
	const reason = requireReasonText(rawReason);
	const lift = await liftRow(context.db.db, liftId);
	if (lift.state !== 'pending') throw notPending(lift);
	if (lift.requested_by === actor.name) {
		throw serverError('FORBIDDEN', 'The maintainer who asked for this lift cannot approve it.', {
			hint: 'A second maintainer or admin must approve it (dual control); you may refuse it to withdraw it.',
		});
	}
	if (lift.appeal_id !== null) return confirmGrant(context, lift, actor, reason);
	const action = await actionRow(context.db.db, lift.action_id as number);
	const now = context.clock().toISOString();
	if (action.state !== 'applied') {
		await settleLift(context.db.db, lift.id, 'closed', undefined, now);
		throw serverError(
			'BAD_REQUEST',
			`Action ${action.id} is ${action.state} already: lift request ${lift.id} is closed.`,
			{ hint: 'Nothing is left to lift; reload the incident.' },
		);
	}
	if (!(await settleLift(context.db.db, lift.id, 'approved', { actor, reason }, now))) {
		throw decidedMeanwhile(lift.id);
	}
	const outcome = lift.kind === 'undo' ? 'undone' : 'reverted';
	let moved: boolean;
	try {
		moved = await reverseAction(
			context,
			action,
			actor,
			`${lift.reason} (lift ${lift.id} asked by ${lift.requested_by}; approved: ${reason})`.slice(
				0,
				2000,
			),
			outcome,
			{
				details: { liftId: lift.id, liftRequestedBy: lift.requested_by },
				summary: `${action.kind} ${outcome} (action ${action.id}), lift ${lift.id} approved`,
			},
		);
	} catch (error) {
		// Nothing was lifted (the store refused the edit, the log backlog is full): ask again later.
		await reopenLift(context.db.db, lift).catch(() => undefined);
		throw error;
	}
	if (!moved) throw notApplied(action.id, 'changed');
	return { liftId: lift.id, state: 'approved', outcome, actionId: action.id };
}

async function confirmGrant(
	context: IncidentContext,
	lift: LiftRow,
	actor: Actor,
	reason: string,
): Promise<LiftApproval> {
	const appealId = lift.appeal_id as number;
	await openAppeal(context, appealId);
	await assertUninvolved(context, lift.incident_id, actor);
	const now = context.clock().toISOString();
	if (!(await settleLift(context.db.db, lift.id, 'approved', { actor, reason }, now))) {
		throw decidedMeanwhile(lift.id);
	}
	try {
		await settleAppeal(context, {
			appealId,
			incidentId: lift.incident_id,
			grant: true,
			decidedBy: lift.requested_by,
			reason: lift.reason,
			actor,
			liftId: lift.id,
			// Two uninvolved maintainers have agreed by now: what is applied as the second confirms.
			lifted: await appliedActionsOf(context.db.db, lift.incident_id),
		});
	} catch (error) {
		// Reverting is idempotent: a confirmation that failed half-way can be given again.
		await reopenLift(context.db.db, lift).catch(() => undefined);
		throw error;
	}
	return { liftId: lift.id, state: 'approved', outcome: 'granted', appealId };
}

export async function refuseLift(
	context: IncidentContext,
	liftId: number,
	actor: Actor,
	rawReason: string,
): Promise<{ liftId: number; state: 'refused' }> {
	requireMaintainer(actor);
	const reason = requireReasonText(rawReason);
	const lift = await liftRow(context.db.db, liftId);
	if (lift.state !== 'pending') throw notPending(lift);
	// Those who blocked do not judge an appeal, a refusal of its grant included.
	if (lift.appeal_id !== null && lift.requested_by !== actor.name) {
		await assertUninvolved(context, lift.incident_id, actor);
	}
	const what =
		lift.appeal_id !== null
			? `grant of appeal ${lift.appeal_id}`
			: `${lift.kind} of action ${lift.action_id}`;
	const now = context.clock().toISOString();
	await retryOnConflict(context.db, async (trx) => {
		if (!(await settleLift(trx, lift.id, 'refused', { actor, reason }, now))) {
			throw decidedMeanwhile(lift.id);
		}
		await logStep(context, trx, {
			incidentId: lift.incident_id,
			actor,
			kind: 'lift',
			reason,
			details: {
				liftId: lift.id,
				lift: lift.kind,
				state: 'refused',
				...(lift.action_id === null ? {} : { actionId: lift.action_id }),
				...(lift.appeal_id === null ? {} : { appealId: lift.appeal_id }),
			},
			summary: `${what} refused, the block stays (lift ${lift.id})`,
		});
	});
	return { liftId: lift.id, state: 'refused' };
}

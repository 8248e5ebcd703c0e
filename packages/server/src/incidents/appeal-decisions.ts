/**
 * Deciding an appeal (D22). Granting reverts every applied action of the incident and resolves
 * it, recording why; denying resolves it and keeps the block, an automatic quarantine included
 * (it no longer lapses). Nobody who requested or approved the incident's actions judges it.
 *
 * A grant that would revert an action applied under dual control does not lift anything by
 * itself: it is recorded as a lift request and the appeal stays open until a second maintainer,
 * also uninvolved, confirms it (`lift-decisions.ts`). A grant over blocks that one maintainer
 * could lift alone takes effect in one step, on exactly the actions judged so.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import { retryOnConflict } from '../store/log-only-change.ts';
import { requireMaintainer, reverseAction } from './actions.ts';
import { assertAllJudged } from './appeal-escalation.ts';
import type { IncidentContext } from './deps.ts';
import { logStep } from './incident-log.ts';
import {
	actionLiftIsDual,
	alreadyPending,
	appealLiftKey,
	pendingLift,
	requestLift,
} from './lifts.ts';
import { type ActionRow, appliedActionsOf, incidentRow } from './rows.ts';
import { requireReasonText } from './text-rules.ts';
import type { AppealOutcome } from './types.ts';

export async function openAppeal(context: IncidentContext, appealId: number) {
	const appeal = Number.isSafeInteger(appealId)
		? await context.db.db
				.selectFrom('appeals')
				.selectAll()
				.where('id', '=', appealId)
				.executeTakeFirst()
		: undefined;
	if (appeal === undefined) throw serverError('NOT_FOUND', `There is no appeal ${appealId}.`);
	if (appeal.state !== 'open')
		throw serverError('BAD_REQUEST', `Appeal ${appealId} is decided already.`);
	return { ...appeal, id: Number(appeal.id), incident_id: Number(appeal.incident_id) };
}

/** An appeal answers the maintainers who blocked: none of them judges it (D22). */
export async function assertUninvolved(
	context: IncidentContext,
	incidentId: number,
	actor: Pick<Actor, 'name'>,
	db: Kysely<ServiceDatabase> | Transaction<ServiceDatabase> = context.db.db,
): Promise<void> {
	const involved = await db
		.selectFrom('incident_actions')
		.select(['requested_by', 'approved_by'])
		.where('incident_id', '=', incidentId)
		.where('automatic', '=', 0)
		.execute();
	if (involved.some((row) => row.requested_by === actor.name || row.approved_by === actor.name)) {
		throw serverError('FORBIDDEN', 'You took part in the actions this appeal answers.', {
			hint: 'A maintainer who neither requested nor approved them decides the appeal.',
		});
	}
}

export async function decideAppeal(
	context: IncidentContext,
	appealId: number,
	grant: boolean,
	actor: Actor,
	rawReason: string,
): Promise<AppealOutcome> {
	requireMaintainer(actor);
	const reason = requireReasonText(rawReason);
	const appeal = await openAppeal(context, appealId);
	await assertUninvolved(context, appeal.incident_id, actor);
	// The actions judged are the ones a grant lifts: a block applied while this runs stays, and
	// leaves the appeal open (`appeal-escalation.ts`).
	const judged = grant ? await appliedActionsOf(context.db.db, appeal.incident_id) : [];
	if (grant) {
		let dual = false;
		for (const action of judged) {
			if (await actionLiftIsDual(context, action)) dual = true;
		}
		if (dual) {
			// Refused by `requestLift` when a grant already waits: a second grant or a denial
			// meanwhile would be a second decision on one appeal.
			const liftId = await requestLift(context, {
				incidentId: appeal.incident_id,
				kind: 'appeal',
				appealId,
				subject: `appeal ${appealId} (grant)`,
				reason,
				actor,
			});
			return { state: 'grant_pending', liftId };
		}
	}
	await refuseWhileGrantWaits(context, appealId, actor);
	await settleAppeal(context, {
		appealId,
		incidentId: appeal.incident_id,
		grant,
		decidedBy: actor.name,
		reason,
		actor,
		lifted: judged,
	});
	return { state: grant ? 'granted' : 'denied' };
}

async function refuseWhileGrantWaits(
	context: IncidentContext,
	appealId: number,
	actor: Actor,
): Promise<void> {
	const waiting = await pendingLift(context.db.db, appealLiftKey(appealId));
	if (waiting !== undefined) throw alreadyPending(waiting, actor);
}

export interface Settlement {
	appealId: number;
	incidentId: number;
	grant: boolean;
	/** Who decided the appeal (for a confirmed grant: who asked, not who confirmed). */
	decidedBy: string;
	reason: string;
	/** Who carries it out: the decider, or the second maintainer confirming the grant. */
	actor: Actor;
	/** The lift request a confirmed grant carries out. */
	liftId?: number;
	/**
	 * The applied actions a grant reverts: those judged free of a second maintainer, or, for a
	 * confirmed grant, those applied when the second maintainer confirmed it. Never read again
	 * here, so a block applied after the judgement is not lifted with them.
	 */
	lifted: readonly ActionRow[];
}

/** Reverts (on a grant) and resolves the incident, recording the decision. */
export async function settleAppeal(context: IncidentContext, settlement: Settlement) {
	const { appealId, incidentId, grant, reason, actor } = settlement;
	const confirmed =
		settlement.liftId === undefined
			? {}
			: { liftId: settlement.liftId, decidedBy: settlement.decidedBy };
	if (grant) {
		for (const action of settlement.lifted) {
			await reverseAction(
				context,
				action,
				actor,
				`Appeal ${appealId} granted: ${reason}`.slice(0, 2000),
				'reverted',
				// A grant in one step judged each block one maintainer's to lift.
				{ details: confirmed, alone: settlement.liftId === undefined },
			);
		}
	}
	const incident = await incidentRow(context.db.db, incidentId);
	const now = context.clock().toISOString();
	await retryOnConflict(context.db, async (trx) => {
		const decided = await trx
			.updateTable('appeals')
			.set({
				state: grant ? 'granted' : 'denied',
				decided_at: now,
				decided_by: settlement.decidedBy,
				decision_reason: reason,
			})
			.where('id', '=', appealId)
			.where('state', '=', 'open')
			.executeTakeFirst();
		if (Number(decided.numUpdatedRows) !== 1) {
			throw serverError('BAD_REQUEST', `Appeal ${appealId} is decided already.`);
		}
		// A grant resolves the incident only over blocks it judged (`appeal-escalation.ts`).
		if (grant) await assertAllJudged(trx, appealId, incidentId, settlement.lifted);
		// Again where the decision is written: blocks may be approved while an appeal is open, and
		// one who approved a block while deciding its appeal would judge their own block.
		await assertUninvolved(context, incidentId, actor, trx);
		await assertUninvolved(context, incidentId, { name: settlement.decidedBy }, trx);
		await trx
			.updateTable('incidents')
			.set({
				state: 'resolved',
				updated_at: now,
				// A denial is the maintainers' decision on the block; a grant publishes nothing more.
				decided_at: grant ? incident.decided_at : (incident.decided_at ?? now),
				resolved_at: incident.resolved_at ?? now,
			})
			.where('id', '=', incidentId)
			.execute();
		if (!grant) {
			// A denial judges the block and keeps it, as a confirmation does: an automatic
			// quarantine no longer lapses. Else an appeal, which anyone may file and which stops
			// the incident from being confirmed, would be a way to outlast the quarantine.
			await trx
				.updateTable('incident_actions')
				.set({ expires_at: null })
				.where('incident_id', '=', incidentId)
				.where('state', '=', 'applied')
				.execute();
		}
		await logStep(context, trx, {
			incidentId,
			actor,
			kind: 'appeal',
			from: incident.state,
			to: 'resolved',
			reason: `Appeal ${grant ? 'granted' : 'denied'}: ${reason}`.slice(0, 2000),
			details: { appealId, granted: grant, ...confirmed },
			summary: grant
				? settlement.liftId === undefined
					? 'appeal granted, resolved'
					: `appeal granted by ${settlement.decidedBy}, confirmed (lift ${settlement.liftId}), resolved`
				: 'appeal denied, resolved',
		});
	});
}

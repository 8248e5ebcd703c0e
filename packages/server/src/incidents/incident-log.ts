/**
 * Every step of an incident is recorded twice, in one transaction: as an `incident_events` row
 * (who, when, which states, why) for the incident's own timeline, and as a `changes` row with
 * the log action `incident` (registry hash before == after), so the publisher carries the step
 * into the transparency log. A report that joins an incident already open is an event only:
 * anonymous reports would otherwise fill the log (and its backlog bound) for anyone who sends them.
 */
import type { Transaction } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import type { Actor } from '../store/actor.ts';
import { insertLogOnlyChange } from '../store/log-only-change.ts';
import { type IncidentContext, incidentUrl, loggableLink } from './deps.ts';

export type EventKind =
	| 'report'
	| 'state'
	| 'action'
	| 'approval'
	| 'revert'
	| 'undo'
	| 'expiry'
	| 'appeal'
	| 'lift'
	| 'note';

export interface Step {
	incidentId: number;
	actor: Actor;
	kind: EventKind;
	from?: string | null;
	to?: string | null;
	reason: string;
	/** What the timeline shows beside the reason (an action's id and kind); never a secret. */
	details?: Record<string, unknown>;
	/** The log subject's last part, e.g. `investigating`, `action 3 applied`. */
	summary: string;
}

/** Records the step, logged. Runs inside the caller's transaction. */
export async function logStep(
	context: IncidentContext,
	trx: Transaction<ServiceDatabase>,
	step: Step,
): Promise<number> {
	const now = context.clock();
	const seq = await insertLogOnlyChange(trx, {
		action: 'incident',
		subject: `incident ${step.incidentId}: ${step.summary}`.slice(0, 1024),
		reason: step.reason,
		actor: step.actor,
		report: loggableLink(incidentUrl(context, step.incidentId)),
		now,
	});
	await insertEvent(trx, step, now, seq);
	return seq;
}

/** Records the step on the incident's timeline only (a report joining an open incident). */
export async function noteStep(
	context: IncidentContext,
	trx: Transaction<ServiceDatabase>,
	step: Step,
): Promise<void> {
	await insertEvent(trx, step, context.clock(), null);
}

async function insertEvent(
	trx: Transaction<ServiceDatabase>,
	step: Step,
	now: Date,
	seq: number | null,
): Promise<void> {
	await trx
		.insertInto('incident_events')
		.values({
			incident_id: step.incidentId,
			at: now.toISOString(),
			actor_name: step.actor.name,
			kind: step.kind,
			from_state: step.from ?? null,
			to_state: step.to ?? null,
			reason: step.reason,
			change_seq: seq,
			details_json: JSON.stringify(step.details ?? {}),
		})
		.execute();
}

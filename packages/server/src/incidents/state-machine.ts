/**
 * Where an incident may go next (D22). The moves a maintainer makes by hand:
 *
 *   received → investigating | dismissed   (dismissing at once is for plain spam)
 *   investigating → confirmed | dismissed
 *   confirmed → resolved                    (the block stays; nothing more to do)
 *   dismissed → investigating | resolved    (reopened on new evidence, or closed)
 *
 * Two moves belong to other steps, never to a bare transition: confirmed → appealed happens when
 * an author files an appeal, and appealed → resolved when a maintainer decides it. Nothing
 * goes back to `received`, and a resolved incident stays resolved (a new report opens a new one),
 * except that one resolved with a block still in force and never appealed may be appealed once
 * (`appeals.ts`): resolving at once must not take the author's answer away.
 */
import { serverError } from '../errors.ts';
import type { IncidentState } from './types.ts';

const MANUAL_MOVES: Readonly<Record<IncidentState, readonly IncidentState[]>> = {
	received: ['investigating', 'dismissed'],
	investigating: ['confirmed', 'dismissed'],
	confirmed: ['resolved'],
	dismissed: ['investigating', 'resolved'],
	appealed: [],
	resolved: [],
};

/**
 * States in which a maintainer may act on an incident: request an action or approve one. A
 * request waiting on an incident in another state can no longer be approved. An appealed
 * incident is one: an appeal must not stall a block (`appeal-escalation.ts`).
 */
export const ACTIONABLE_STATES: readonly IncidentState[] = [
	'received',
	'investigating',
	'confirmed',
	'appealed',
];

/** Open incidents gather new reports; dismissed and resolved ones do not. */
export const OPEN_STATES: readonly IncidentState[] = [
	'received',
	'investigating',
	'confirmed',
	'appealed',
];

export function canMove(from: IncidentState, to: IncidentState): boolean {
	return MANUAL_MOVES[from].includes(to);
}

export function assertMove(from: IncidentState, to: IncidentState): void {
	if (canMove(from, to)) return;
	const allowed = MANUAL_MOVES[from];
	const special =
		to === 'appealed'
			? ' An incident is appealed when its author files an appeal.'
			: from === 'appealed'
				? ' Decide the appeal instead.'
				: '';
	throw serverError('BAD_REQUEST', `An incident cannot move from ${from} to ${to}.${special}`, {
		hint:
			allowed.length === 0
				? `Nothing moves a ${from} incident by hand.`
				: `From ${from} it may move to: ${allowed.join(', ')}.`,
	});
}

/** The timestamps a move sets (each only the first time). */
export function timestampsFor(
	from: IncidentState,
	to: IncidentState,
	now: string,
	current: { triaged_at: string | null; decided_at: string | null; resolved_at: string | null },
): { triaged_at?: string; decided_at?: string; resolved_at?: string } {
	const set: { triaged_at?: string; decided_at?: string; resolved_at?: string } = {};
	if (from === 'received' && current.triaged_at === null) set.triaged_at = now;
	if ((to === 'confirmed' || to === 'dismissed') && current.decided_at === null)
		set.decided_at = now;
	if (to === 'resolved' && current.resolved_at === null) set.resolved_at = now;
	return set;
}

export function isIncidentState(value: string): value is IncidentState {
	return (
		value === 'received' ||
		value === 'investigating' ||
		value === 'confirmed' ||
		value === 'dismissed' ||
		value === 'appealed' ||
		value === 'resolved'
	);
}

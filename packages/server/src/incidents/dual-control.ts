/**
 * Dual control (D22): some actions take effect only when a second, different maintainer or
 * admin approves them. They are a hard block (or a version block) of an official or trusted
 * plugin (now or once: `trust-history.ts`), an author block (an org-wide pattern), and any mass action (one that can reach more
 * than one plugin: an author block is one). The service's own automatic actions never
 * hard-block official or trusted plugins; only a soft quarantine is automatic at all.
 *
 * Lifting is held to the same rule: a block that took two maintainers to apply takes two to
 * lift (`lifts.ts`), else one stolen or rogue account could undo what two agreed on.
 */
import { serverError } from '../errors.ts';
import type { Actor } from '../store/actor.ts';
import type { ActionKind } from './types.ts';

export function isMassAction(kind: ActionKind): boolean {
	return kind === 'author_block';
}

/**
 * Whether the action needs a second maintainer. `protectedPlugin`: whether its plugin is one
 * dual control protects, official or trusted now or once (`isProtectedPlugin`,
 * `trust-history.ts`), so that lowering the trust first does not take the block out of it.
 */
export function needsSecondMaintainer(kind: ActionKind, protectedPlugin: boolean): boolean {
	if (isMassAction(kind)) return true;
	return (kind === 'hard_blacklist' || kind === 'version_block') && protectedPlugin;
}

/**
 * Whether lifting the action needs a second maintainer: it was applied under dual control
 * (approved by a second maintainer, or a mass action), or it would need one if requested now
 * (the plugin is or was official or trusted, whatever the registry lists now: a plugin lowered
 * or removed since keeps it). An automatic quarantine never does, so its expiry is free.
 */
export function liftNeedsSecondMaintainer(
	action: { kind: string; automatic: number; mass: number; approved_by: string | null },
	protectedPlugin: boolean,
): boolean {
	if (action.automatic === 1) return false;
	if (action.approved_by !== null || action.mass === 1) return true;
	return needsSecondMaintainer(action.kind as ActionKind, protectedPlugin);
}

/** The requester cannot be the approver. */
export function assertSecondMaintainer(requestedBy: string, approver: Actor): void {
	if (requestedBy === approver.name) {
		throw serverError('FORBIDDEN', 'The maintainer who asked for this action cannot approve it.', {
			hint: 'A second maintainer or admin must approve it (dual control).',
		});
	}
}

/** An automatic action is a soft quarantine, whatever the plugin's trust. */
export function assertAutomaticAllowed(kind: ActionKind): void {
	if (kind !== 'soft_quarantine') {
		throw serverError('FORBIDDEN', 'The service only quarantines softly on its own.');
	}
}

/**
 * What every admin edit does after the store commits it: publish at once when a publisher is
 * wired (a failed publish leaves the change waiting for the next round; the edit itself stands),
 * and turn a planner's refusal into a message on the form rather than an error page.
 */
import { isVouchError, sanitizeText } from '@vouch/library';
import type { WebDeps } from '../deps.ts';

/** Codes that are the service's own failures, not a problem with what the form asked. */
const NOT_FORM_PROBLEMS = new Set([
	'DATABASE_CONFIG',
	'DATABASE_ERROR',
	'DATABASE_TOO_NEW',
	'CSRF_REJECTED',
	'UNAUTHENTICATED',
	'FORBIDDEN',
	'PAYLOAD_TOO_LARGE',
	'RATE_LIMITED',
]);

export async function publishAfterEdit(deps: WebDeps): Promise<void> {
	try {
		await deps.publisher?.publishNow();
	} catch {
		// The change is stored and marked unpublished; the publisher's next round carries it.
	}
}

/** The refusal to show on the form, or undefined when the error is not the form's to explain. */
export function formProblem(error: unknown): string | undefined {
	if (!isVouchError(error) || NOT_FORM_PROBLEMS.has(error.code)) return undefined;
	// The planners' hints name CLI flags; on a form the message alone says what to fix.
	return sanitizeText(error.message, { maxLength: 600 });
}

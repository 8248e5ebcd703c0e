/**
 * A change row must be one the transparency log accepts: the publisher turns every unpublished
 * row into a journal record (`changeRecordSchema`) and stops, for everyone, at a row that does
 * not fit. So an edit whose reason, report or subject the log would refuse (a report that is
 * not an https link, a subject longer than the log allows) is refused here, before it is
 * stored, with the same schema the publisher uses.
 */
import { changeRecordSchema, logLine } from '@vouch/library/internal/registry/edit/journal';
import { serverError } from '../errors.ts';

export interface LoggableChange {
	action: string;
	subject: string;
	reason: string;
	report: string | null;
	before: string;
	after: string;
	now: Date;
}

/** The fields an editor gives (subject, reason, report), checked before anything else reads them. */
export function assertLoggableText(
	change: Pick<LoggableChange, 'subject' | 'reason' | 'report'>,
): void {
	refuseUnless(
		changeRecordSchema.pick({ subject: true, reason: true, report: true }).safeParse({
			subject: change.subject,
			// Logged on one line, as the publisher writes it (`changeRecordOf`).
			reason: logLine(change.reason),
			...(change.report === null || change.report === undefined ? {} : { report: change.report }),
		}),
	);
}

/** The whole record, as the publisher will build it. */
export function assertLoggable(change: LoggableChange): void {
	refuseUnless(
		changeRecordSchema.safeParse({
			action: change.action,
			subject: change.subject,
			reason: logLine(change.reason),
			...(change.report === null || change.report === undefined ? {} : { report: change.report }),
			registrySha256Before: change.before,
			registrySha256After: change.after,
			time: change.now.toISOString(),
		}),
	);
}

function refuseUnless(checked: {
	success: boolean;
	error?: { issues: readonly { path: readonly PropertyKey[] }[] };
}): void {
	if (checked.success || checked.error === undefined) return;
	const fields = [
		...new Set(checked.error.issues.map((issue) => issue.path.map(String).join('.'))),
	];
	throw serverError(
		'BAD_REQUEST',
		`The change cannot be recorded in the transparency log: ${fields.join(', ')} ${fields.length === 1 ? 'is' : 'are'} not accepted.`,
		{
			hint: 'A reason is 1 to 2000 characters; a report is an https:// link of at most 2048 characters with no spaces; a subject is at most 1024 characters.',
		},
	);
}

/**
 * What a maintainer's or an author's free text must be before it is stored: bounded, and free
 * of control characters (ANSI escapes, NULs) that could rewrite a terminal or a log line. HTML
 * is kept as text: every page and JSON answer escapes it on the way out.
 */
import { serverError } from '../errors.ts';

// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const CONTROL_EXCEPT_NEWLINES = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/;
// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what it refuses.
const ANY_CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

/** A required reason: 1 to 2000 characters (the log's bound), not only spaces. */
export function requireReasonText(reason: string, what = 'A reason'): string {
	const trimmed = typeof reason === 'string' ? reason.trim() : '';
	if (trimmed === '' || trimmed.length > 2000 || CONTROL_EXCEPT_NEWLINES.test(trimmed)) {
		throw serverError(
			'BAD_REQUEST',
			`${what} is required: 1 to 2000 characters without control characters.`,
			{ hint: 'Say why; the reason is public and goes into the transparency log.' },
		);
	}
	return trimmed;
}

export function proseText(text: string, max: number, what: string): string {
	if (typeof text !== 'string' || text.length > max || CONTROL_EXCEPT_NEWLINES.test(text)) {
		throw serverError(
			'BAD_REQUEST',
			`${what} is at most ${max} characters, without control characters.`,
		);
	}
	return text;
}

export function lineText(text: string, max: number, what: string): string {
	if (typeof text !== 'string' || text.length > max || ANY_CONTROL.test(text)) {
		throw serverError(
			'BAD_REQUEST',
			`${what} is one line of at most ${max} characters, without control characters.`,
		);
	}
	return text;
}

/**
 * One map from error codes (the service's, and the library's planners and readers) to HTTP
 * statuses. Anything not listed is a 500 whose body says nothing about the cause: internals
 * (SQL, paths, stack traces) never reach a client.
 */
import { sanitizeText } from '@vouch/library/internal/core/sanitize';

const STATUS_BY_CODE: Readonly<Record<string, number>> = {
	NOT_FOUND: 404,
	PLUGIN_NOT_IN_REGISTRY: 404,
	ENTRY_NOT_FOUND: 404,
	BAD_REQUEST: 400,
	INVALID_EDIT: 400,
	UUID_CHANGE_REJECTED: 400,
	REGISTRY_PARSE_ERROR: 400,
	BLACKLIST_INVALID: 400,
	INVALID_REGISTRY_ID: 400,
	INVALID_URL: 400,
	INVALID_HOST: 400,
	INVALID_UUID: 400,
	INVALID_VERSION_SCHEME: 400,
	INVALID_REGEX: 400,
	PAYLOAD_TOO_LARGE: 413,
	REGISTRY_TOO_LARGE: 413,
	UNAUTHENTICATED: 401,
	FORBIDDEN: 403,
	CSRF_REJECTED: 403,
	RATE_LIMITED: 429,
	REGISTRY_CONFLICT: 409,
	DUPLICATE_ENTRY: 409,
	REGISTRY_EDIT_REFUSED: 409,
	CONFIRMATION_REQUIRED: 409,
	// The admin may replace the registry, and the text is valid: it conflicts with the state of
	// incident actions, and is accepted once they are lifted. So a conflict, not a 403.
	HELD_BY_INCIDENT: 409,
	UNAVAILABLE: 503,
};

export interface PublicError {
	status: number;
	code: string;
	message: string;
	hint?: string;
	/** Only the listed, known-safe facts of an error (retry time, a plan's notes). */
	details?: Record<string, unknown>;
}

const SAFE_DETAIL_KEYS = ['field', 'retryAfterSeconds', 'notes', 'question', 'maxBytes', 'held'];

function codeOf(error: unknown): string | undefined {
	const code = (error as { code?: unknown } | null)?.code;
	return typeof code === 'string' ? code : undefined;
}

/** What a client may see of an error. */
export function publicError(error: unknown): PublicError {
	const code = codeOf(error);
	const status = code === undefined ? undefined : STATUS_BY_CODE[code];
	if (code === undefined || status === undefined) {
		return {
			status: 500,
			code: 'INTERNAL',
			message: 'The service could not handle this request.',
			hint: 'Try again later; the operators can find the cause in the service log.',
		};
	}
	const raw = error as { message?: unknown; hint?: unknown; details?: Record<string, unknown> };
	const result: PublicError = {
		status,
		code,
		message: sanitizeText(String(raw.message ?? ''), { maxLength: 2000 }),
	};
	if (typeof raw.hint === 'string') result.hint = sanitizeText(raw.hint, { maxLength: 1000 });
	if (raw.details !== undefined) {
		const details: Record<string, unknown> = {};
		for (const key of SAFE_DETAIL_KEYS) {
			if (raw.details[key] !== undefined) details[key] = raw.details[key];
		}
		if (Object.keys(details).length > 0) result.details = details;
	}
	return result;
}

/** Error codes raised by the registry service. Callers, the HTTP layer and tests branch on these. */
// The core module, not the package's entry: the entry loads the whole library (scanning
// grammars included), which a publisher or a request handler that only throws does not need.
import { VouchError, type VouchErrorOptions } from '@vouch/library/internal/core/errors';

export type ServerErrorCode =
	/** The database URL or data directory cannot be used. */
	| 'DATABASE_CONFIG'
	/** The database refused a query or could not be reached. */
	| 'DATABASE_ERROR'
	/** The database was migrated by a newer service than this one. */
	| 'DATABASE_TOO_NEW'
	/** The registry document changed between reading it and writing an edit (optimistic lock). */
	| 'REGISTRY_CONFLICT'
	/** A plugin, blacklist entry or other record does not exist. */
	| 'NOT_FOUND'
	/** A request body, query or form failed validation. */
	| 'BAD_REQUEST'
	/** A request body over its limit. */
	| 'PAYLOAD_TOO_LARGE'
	/** No credentials, or credentials that are unknown, expired or revoked. */
	| 'UNAUTHENTICATED'
	/** Valid credentials whose role does not allow the action. */
	| 'FORBIDDEN'
	/** A form without a valid CSRF token. */
	| 'CSRF_REJECTED'
	/** Too many requests from one client. */
	| 'RATE_LIMITED'
	/** This process lost (or never held) the publisher lease. */
	| 'LEASE_LOST'
	/** Publishing the registry through TUF and the log failed. */
	| 'PUBLISH_FAILED'
	/** A service option that cannot be honoured. */
	| 'INVALID_OPTIONS'
	/** The worker processes of `serve --workers` failed to start, or kept dying. */
	| 'WORKERS_FAILED'
	/** An edit a person must agree to first (it blocks registered plugins, it removes one): send `confirm: true`. */
	| 'CONFIRMATION_REQUIRED'
	/** A part of the service that this process does not run (no publisher configured). */
	| 'UNAVAILABLE'
	/** A registry repository's working copy holds what sync will not read or write through (a link, an oversized file). */
	| 'SYNC_REFUSED'
	/** A whole-registry replacement that would drop or weaken a blacklist entry an applied incident action holds. */
	| 'HELD_BY_INCIDENT';

export function serverError(
	code: ServerErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<ServerErrorCode> {
	return new VouchError(code, message, options);
}

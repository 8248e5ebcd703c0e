/**
 * Error codes of `src/report`: sending a community report (D22) and asking for its outcome.
 * Each says who can act: the user (a setting, the text of the report), the network, or the
 * service's operators.
 */
import { VouchError, type VouchErrorOptions } from '../core/errors.ts';

/** Codes raised by `src/report`: sending a report and following it. */
export type ReportErrorCode =
	/** No registry service is configured: reports go nowhere by default. */
	| 'REPORT_NO_SERVICE'
	/** The service address is not https (or http to this machine), or not a URL at all. */
	| 'REPORT_SERVICE_URL_INVALID'
	/** The report itself fails the wire contract (a bad evidence item, details too long). */
	| 'REPORT_INVALID'
	/** The service could not be reached. */
	| 'REPORT_NETWORK'
	/** The service did not answer within the time bound. */
	| 'REPORT_TIMEOUT'
	/** The service refused the report (a 4xx); its message, sanitised, is in the error. */
	| 'REPORT_REJECTED'
	/** The service asks to slow down (429). */
	| 'REPORT_RATE_LIMITED'
	/** The reporter token is not one the service knows (401, 403 or 404 on status). */
	| 'REPORT_TOKEN_UNKNOWN'
	/** The service failed (5xx). */
	| 'REPORT_SERVICE_ERROR'
	/** The service answered with a redirect, which is never followed. */
	| 'REPORT_REDIRECTED'
	/** The answer is too large, not JSON, or not the documented shape. */
	| 'REPORT_BAD_ANSWER';

export function reportError(
	code: ReportErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<ReportErrorCode> {
	return new VouchError(code, message, options);
}

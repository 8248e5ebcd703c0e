/**
 * Where the registry service is, for reports (D22). There is no default: a report goes only to
 * a service the user or the host named. The address must pass the transport rule's `service`
 * use (https; plain http only to this machine), since a report says which plugins a user runs
 * and its answer is a secret token. Credentials in the address are refused, not sent: a report
 * is anonymous unless the caller passes an account token on purpose.
 */
import { ExitCode } from '../core/errors.ts';
import { redactUrlCredentials, sanitizeText } from '../core/sanitize.ts';
import { checkTransport } from '../core/transport-policy.ts';
import { reportError } from './errors.ts';

export const REPORTS_PATH = 'api/v1/reports';
export const REPORT_STATUS_PATH = 'api/v1/reports/status';

/** The service's base URL, ending in `/`, without query or fragment. */
export function serviceBaseUrl(text: string | undefined): URL {
	const value = text?.trim() ?? '';
	if (value.length === 0) {
		throw reportError('REPORT_NO_SERVICE', 'No registry service is set to send reports to.', {
			hint: 'Give --service <url>, or store one with `vouch config set service <url>` (https://, or http:// to this machine).',
			exitCode: ExitCode.usage,
		});
	}
	const shown = sanitizeText(redactUrlCredentials(value), { maxLength: 200 });
	const invalid = (problem: string, cause?: unknown) =>
		reportError('REPORT_SERVICE_URL_INVALID', `The service address "${shown}" ${problem}.`, {
			hint: 'Give the registry service as https://host/ (plain http:// only to 127.0.0.1, localhost or [::1]).',
			exitCode: ExitCode.usage,
			...(cause === undefined ? {} : { cause }),
		});
	if (value.length > 2048) throw invalid('is too long');
	let url: URL;
	try {
		url = new URL(value);
	} catch (error) {
		throw invalid('is not a URL', error);
	}
	if (!checkTransport(value, { kind: 'service' }).allowed) {
		throw invalid(
			url.protocol === 'http:'
				? 'uses plain http to another machine, where anyone on the path could read the report and its token'
				: 'is not an https:// address',
		);
	}
	if (url.username !== '' || url.password !== '') throw invalid('carries credentials');
	url.search = '';
	url.hash = '';
	if (!url.pathname.endsWith('/')) url.pathname = `${url.pathname}/`;
	return url;
}

/** `<service>/api/v1/reports` and the status endpoint, under the service's base path. */
export function reportEndpoints(serviceUrl: string | undefined): { reports: URL; status: URL } {
	const base = serviceBaseUrl(serviceUrl);
	return { reports: new URL(REPORTS_PATH, base), status: new URL(REPORT_STATUS_PATH, base) };
}

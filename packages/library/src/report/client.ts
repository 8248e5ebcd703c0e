/**
 * The client side of community reports (D22): `sendReport` posts a report to
 * `<service>/api/v1/reports` and returns the receipt, `reportStatus` asks what became of it with
 * the reporter token. Both check what they send and what they get with the shared wire contract
 * (`report-schema.ts`), so a malformed report never leaves and a malformed answer is never shown.
 */
import { ExitCode } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { reportError } from './errors.ts';
import { exchange, type ReportClientDeps } from './exchange.ts';
import {
	MAX_REPORT_BYTES,
	type ParsedReportRequest,
	type ReportReceipt,
	type ReportRequest,
	type ReportStatus,
	reportReceiptSchema,
	reportRequestSchema,
	reportStatusSchema,
} from './report-schema.ts';
import { reportEndpoints } from './service-url.ts';

/** How `sendReport` reaches the service, and as whom. */
export interface SendReportDeps extends ReportClientDeps {
	/**
	 * An account token of the service (reporter, maintainer or admin): the report then counts as
	 * a trusted report. Without it the report is anonymous, and weighted lower.
	 */
	accountToken?: string;
}

const TOKEN = /^[A-Za-z0-9_-]{43}$/;
/** Account tokens are the service's; bounded and header-safe is all the client can check. */
const ACCOUNT_TOKEN = /^[\x21-\x7e]{16,512}$/;

/** The request as it will be sent, or `REPORT_INVALID` naming every problem. */
export function checkReportRequest(request: ReportRequest): ParsedReportRequest {
	const parsed = reportRequestSchema.safeParse(request);
	if (!parsed.success) {
		const problems = parsed.error.issues.map(
			(issue) => `${issue.path.join('.') || 'report'}: ${issue.message}`,
		);
		throw reportError(
			'REPORT_INVALID',
			`The report cannot be sent: ${sanitizeText(problems.join('; '), { maxLength: 600 })}.`,
			{
				hint: 'Fix the fields named and try again.',
				exitCode: ExitCode.usage,
				details: { problems },
			},
		);
	}
	const bytes = Buffer.byteLength(JSON.stringify(parsed.data));
	if (bytes > MAX_REPORT_BYTES) {
		throw reportError(
			'REPORT_INVALID',
			`The report is ${bytes} bytes; the service reads at most ${MAX_REPORT_BYTES}.`,
			{ hint: 'Shorten the details or send fewer evidence items.', exitCode: ExitCode.usage },
		);
	}
	return parsed.data;
}

/** Sends one report; the receipt's token is shown once and is how the outcome is followed. */
export async function sendReport(
	serviceUrl: string | undefined,
	request: ReportRequest,
	deps: SendReportDeps = {},
): Promise<ReportReceipt> {
	const { reports } = reportEndpoints(serviceUrl);
	const body = JSON.stringify(checkReportRequest(request));
	const headers: Record<string, string> = { 'content-type': 'application/json' };
	if (deps.accountToken !== undefined) {
		if (!ACCOUNT_TOKEN.test(deps.accountToken)) {
			throw reportError('REPORT_INVALID', 'The account token is not a token.', {
				hint: 'Give the token the service issued, whole, on one line.',
				exitCode: ExitCode.usage,
			});
		}
		headers.authorization = `Bearer ${deps.accountToken}`;
	}
	const answer = await exchange({ url: reports, method: 'POST', headers, body }, deps);
	return answerAs(reportReceiptSchema, answer.body, 'receipt');
}

/** What became of a report: its incident's state and the latest decision's reason. */
export async function reportStatus(
	serviceUrl: string | undefined,
	token: string,
	deps: ReportClientDeps = {},
): Promise<ReportStatus> {
	const { status } = reportEndpoints(serviceUrl);
	const text = token.trim();
	if (!TOKEN.test(text)) {
		throw reportError('REPORT_INVALID', 'That is not a reporter token.', {
			hint: 'A reporter token is the 43 characters (letters, digits, - and _) printed when the report was sent.',
			exitCode: ExitCode.usage,
		});
	}
	const answer = await exchange(
		{
			url: status,
			method: 'GET',
			headers: { authorization: `Bearer ${text}` },
			tokenStatuses: [401, 403, 404],
		},
		deps,
	);
	return answerAs(reportStatusSchema, answer.body, 'status');
}

function answerAs<T>(
	schema: { safeParse(value: unknown): { success: true; data: T } | { success: false } },
	body: unknown,
	what: string,
): T {
	const parsed = schema.safeParse(body);
	if (parsed.success) return parsed.data;
	throw reportError(
		'REPORT_BAD_ANSWER',
		`The service answered with something that is not a ${what}.`,
		{
			hint: 'Check that the address is the registry service itself; if it is, tell its operators.',
		},
	);
}

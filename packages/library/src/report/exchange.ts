/**
 * One bounded JSON exchange with the registry service: a time bound that covers the body, at
 * most 64 KiB read back, redirects never followed (a report and its token go only where the
 * user pointed them), and every failure turned into a `ReportErrorCode` with a hint. Whatever
 * the service says is untrusted: its message is shown only sanitised and stripped of markup.
 */
import { describeNetworkFailure } from '../core/network-failure.ts';
import { redactUrlCredentials, sanitizeText } from '../core/sanitize.ts';
import { type ReportErrorCode, reportError } from './errors.ts';

/** More than any receipt or status needs; a larger answer is refused, not buffered. */
export const MAX_ANSWER_BYTES = 64 * 1024;
export const DEFAULT_REPORT_TIMEOUT_MS = 20_000;
const MAX_SERVICE_MESSAGE = 300;
const MAX_RETRY_AFTER_SECONDS = 7 * 24 * 3600;

/** The network of the report client: injected like every other fetcher of the library. */
export interface ReportClientDeps {
	/** Default: the global `fetch`. Hosts and tests pass their own, like every network call. */
	fetch?: typeof fetch;
	/** Per request, body included. Default 20 s. */
	timeoutMs?: number;
}

export interface ServiceAnswer {
	status: number;
	/** The parsed JSON body. */
	body: unknown;
}

export interface ExchangeRequest {
	url: URL;
	method: 'GET' | 'POST';
	headers: Record<string, string>;
	body?: string;
	/** Which 4xx statuses mean "unknown token" rather than "refused". */
	tokenStatuses?: readonly number[];
}

/** Sends one request and returns the JSON of a 2xx answer; any other outcome throws. */
export async function exchange(
	request: ExchangeRequest,
	deps: ReportClientDeps,
): Promise<ServiceAnswer> {
	const fetchImpl = deps.fetch ?? globalThis.fetch;
	const signal = AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_REPORT_TIMEOUT_MS);
	let response: Response;
	try {
		response = await fetchImpl(request.url, {
			method: request.method,
			headers: { accept: 'application/json', ...request.headers },
			...(request.body === undefined ? {} : { body: request.body }),
			redirect: 'manual',
			signal,
		});
	} catch (error) {
		throw networkError(error, signal, request.url);
	}
	const where = shown(request.url);
	if (response.status >= 300 && response.status < 400) {
		await response.body?.cancel().catch(() => undefined);
		const location = response.headers.get('location');
		throw reportError(
			'REPORT_REDIRECTED',
			`${where} answered with a redirect${location === null ? '' : ` to ${sanitizeText(redactUrlCredentials(location), { maxLength: 200 })}`}, which is not followed.`,
			{
				hint: 'Set the service to the address it really answers at (vouch config set service <url>).',
				details: { status: response.status },
			},
		);
	}
	const text = await readBounded(response, signal, request.url);
	if (response.status >= 200 && response.status < 300) {
		return { status: response.status, body: parseJson(text, where) };
	}
	throw statusError(response, text, request);
}

async function readBounded(response: Response, signal: AbortSignal, url: URL): Promise<string> {
	const body = response.body;
	if (body === null) return '';
	const declared = Number(response.headers.get('content-length') ?? Number.NaN);
	if (declared > MAX_ANSWER_BYTES) {
		await body.cancel().catch(() => undefined);
		throw tooLarge(url);
	}
	const reader = body.getReader();
	const chunks: Uint8Array[] = [];
	let size = 0;
	try {
		for (;;) {
			let chunk: Awaited<ReturnType<typeof reader.read>>;
			try {
				chunk = await reader.read();
			} catch (error) {
				throw networkError(error, signal, url);
			}
			if (chunk.done) break;
			size += chunk.value.byteLength;
			if (size > MAX_ANSWER_BYTES) {
				await reader.cancel().catch(() => undefined);
				throw tooLarge(url);
			}
			chunks.push(chunk.value);
		}
	} finally {
		reader.releaseLock();
	}
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(Buffer.concat(chunks));
	} catch (error) {
		throw reportError('REPORT_BAD_ANSWER', `${shown(url)} answered with text that is not UTF-8.`, {
			cause: error,
			hint: badAnswerHint(),
		});
	}
}

function parseJson(text: string, where: string): unknown {
	try {
		return JSON.parse(text);
	} catch (error) {
		throw reportError('REPORT_BAD_ANSWER', `${where} did not answer with JSON.`, {
			cause: error,
			hint: badAnswerHint(),
		});
	}
}

/** A 4xx or 5xx, with the service's own message when it sent one in the documented shape. */
function statusError(response: Response, text: string, request: ExchangeRequest) {
	const status = response.status;
	const said = serviceMessage(text);
	const where = shown(request.url);
	const because = said.message === undefined ? '' : `: ${said.message}`;
	const details: Record<string, unknown> = {
		status,
		...(said.code === undefined ? {} : { serviceCode: said.code }),
	};
	if (status === 429) {
		const wait = retryAfter(response.headers.get('retry-after'));
		return reportError('REPORT_RATE_LIMITED', `${where} has had too many reports${because}.`, {
			hint:
				wait === undefined
					? 'Wait a while and try again.'
					: `Try again in ${wait} second${wait === 1 ? '' : 's'}.`,
			details: { ...details, ...(wait === undefined ? {} : { retryAfterSeconds: wait }) },
		});
	}
	if (status >= 500) {
		const failure = describeNetworkFailure(undefined, {
			url: request.url,
			status,
			what: 'the registry service',
		});
		return reportError('REPORT_SERVICE_ERROR', `${failure.reason}${because}.`, {
			hint: failure.hint,
			details,
		});
	}
	const code: ReportErrorCode = request.tokenStatuses?.includes(status)
		? 'REPORT_TOKEN_UNKNOWN'
		: 'REPORT_REJECTED';
	return reportError(
		code,
		code === 'REPORT_TOKEN_UNKNOWN'
			? `${where} does not know this reporter token (HTTP ${status})${because}.`
			: `${where} refused the report (HTTP ${status})${because}.`,
		{
			hint:
				said.hint ??
				(code === 'REPORT_TOKEN_UNKNOWN'
					? 'Check that the token is the one printed when the report was sent, whole.'
					: 'Fix what the service names and send the report again.'),
			details,
		},
	);
}

/** `{error: {code, message, hint}}`, each piece sanitised; anything else says nothing. */
function serviceMessage(text: string): { code?: string; message?: string; hint?: string } {
	let body: unknown;
	try {
		body = JSON.parse(text);
	} catch {
		// An HTML error page or plain text from a proxy: not shown, the status says enough.
		return {};
	}
	const error = (body as { error?: unknown } | null)?.error;
	if (typeof error !== 'object' || error === null) return {};
	const { code, message, hint } = error as Record<string, unknown>;
	const piece = (value: unknown, max: number) =>
		typeof value === 'string' ? plainText(value, max) || undefined : undefined;
	const result: { code?: string; message?: string; hint?: string } = {};
	const shownCode = piece(code, 64);
	const shownMessage = piece(message, MAX_SERVICE_MESSAGE);
	const shownHint = piece(hint, MAX_SERVICE_MESSAGE);
	if (shownCode !== undefined) result.code = shownCode;
	if (shownMessage !== undefined) result.message = shownMessage;
	if (shownHint !== undefined) result.hint = shownHint;
	return result;
}

/**
 * The service's words as one plain line: no control characters or escapes (D24), and no
 * markup, which a service message never needs and a hostile one uses to look official.
 */
export function plainText(value: string, maxLength: number): string {
	const bounded = value.slice(0, 4 * maxLength);
	const withoutTags = bounded.replace(/<[^<>]{0,200}>/g, ' ');
	return sanitizeText(withoutTags, { maxLength }).replace(/\s+/g, ' ').trim();
}

function retryAfter(header: string | null): number | undefined {
	if (header === null || !/^\d{1,9}$/.test(header.trim())) return undefined;
	return Math.min(Number(header.trim()), MAX_RETRY_AFTER_SECONDS);
}

function shown(url: URL): string {
	return sanitizeText(redactUrlCredentials(url.origin), { maxLength: 200 });
}

function tooLarge(url: URL) {
	return reportError(
		'REPORT_BAD_ANSWER',
		`${shown(url)} answered with more than ${MAX_ANSWER_BYTES / 1024} KiB; the answer was not read.`,
		{ hint: badAnswerHint() },
	);
}

function badAnswerHint(): string {
	return 'Check that the address is the registry service itself; if it is, tell its operators.';
}

function networkError(error: unknown, signal: AbortSignal, url: URL) {
	const failure = describeNetworkFailure(error, {
		url,
		timedOut: signal.aborted,
		what: 'the registry service',
	});
	const details = { cause: failure.cause, host: failure.host };
	if (signal.aborted) {
		return reportError('REPORT_TIMEOUT', `${shown(url)} did not answer in time.`, {
			cause: error,
			hint: failure.hint,
			details,
		});
	}
	return reportError('REPORT_NETWORK', `Cannot reach the registry service: ${failure.reason}.`, {
		cause: error,
		hint: failure.hint,
		details,
	});
}

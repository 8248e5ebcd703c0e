/**
 * What went wrong on the network, in words. `fetch` reports every failure as "fetch failed"
 * and hides the reason in `cause` (sometimes an AggregateError, one per address tried); this
 * unwraps it into a cause code, a short reason ("could not reach host: connection refused")
 * and a hint addressed to whoever can act on it: the user (a wrong address, their network)
 * or whoever runs the server (a broken certificate, a server error). The registry reader and
 * the TUF fetcher both report through here, so the wording is one.
 */
import { redactUrlCredentials, sanitizeText } from './sanitize.ts';

export type NetworkCause =
	| 'connection-refused'
	| 'host-not-found'
	| 'timed-out'
	| 'certificate'
	| 'connection-reset'
	| 'unreachable'
	| 'http-status'
	| 'other';

export interface NetworkFailure {
	cause: NetworkCause;
	/** The host (and port) as the user typed it, sanitised. */
	host: string;
	/** One short line: "could not reach host: connection refused". */
	reason: string;
	/** For the person who can act on it. */
	hint: string;
	/** The system error code (ECONNREFUSED, CERT_HAS_EXPIRED, ...) when there was one. */
	systemCode?: string;
	status?: number;
}

export interface NetworkFailureContext {
	url: string | URL;
	/** The request was stopped by Vouch's own time bound. */
	timedOut?: boolean;
	/** What the server is, for hints: "the registry", "the TUF repository". */
	what: string;
}

const CODE_CAUSES: Readonly<Record<string, Exclude<NetworkCause, 'http-status'>>> = {
	ECONNREFUSED: 'connection-refused',
	ENOTFOUND: 'host-not-found',
	EAI_AGAIN: 'host-not-found',
	EAI_NONAME: 'host-not-found',
	ETIMEDOUT: 'timed-out',
	UND_ERR_CONNECT_TIMEOUT: 'timed-out',
	UND_ERR_HEADERS_TIMEOUT: 'timed-out',
	UND_ERR_BODY_TIMEOUT: 'timed-out',
	ECONNRESET: 'connection-reset',
	EPIPE: 'connection-reset',
	UND_ERR_SOCKET: 'connection-reset',
	UND_ERR_CLOSED: 'connection-reset',
	ENETUNREACH: 'unreachable',
	EHOSTUNREACH: 'unreachable',
	ENETDOWN: 'unreachable',
	EHOSTDOWN: 'unreachable',
};

const CAUSE_WORDS: Readonly<Record<Exclude<NetworkCause, 'http-status'>, string>> = {
	'connection-refused': 'connection refused',
	'host-not-found': 'no such host (DNS lookup failed)',
	'timed-out': 'no answer in time',
	certificate: 'its TLS certificate was not accepted',
	'connection-reset': 'the connection was cut',
	unreachable: 'the network cannot reach it',
	other: 'the request failed',
};

/** Describes a failed request (`error`), or an HTTP answer that is not a success (`status`). */
export function describeNetworkFailure(
	error: unknown,
	context: NetworkFailureContext & { status?: number },
): NetworkFailure {
	const host = hostOf(context.url);
	if (context.status !== undefined) return httpFailure(context.status, host, context.what);
	const systemCode = systemCodeOf(error);
	const cause: Exclude<NetworkCause, 'http-status'> = context.timedOut
		? 'timed-out'
		: systemCode === undefined
			? 'other'
			: (CODE_CAUSES[systemCode] ?? (isCertificateCode(systemCode) ? 'certificate' : 'other'));
	const detail =
		cause === 'certificate' && systemCode !== undefined
			? ` (${systemCode})`
			: cause === 'other'
				? otherDetail(error, systemCode)
				: '';
	return {
		cause,
		host,
		reason: `could not reach ${host}: ${CAUSE_WORDS[cause]}${detail}`,
		hint: hintFor(cause, host, context.what),
		...(systemCode === undefined ? {} : { systemCode }),
	};
}

function hintFor(cause: NetworkCause, host: string, what: string): string {
	switch (cause) {
		case 'connection-refused':
			return `Nothing is listening at ${host}. Check the address; if it is a server of your own, start it.`;
		case 'host-not-found':
			return `Check the address (${host}) and that this machine is online.`;
		case 'timed-out':
			return 'Check this machine’s network (a proxy or firewall?), or try again later.';
		case 'certificate':
			return `If the address is right, ${what}'s maintainer must fix its certificate. Behind a proxy that inspects TLS, point NODE_EXTRA_CA_CERTS at the proxy's certificate.`;
		case 'connection-reset':
			return 'Try again; if it keeps happening, check this machine’s network or proxy.';
		case 'unreachable':
			return 'Check that this machine is online.';
		default:
			return 'Check the address and this machine’s network.';
	}
}

function httpFailure(status: number, host: string, what: string): NetworkFailure {
	const base = { cause: 'http-status' as const, host, status };
	if (status === 404 || status === 410) {
		return {
			...base,
			reason: `${host} answered HTTP ${status} (nothing at that address)`,
			hint: `Check the address. If it was right before, ${what} may have moved: ask its maintainer.`,
		};
	}
	if (status === 401 || status === 403) {
		return {
			...base,
			reason: `${host} answered HTTP ${status} (access refused)`,
			hint: `Check the address; ${what} should be public, so a refusal is for its maintainer to fix.`,
		};
	}
	if (status === 429 || status >= 500) {
		return {
			...base,
			reason: `${host} answered HTTP ${status} (${status === 429 ? 'too many requests' : 'server error'})`,
			hint: `The server is busy or failing: try again later. If it lasts, tell ${what}'s maintainer.`,
		};
	}
	return {
		...base,
		reason: `${host} answered HTTP ${status}`,
		hint: `Check the address; if it is right, tell ${what}'s maintainer.`,
	};
}

/** The first system error code in the cause chain (AggregateError: the first of its errors). */
function systemCodeOf(error: unknown): string | undefined {
	let current: unknown = error;
	for (let depth = 0; depth < 5 && current !== null && typeof current === 'object'; depth++) {
		const code = (current as { code?: unknown }).code;
		if (typeof code === 'string' && /^[A-Z][A-Z0-9_]*$/.test(code)) return code;
		const errors = (current as { errors?: unknown }).errors;
		if (Array.isArray(errors) && errors.length > 0) {
			const inner = systemCodeOf(errors[0]);
			if (inner !== undefined) return inner;
		}
		current = (current as { cause?: unknown }).cause;
	}
	return undefined;
}

function isCertificateCode(code: string): boolean {
	return /CERT|SELF_SIGNED|UNABLE_TO_(GET|VERIFY)|ERR_TLS|ERR_SSL|SSL/.test(code);
}

/** For a cause without a known code, the innermost message says more than "fetch failed". */
function otherDetail(error: unknown, systemCode: string | undefined): string {
	let current: unknown = error;
	let message: string | undefined;
	for (let depth = 0; depth < 5 && current instanceof Error; depth++) {
		message = current.message;
		current = current.cause;
	}
	const text = [systemCode, message].filter((part) => part !== undefined && part !== '');
	return text.length === 0 ? '' : ` (${sanitizeText(text.join(': '), { maxLength: 160 })})`;
}

function hostOf(url: string | URL): string {
	try {
		const parsed = typeof url === 'string' ? new URL(url) : url;
		return sanitizeText(parsed.host, { maxLength: 200 });
	} catch {
		return sanitizeText(redactUrlCredentials(String(url)), { maxLength: 200 });
	}
}

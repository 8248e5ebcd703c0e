/**
 * `api.fetch` for plugins. Node 20's permission model does not cover the network, so the
 * host offers the one sanctioned way out: a request goes only to an origin the manifest
 * lists in `network_allow`, and only when the plugin declares `network` (D20, D29). Redirects
 * are not followed (a redirect could lead off the allow-list); the plugin sees the 3xx. The
 * answer is bounded in size and time.
 */
import { sanitizeText } from '@vouch/library';
import { hostError } from './errors.ts';
import type { PluginPlan } from './plugin-plan.ts';

const METHODS = new Set(['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE']);
const MAX_BODY_BYTES = 1024 * 1024;
const MAX_REQUEST_BODY_CHARS = 256 * 1024;
const TIMEOUT_MS = 30_000;

export interface BrokeredRequest {
	url: string;
	method: string;
	headers: Record<string, string>;
	body: string | null;
}

export interface BrokeredResponse {
	status: number;
	headers: Record<string, string>;
	body: string;
}

/** Reads the plugin's request; anything of the wrong shape is refused. */
export function brokeredRequestOf(params: unknown): BrokeredRequest {
	const value = (typeof params === 'object' && params !== null ? params : {}) as Record<
		string,
		unknown
	>;
	const method = typeof value.method === 'string' ? value.method.toUpperCase() : 'GET';
	const headers: Record<string, string> = {};
	if (typeof value.headers === 'object' && value.headers !== null) {
		for (const [key, item] of Object.entries(value.headers).slice(0, 50)) {
			if (typeof item === 'string') headers[key] = item;
		}
	}
	if (typeof value.url !== 'string' || !METHODS.has(method))
		throw hostError('FETCH_NOT_ALLOWED', 'api.fetch needs a URL and a standard method.');
	const body = typeof value.body === 'string' ? value.body : null;
	if (body !== null && body.length > MAX_REQUEST_BODY_CHARS)
		throw hostError('FETCH_NOT_ALLOWED', 'The request body is too large.');
	return { url: value.url, method, headers, body };
}

/** Throws `FETCH_NOT_ALLOWED` unless the plugin may reach this URL. */
export function assertFetchAllowed(
	plan: Pick<PluginPlan, 'name' | 'declared' | 'networkAllow'>,
	url: string,
): URL {
	let parsed: URL;
	try {
		parsed = new URL(url);
	} catch {
		throw hostError('FETCH_NOT_ALLOWED', `${plan.name}: not a URL.`);
	}
	if (!plan.declared.includes('network')) {
		throw hostError('FETCH_NOT_ALLOWED', `${plan.name} does not declare the network capability.`);
	}
	// `blob:https://allowed/…` has the allowed origin, but a fetch of it reads no network: only
	// http and https may pass, whatever the origin says.
	if (
		(parsed.protocol !== 'https:' && parsed.protocol !== 'http:') ||
		parsed.username !== '' ||
		parsed.password !== '' ||
		!plan.networkAllow.includes(parsed.origin)
	) {
		throw hostError(
			'FETCH_NOT_ALLOWED',
			`${plan.name} may not reach ${sanitizeText(parsed.origin, { maxLength: 200 })}: it is not in its network_allow list.`,
		);
	}
	return parsed;
}

export async function brokerFetch(
	plan: Pick<PluginPlan, 'name' | 'declared' | 'networkAllow'>,
	request: BrokeredRequest,
	fetchImpl: typeof fetch,
): Promise<BrokeredResponse> {
	const url = assertFetchAllowed(plan, request.url);
	const response = await fetchImpl(url, {
		method: request.method,
		headers: request.headers,
		...(request.body === null ? {} : { body: request.body }),
		redirect: 'manual',
		signal: AbortSignal.timeout(TIMEOUT_MS),
	});
	const chunks: Uint8Array[] = [];
	let size = 0;
	if (response.body !== null) {
		for await (const chunk of response.body as AsyncIterable<Uint8Array>) {
			size += chunk.byteLength;
			if (size > MAX_BODY_BYTES) {
				throw hostError(
					'FETCH_NOT_ALLOWED',
					`${plan.name}: the answer is larger than ${MAX_BODY_BYTES} bytes.`,
				);
			}
			chunks.push(chunk);
		}
	}
	const headers: Record<string, string> = {};
	response.headers.forEach((value, key) => {
		headers[key] = value;
	});
	return { status: response.status, headers, body: Buffer.concat(chunks).toString('utf8') };
}

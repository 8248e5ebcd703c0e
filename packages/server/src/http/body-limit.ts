/**
 * Every request body is bounded before it is read: a small limit for JSON and forms, a larger
 * one only where a whole registry is imported. Over the limit is a 413 and nothing is stored.
 * hono's `bodyLimit` refuses on `Content-Length` at once and counts a chunked body as it
 * streams, so a body is never buffered past its limit.
 */
import type { MiddlewareHandler } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { serverError } from '../errors.ts';

export const DEFAULT_BODY_BYTES = 64 * 1024;
export const IMPORT_BODY_BYTES = 2 * 1024 * 1024;
/** The one route that takes a whole registry document. */
export const IMPORT_PATH = '/api/v1/admin/registry';

/** Where plugin repositories are served (a fetch's request body is larger than a form). */
export const GIT_PREFIX = '/git/';
export const GIT_BODY_BYTES = 1024 * 1024;

export interface BodyLimits {
	defaultBytes?: number;
	importBytes?: number;
}

function limiter(maxBytes: number): MiddlewareHandler {
	return bodyLimit({
		maxSize: maxBytes,
		onError: () => {
			throw serverError('PAYLOAD_TOO_LARGE', `The request body is larger than ${maxBytes} bytes.`, {
				details: { maxBytes },
			});
		},
	});
}

export function limitBodies(limits: BodyLimits = {}): MiddlewareHandler {
	const small = limiter(limits.defaultBytes ?? DEFAULT_BODY_BYTES);
	const large = limiter(limits.importBytes ?? IMPORT_BODY_BYTES);
	const git = limiter(GIT_BODY_BYTES);
	return async (c, next) => {
		const method = c.req.method;
		if (method === 'GET' || method === 'HEAD' || method === 'OPTIONS') {
			await next();
			return;
		}
		const path = c.req.path;
		await (path === IMPORT_PATH ? large : path.startsWith(GIT_PREFIX) ? git : small)(c, next);
	};
}

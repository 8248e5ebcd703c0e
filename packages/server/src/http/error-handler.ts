/**
 * Turns any thrown error into a response: JSON `{error: {code, message, hint}}` under `/api`,
 * the escaped HTML page elsewhere. Unknown errors are logged whole for the operators and shown
 * as a bare 500.
 */
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import type { Context } from 'hono';
import { renderErrorPage } from './error-page.ts';
import { type PublicError, publicError } from './error-status.ts';
import { jsonReply } from './json-text.ts';

export type ServiceLog = (line: string) => void;

export function isApiPath(path: string): boolean {
	return path === '/api' || path.startsWith('/api/');
}

export function errorResponse(c: Context, error: PublicError): Response {
	const headers: Record<string, string> = { 'Cache-Control': 'no-store' };
	const retry = error.details?.retryAfterSeconds;
	if (typeof retry === 'number') headers['Retry-After'] = String(retry);
	if (isApiPath(c.req.path)) {
		const body = {
			error: {
				code: error.code,
				message: error.message,
				...(error.hint === undefined ? {} : { hint: error.hint }),
				...(error.details === undefined ? {} : { details: error.details }),
			},
		};
		return jsonReply(body, error.status, headers);
	}
	return c.html(renderErrorPage(error), error.status as 400, headers);
}

export function handleError(log: ServiceLog | undefined) {
	return (error: Error, c: Context): Response => {
		const shown = publicError(error);
		if (shown.status === 500) {
			// The path is decoded and the client's: on one line, without controls, it cannot forge
			// entries of its own in the operators' log.
			const path = sanitizeText(c.req.path, { maxLength: 500 });
			log?.(`error: ${c.req.method} ${path}: ${error.stack ?? String(error)}`);
		}
		return errorResponse(c, shown);
	};
}

export function notFoundResponse(c: Context): Response {
	return errorResponse(c, {
		status: 404,
		code: 'NOT_FOUND',
		message: 'Nothing is here.',
		hint: 'Check the address.',
	});
}

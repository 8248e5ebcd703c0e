/**
 * Headers every response carries, errors and 304s included. The pages run no script at all,
 * so the policy allows none; styles come only from the service's own `/assets/`.
 */
import type { MiddlewareHandler } from 'hono';

export const CONTENT_SECURITY_POLICY =
	"default-src 'none'; style-src 'self'; img-src 'self' data:; form-action 'self'; frame-ancestors 'none'; base-uri 'none'";

export const SECURITY_HEADERS: Readonly<Record<string, string>> = {
	'Content-Security-Policy': CONTENT_SECURITY_POLICY,
	'X-Content-Type-Options': 'nosniff',
	// Not `no-referrer`: under it a browser sends `Origin: null` with every form post, even
	// from our own pages, and the forms' same-origin check would refuse them all. `same-origin`
	// still sends nothing to other sites, and a post from elsewhere still says so.
	'Referrer-Policy': 'same-origin',
	'X-Frame-Options': 'DENY',
	'Cross-Origin-Opener-Policy': 'same-origin',
	'Permissions-Policy':
		'camera=(), microphone=(), geolocation=(), payment=(), usb=(), interest-cohort=()',
};

export function securityHeaders(): MiddlewareHandler {
	return async (c, next) => {
		await next();
		applySecurityHeaders(c.res.headers);
	};
}

export function applySecurityHeaders(headers: Headers): void {
	for (const [name, value] of Object.entries(SECURITY_HEADERS)) headers.set(name, value);
	headers.delete('X-Powered-By');
}

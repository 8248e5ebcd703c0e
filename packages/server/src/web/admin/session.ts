/**
 * The maintainers' sign-in session on pages, and the checks every POST passes:
 * - the session cookie `vouch_session` is HttpOnly and SameSite=Strict, and Secure when the
 *   request came over https (the URL, or `X-Forwarded-Proto: https` from a proxy in front);
 *   the header can only add Secure, never remove it, so trusting it costs nothing;
 * - a POST carries the session's form token (`csrf`), compared in constant time; missing or
 *   forged is CSRF_REJECTED (403) before anything is read or written;
 * - a POST whose `Origin` (or `Sec-Fetch-Site`) says it came from another site is refused too,
 *   so a token that leaked would still not let another site post.
 * Sign-in itself has no session yet: its form token is a random value in a short-lived cookie
 * of its own, compared the same way, so another site cannot sign a browser into an account.
 */
import type { Context, MiddlewareHandler } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import type { Account, Accounts } from '../../admin/accounts.ts';
import { newSecret, sameSecret } from '../../admin/secrets.ts';
import { serverError } from '../../errors.ts';

export const SESSION_COOKIE = 'vouch_session';
export const SIGN_IN_COOKIE = 'vouch_sign_in';
const SIGN_IN_SECONDS = 3600;

export interface SignedIn {
	account: Account;
	csrfToken: string;
	cookie: string;
}

export type WebEnv = { Variables: { session: SignedIn } };

export function isHttps(c: Context): boolean {
	return (
		new URL(c.req.url).protocol === 'https:' ||
		c.req.header('x-forwarded-proto')?.split(',')[0]?.trim().toLowerCase() === 'https'
	);
}

function cookieOptions(c: Context) {
	return { httpOnly: true, secure: isHttps(c), sameSite: 'Strict', path: '/' } as const;
}

/**
 * Max-Age, not Expires: the lifetime is counted from the service's clock, so a browser whose
 * clock disagrees neither drops the cookie early nor keeps it longer. The server checks the
 * session's expiry on every request anyway; the cookie's age is only a courtesy.
 */
export function setSessionCookie(c: Context, value: string, expiresAt: Date, now: Date): void {
	const seconds = Math.max(Math.floor((expiresAt.getTime() - now.getTime()) / 1000), 0);
	setCookie(c, SESSION_COOKIE, value, { ...cookieOptions(c), maxAge: seconds });
}

export function clearSessionCookie(c: Context): void {
	deleteCookie(c, SESSION_COOKIE, cookieOptions(c));
}

/** The sign-in form's token: kept while valid, so two open tabs both work. */
export function signInToken(c: Context): string {
	const current = getCookie(c, SIGN_IN_COOKIE);
	if (current !== undefined && /^f_[A-Za-z0-9_-]{43}$/.test(current)) return current;
	const token = newSecret('f_');
	setCookie(c, SIGN_IN_COOKIE, token, { ...cookieOptions(c), maxAge: SIGN_IN_SECONDS });
	return token;
}

export function clearSignInToken(c: Context): void {
	deleteCookie(c, SIGN_IN_COOKIE, cookieOptions(c));
}

/** Is the POST from this site? Absent headers (old clients, curl) pass; the form token still has to. */
export function sameOrigin(c: Context): boolean {
	const origin = c.req.header('origin');
	if (origin === undefined) {
		const site = c.req.header('sec-fetch-site');
		return site === undefined || site === 'same-origin' || site === 'none';
	}
	let parsed: URL;
	try {
		parsed = new URL(origin);
	} catch {
		return false; // `Origin: null` (sandboxed frames, privacy redirects) is not this site.
	}
	const host = c.req.header('host') ?? new URL(c.req.url).host;
	return parsed.host === host && (parsed.protocol === 'https:' || parsed.protocol === 'http:');
}

/** Refuses a POST from another site or without the expected form token (CSRF_REJECTED). */
export function checkFormToken(c: Context, sent: string | null, expected: string): void {
	if (!sameOrigin(c)) {
		throw serverError('CSRF_REJECTED', 'This form was posted from another site.');
	}
	if (sent === null || sent.length === 0 || sent.length > 200 || !sameSecret(sent, expected)) {
		throw serverError('CSRF_REJECTED', 'The form token is missing or wrong.', {
			hint: 'Reload the page and send the form again.',
		});
	}
}

/**
 * Admin pages need a session: a GET without one goes to the sign-in page (its own fixed
 * path, never a URL from the request), anything else is 401.
 */
export function requireSession(accounts: Accounts): MiddlewareHandler<WebEnv> {
	return async (c, next) => {
		const cookie = getCookie(c, SESSION_COOKIE);
		let session: { account: Account; csrfToken: string };
		try {
			session = await accounts.authenticateSession(cookie);
		} catch (error) {
			if ((error as { code?: string }).code !== 'UNAUTHENTICATED') throw error;
			if (c.req.method === 'GET' || c.req.method === 'HEAD')
				return c.redirect('/admin/sign-in', 303);
			throw error;
		}
		c.set('session', { ...session, cookie: cookie as string });
		await next();
		return undefined;
	};
}

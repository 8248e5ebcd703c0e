/**
 * Forms anyone may send without an account (a report, an appeal, a status look-up), kept from
 * being posted by another site: the POST must not say it came from elsewhere (`Origin`,
 * `Sec-Fetch-Site`), and it must carry the form token that the page set in a SameSite=Strict
 * cookie (which a cross-site POST does not carry). A token that made a report or an appeal
 * is spent: the same request sent again is refused, so a replayed capture files nothing twice.
 * The spent set is in memory, per process and bounded; the service's own report budget and
 * token hashing stand behind it.
 */
import type { Context } from 'hono';
import { deleteCookie, getCookie, setCookie } from 'hono/cookie';
import { newSecret } from '../admin/secrets.ts';
import { serverError } from '../errors.ts';
import { checkFormToken, isHttps } from './admin/session.ts';

export const PUBLIC_FORM_COOKIE = 'vouch_form';
const FORM_SECONDS = 3600;
const TOKEN = /^p_[A-Za-z0-9_-]{43}$/;
const MAX_SPENT = 10_000;

function options(c: Context) {
	return { httpOnly: true, secure: isHttps(c), sameSite: 'Strict', path: '/' } as const;
}

export interface PublicForms {
	/** The token to put in the page's form; kept while valid so two open tabs both work. */
	token(c: Context): string;
	/** Refuses a post from another site, without the cookie's token, or with a spent one. */
	check(c: Context, sent: string | null): string;
	/** Marks the token used (after a report or appeal was filed) and drops its cookie. */
	spend(c: Context, token: string): void;
}

export function createPublicForms(): PublicForms {
	const spent = new Set<string>();
	return {
		token(c) {
			const current = getCookie(c, PUBLIC_FORM_COOKIE);
			if (current !== undefined && TOKEN.test(current) && !spent.has(current)) return current;
			const token = newSecret('p_');
			setCookie(c, PUBLIC_FORM_COOKIE, token, { ...options(c), maxAge: FORM_SECONDS });
			return token;
		},
		check(c, sent) {
			const expected = getCookie(c, PUBLIC_FORM_COOKIE);
			if (expected === undefined || !TOKEN.test(expected)) {
				throw serverError('CSRF_REJECTED', 'The form token is missing or wrong.', {
					hint: 'Reload the page and send the form again.',
				});
			}
			checkFormToken(c, sent, expected);
			if (spent.has(expected)) {
				throw serverError('CSRF_REJECTED', 'This form was already sent.', {
					hint: 'Reload the page to send another one.',
				});
			}
			return expected;
		},
		spend(c, token) {
			spent.add(token);
			if (spent.size > MAX_SPENT) {
				const oldest = spent.values().next().value;
				if (oldest !== undefined) spent.delete(oldest);
			}
			deleteCookie(c, PUBLIC_FORM_COOKIE, options(c));
		},
	};
}

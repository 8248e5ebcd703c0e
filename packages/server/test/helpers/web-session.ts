/** Signing in to the pages in-process (through `app.request`), as a browser would: cookie, form token, POST. */
import assert from 'node:assert/strict';
import type { Hono } from 'hono';
import { PASSWORD } from './web-app.ts';

export const ORIGIN = 'http://127.0.0.1';

export interface PageSession {
	/** The `Cookie` header value to send. */
	cookie: string;
	/** The session's form token, read from a page. */
	csrf: string;
}

function cookiesOf(response: Response): Map<string, string> {
	const found = new Map<string, string>();
	for (const line of response.headers.getSetCookie()) {
		const [pair] = line.split(';');
		const at = pair?.indexOf('=') ?? -1;
		if (pair !== undefined && at > 0) found.set(pair.slice(0, at), pair.slice(at + 1));
	}
	return found;
}

export function csrfOf(page: string): string {
	const match = /name="csrf" value="([^"]+)"/.exec(page);
	assert.ok(match?.[1], 'the page carries a form token');
	return match[1];
}

export function form(fields: Record<string, string | string[]>): string {
	const params = new URLSearchParams();
	for (const [key, value] of Object.entries(fields)) {
		for (const one of Array.isArray(value) ? value : [value]) params.append(key, one);
	}
	return params.toString();
}

export function post(
	app: Hono,
	path: string,
	body: string,
	headers: Record<string, string> = {},
): Promise<Response> {
	return Promise.resolve(
		app.request(`${ORIGIN}${path}`, {
			method: 'POST',
			headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
			body,
		}),
	);
}

export async function signIn(app: Hono, name: string, password = PASSWORD): Promise<PageSession> {
	const formPage = await app.request(`${ORIGIN}/admin/sign-in`);
	const preCookie = [...cookiesOf(formPage)].map(([k, v]) => `${k}=${v}`).join('; ');
	const token = csrfOf(await formPage.text());
	const response = await post(app, '/admin/sign-in', form({ csrf: token, name, password }), {
		cookie: preCookie,
		origin: ORIGIN,
	});
	assert.equal(response.status, 303, `signing in as ${name}`);
	const session = cookiesOf(response).get('vouch_session');
	assert.ok(session);
	const cookie = `vouch_session=${session}`;
	const dashboard = await app.request(`${ORIGIN}/admin`, { headers: { cookie } });
	assert.equal(dashboard.status, 200);
	return { cookie, csrf: csrfOf(await dashboard.text()) };
}

/** `/admin/sign-in` and `/admin/sign-out`. */
import type { Hono } from 'hono';
import { getCookie } from 'hono/cookie';
import { html } from 'hono/html';
import { MAX_PASSWORD_CHARS } from '../../admin/secrets.ts';
import type { WebDeps } from '../deps.ts';
import { readForm } from '../forms.ts';
import { page } from '../layout.ts';
import type { Html } from '../text.ts';
import {
	checkFormToken,
	clearSessionCookie,
	clearSignInToken,
	requireSession,
	SIGN_IN_COOKIE,
	setSessionCookie,
	signInToken,
	type WebEnv,
} from './session.ts';

function signInPage(token: string, problem?: string, name = ''): Html {
	return page({
		title: 'Sign in',
		section: 'admin',
		body: html`<h1>Sign in</h1>
<p>For registry maintainers. Editing trust levels and the blacklist changes what every client installs.</p>
${problem === undefined ? '' : html`<p class="problem" role="alert">${problem}</p>`}
<form class="stacked" method="post" action="/admin/sign-in">
<input type="hidden" name="csrf" value="${token}">
<div class="field">
<label for="name">Account name</label>
<input id="name" name="name" type="text" autocomplete="username" required maxlength="63" value="${name}">
</div>
<div class="field">
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required maxlength="${MAX_PASSWORD_CHARS}">
</div>
<button type="submit">Sign in</button>
</form>`,
	});
}

export function signInRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
	app.get('/admin/sign-in', (c) => c.html(signInPage(signInToken(c))));

	app.post('/admin/sign-in', async (c) => {
		const form = await readForm(c);
		checkFormToken(c, form.get('csrf'), getCookie(c, SIGN_IN_COOKIE) ?? '');
		const name = (form.get('name') ?? '').trim().slice(0, 63);
		const password = form.get('password') ?? '';
		const account =
			name === '' || password === '' ? undefined : await deps.accounts.signIn(name, password);
		if (account === undefined) {
			// One message for every failure, so the form does not tell which accounts exist.
			return c.html(signInPage(signInToken(c), 'The name or the password is wrong.', name), 401);
		}
		const session = await deps.accounts.startSession(account);
		clearSignInToken(c);
		setSessionCookie(c, session.cookie, session.expiresAt, deps.clock());
		return c.redirect('/admin', 303);
	});

	app.post('/admin/sign-out', requireSession(deps.accounts), async (c) => {
		const session = c.get('session');
		const form = await readForm(c);
		checkFormToken(c, form.get('csrf'), session.csrfToken);
		await deps.accounts.endSession(session.cookie);
		clearSessionCookie(c);
		return c.redirect('/', 303);
	});
}

/** `/admin/accounts`: the accounts, for admins only (a maintainer gets 403). Read-only here; accounts are made with `vouch-server`. */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { roleAllows } from '../../admin/accounts.ts';
import { serverError } from '../../errors.ts';
import type { WebDeps } from '../deps.ts';
import { plain, when } from '../text.ts';
import { adminPage } from './admin-page.ts';
import { requireSession, type WebEnv } from './session.ts';

export function accountsRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
	app.get('/admin/accounts', requireSession(deps.accounts), async (c) => {
		const session = c.get('session');
		if (!roleAllows(session.account.role, 'admin'))
			throw serverError('FORBIDDEN', 'Only admins see the accounts.');
		const rows = await deps.database.db
			.selectFrom('accounts')
			.select(['name', 'role', 'created_at', 'disabled'])
			.orderBy('name')
			.limit(500)
			.execute();
		return c.html(
			adminPage(
				session,
				'Accounts',
				html`<h1>Accounts</h1>
<table>
<caption>Accounts that can sign in or hold API tokens</caption>
<thead><tr><th scope="col">Name</th><th scope="col">Role</th><th scope="col">Created</th><th scope="col">State</th></tr></thead>
<tbody>
${rows.map((row) => html`<tr><th scope="row">${plain(row.name, 63)}</th><td>${plain(row.role, 20)}</td><td>${when(row.created_at)}</td><td>${row.disabled === 0 ? 'active' : 'disabled'}</td></tr>`)}
</tbody>
</table>`,
			),
		);
	});
}

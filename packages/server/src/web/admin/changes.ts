/** `/admin` (recent changes and where to go) and `/admin/log` (every change with its log state). */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../../db/schema.ts';
import { type ChangeListing, listChanges } from '../../store/change-queries.ts';
import type { WebDeps } from '../deps.ts';
import { type Html, plain, when } from '../text.ts';
import { adminPage } from './admin-page.ts';
import { requireSession, type WebEnv } from './session.ts';

const DASHBOARD_CHANGES = 15;
const LOG_PAGE = 100;

type ChangeRow = ChangeListing;

function changes(
	db: Kysely<ServiceDatabase>,
	limit: number,
	before?: number,
): Promise<ChangeRow[]> {
	return listChanges(db, before === undefined ? { limit } : { before, limit });
}

function state(row: ChangeRow): Html {
	return row.publish_id === null
		? html`<span class="state state-pending">waiting to be published</span>`
		: html`<span class="state state-published">published #${row.publish_id}${row.completed_at === null ? '' : html` on ${when(row.completed_at)}`}</span>`;
}

function changesTable(rows: ChangeRow[], caption: string, withLog: boolean): Html {
	if (rows.length === 0) return html`<p>No changes yet.</p>`;
	return html`<table class="changes">
<caption>${caption}</caption>
<thead><tr><th scope="col">#</th><th scope="col">When</th><th scope="col">Who</th><th scope="col">Change</th><th scope="col">Reason</th><th scope="col">${withLog ? 'Log state' : 'Publish state'}</th></tr></thead>
<tbody>
${rows.map(
	(
		row,
	) => html`<tr><th scope="row">${row.seq}</th><td>${when(row.created_at)}</td><td>${plain(row.actor_name, 80)}</td>
<td><code>${plain(row.action, 40)}</code> ${plain(row.subject, 120)}</td><td>${plain(row.reason, 300)}</td>
<td>${state(row)}${withLog && row.log_size !== null ? html`<br>in the log (size ${row.log_size})` : ''}</td></tr>`,
)}
</tbody>
</table>`;
}

export function changeRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
	const { db } = deps.database;
	app.get('/admin', requireSession(deps.accounts), async (c) => {
		const session = c.get('session');
		const saved = Number.parseInt(c.req.query('saved') ?? '', 10);
		const rows = await changes(db, DASHBOARD_CHANGES);
		const pending = rows.filter((row) => row.publish_id === null).length;
		return c.html(
			adminPage(
				session,
				'Dashboard',
				html`<h1>Maintainer dashboard</h1>
${Number.isSafeInteger(saved) ? html`<p class="notice" role="status">Saved as change #${saved}.</p>` : ''}
<nav aria-label="Maintainer tasks">
<ul class="tasks">
<li><a href="/admin/plugins">Edit a plugin's trust level or categories</a></li>
<li><a href="/admin/blacklist">Add or remove blacklist entries</a></li>
<li><a href="/admin/incidents">Incident queue: reports, actions and appeals</a></li>
<li><a href="/admin/metrics">Response times and host uptake</a></li>
<li><a href="/admin/log">All changes and their log state</a></li>
${session.account.role === 'admin' ? html`<li><a href="/admin/accounts">Accounts</a></li>` : ''}
</ul>
</nav>
<h2>Recent changes</h2>
<p>${pending === 0 ? 'Every change shown is published.' : `${pending} of these changes wait for the next publish.`}</p>
${changesTable(rows, 'The newest changes first', false)}`,
			),
		);
	});

	app.get('/admin/log', requireSession(deps.accounts), async (c) => {
		const session = c.get('session');
		const before = Number.parseInt(c.req.query('before') ?? '', 10);
		const rows = await changes(db, LOG_PAGE, Number.isSafeInteger(before) ? before : undefined);
		const last = rows.at(-1);
		return c.html(
			adminPage(
				session,
				'Change log',
				html`<h1>Change log</h1>
<p>Every registry change, newest first. A change reaches the transparency log when it is published.</p>
${changesTable(rows, 'Changes and their log state', true)}
${rows.length === LOG_PAGE && last !== undefined ? html`<p><a href="/admin/log?before=${last.seq}">Older changes</a></p>` : ''}`,
			),
		);
	});
}

/**
 * The public side of incidents: `/incidents` (filter by state and plugin, paged),
 * `/incidents/:id` (state, timeline with log entries, actions with reasons, advice, the
 * reports' kinds and counts, evidence), and the appeal an author files against an applied
 * action (`POST /incidents/:id/appeal`, token shown once). Reporters stay anonymous here.
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { clientAddress } from '../http/rate-limit.ts';
import { MAX_CONTACT_CHARS, MAX_STATEMENT_CHARS } from '../incidents/appeals.ts';
import { getIncident, listIncidents } from '../incidents/queries.ts';
import { INCIDENT_STATES, type IncidentState } from '../incidents/types.ts';
import type { WebEnv } from './admin/session.ts';
import type { WebDeps } from './deps.ts';
import { field, readForm } from './forms.ts';
import {
	actionSummary,
	evidenceList,
	label,
	publicLogLink,
	reportCounts,
	STATE_LABELS,
	stateBadge,
	timeline,
} from './incident-view.ts';
import { page } from './layout.ts';
import type { PublicForms } from './public-forms.ts';
import { type Html, pathPart, plain, when } from './text.ts';

function option(value: string, text: string, current: string | undefined): Html {
	return value === current
		? html`<option value="${value}" selected>${text}</option>`
		: html`<option value="${value}">${text}</option>`;
}

export function incidentId(c: Context): number | undefined {
	const raw = c.req.param('id') ?? '';
	const id = /^[1-9][0-9]{0,11}$/.test(raw) ? Number(raw) : Number.NaN;
	return Number.isSafeInteger(id) ? id : undefined;
}

function notFound(c: Context) {
	return c.html(
		page({
			title: 'Not found',
			section: 'incidents',
			body: html`<h1>Not found</h1><p>No incident has this number.</p><p><a href="/incidents">All incidents</a></p>`,
		}),
		404,
	);
}

function appealForm(id: number, token: string, problem?: string): Html {
	return html`<section aria-labelledby="appeal">
<h2 id="appeal">Appeal</h2>
<p>If you are the plugin's author and think this action is wrong, say why. A maintainer who took no part decides; a granted appeal reverts every action of this incident in one signed step.</p>
${problem === undefined ? '' : html`<p class="problem" role="alert">${problem}</p>`}
<form class="stacked" method="post" action="/incidents/${id}/appeal">
<input type="hidden" name="form" value="${token}">
<div class="field"><label for="statement">Your statement</label>
<textarea id="statement" name="statement" rows="6" maxlength="${MAX_STATEMENT_CHARS}" required></textarea></div>
<div class="field"><label for="contact">How to reach you (optional, seen by maintainers only)</label>
<input type="text" id="contact" name="contact" maxlength="${MAX_CONTACT_CHARS}" autocomplete="email"></div>
<button type="submit">Send the appeal</button>
</form>
</section>`;
}

export function incidentRoutes(app: Hono<WebEnv>, deps: WebDeps, forms: PublicForms): void {
	const { db } = deps.database;

	app.get('/incidents', async (c) => {
		const stateQuery = c.req.query('state');
		const state = INCIDENT_STATES.includes(stateQuery as IncidentState)
			? (stateQuery as IncidentState)
			: undefined;
		const pluginQuery = c.req.query('plugin')?.trim();
		// Any text filters (bounded, and a parameter of the query): text that is no id matches nothing.
		const plugin =
			pluginQuery === undefined || pluginQuery === '' ? undefined : pluginQuery.slice(0, 200);
		const pageNumber = Number.parseInt(c.req.query('page') ?? '1', 10);
		const result = await listIncidents(db, {
			...(state === undefined ? {} : { state }),
			...(plugin === undefined ? {} : { plugin }),
			page:
				Number.isSafeInteger(pageNumber) && pageNumber > 0 && pageNumber < 100_000 ? pageNumber : 1,
		});
		const pages = Math.max(Math.ceil(result.total / result.perPage), 1);
		const query = (n: number) =>
			`?${new URLSearchParams({ ...(state === undefined ? {} : { state }), ...(plugin === undefined ? {} : { plugin }), page: String(n) }).toString()}`;
		return c.html(
			page({
				title: 'Incidents',
				section: 'incidents',
				body: html`<h1>Incidents</h1>
<p>Reports about plugins are grouped into incidents; each step is signed into the transparency log. Removals are also in the <a href="/feeds/removals.atom">Atom feed</a> and in <a href="/api/v1/osv">OSV format</a>.</p>
<form class="filters" method="get" action="/incidents">
<div class="field"><label for="state">State</label>
<select id="state" name="state">${option('', 'Any state', state ?? '')}${INCIDENT_STATES.map((s) => option(s, label(STATE_LABELS, s), state))}</select></div>
<div class="field"><label for="plugin">Plugin id</label>
<input type="text" id="plugin" name="plugin" value="${plugin ?? ''}" maxlength="200"></div>
<button type="submit">Filter</button>
</form>
${
	result.items.length === 0
		? html`<p>No incidents${state === undefined && plugin === undefined ? '' : ' match'}.</p>`
		: html`<table>
<caption>${result.total} incident${result.total === 1 ? '' : 's'}, the most recently active first</caption>
<thead><tr><th scope="col">Incident</th><th scope="col">State</th><th scope="col">Plugin or owner</th><th scope="col">Opened</th><th scope="col">Updated</th></tr></thead>
<tbody>${result.items.map(
				(
					item,
				) => html`<tr><th scope="row"><a href="/incidents/${item.id}">#${item.id} ${plain(item.title, 200)}</a></th>
<td>${stateBadge(item.state)}</td><td><code>${plain(item.pluginId ?? item.groupKey, 200)}</code></td><td>${when(item.openedAt)}</td><td>${when(item.updatedAt)}</td></tr>`,
			)}</tbody></table>`
}
${pages > 1 ? html`<nav class="pager" aria-label="Pages">${result.page > 1 ? html`<a href="/incidents${query(result.page - 1)}">Newer</a>` : ''}<span>Page ${result.page} of ${pages}</span>${result.page < pages ? html`<a href="/incidents${query(result.page + 1)}">Older</a>` : ''}</nav>` : ''}`,
			}),
		);
	});

	const detail = async (c: Context, problem?: string, status: 200 | 400 = 200) => {
		const id = incidentId(c);
		const incident = id === undefined ? undefined : await getIncident(db, id);
		if (incident === undefined) return notFound(c);
		const applied = incident.actions.some((action) => action.state === 'applied');
		c.header('Cache-Control', 'no-store');
		return c.html(
			page({
				title: `Incident ${incident.id}`,
				section: 'incidents',
				body: html`<p class="breadcrumb"><a href="/incidents">Incidents</a></p>
<h1>Incident #${incident.id}: ${plain(incident.title, 300)}</h1>
<dl class="facts">
<dt>State</dt><dd>${stateBadge(incident.state)}</dd>
<dt>About</dt><dd>${incident.pluginId === null ? html`<code>${plain(incident.groupKey, 300)}</code>` : html`<a href="/plugins/${pathPart(incident.pluginId)}">${plain(incident.pluginId, 200)}</a>`} (grouped by ${plain(incident.grouping, 20)})</dd>
<dt>Opened</dt><dd>${when(incident.openedAt)}</dd>
${incident.severity === null ? '' : html`<dt>Severity</dt><dd>${plain(incident.severity, 20)}</dd>`}
${incident.appeals.total === 0 ? '' : html`<dt>Appeals</dt><dd>${incident.appeals.total} (${incident.appeals.open} open)</dd>`}
</dl>
${incident.advice === null ? '' : html`<section class="advice" aria-labelledby="advice"><h2 id="advice">What to do</h2><p>${plain(incident.advice, 2000)}</p></section>`}
<section aria-labelledby="actions"><h2 id="actions">Actions</h2>
${incident.actions.length === 0 ? html`<p>No action taken.</p>` : incident.actions.map((action) => actionSummary(action, publicLogLink))}
</section>
<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>
<p>Each step names who took it and why; published steps link to the signed log.</p>
${timeline(incident.events, publicLogLink, true)}
</section>
<section aria-labelledby="reports"><h2 id="reports">Reports</h2>${reportCounts(incident.reports)}</section>
<section aria-labelledby="evidence"><h2 id="evidence">Evidence</h2>${evidenceList(incident.evidence)}</section>
${applied && deps.incidents !== undefined ? appealForm(incident.id, forms.token(c), problem) : ''}`,
			}),
			status,
		);
	};

	app.get('/incidents/:id', (c) => detail(c));

	app.post('/incidents/:id/appeal', async (c) => {
		const form = await readForm(c);
		const spent = forms.check(c, form.get('form'));
		const id = incidentId(c);
		const service = deps.incidents;
		if (id === undefined || service === undefined) return notFound(c);
		const statement = field(form, 'statement', MAX_STATEMENT_CHARS);
		const contact = field(form, 'contact', MAX_CONTACT_CHARS);
		if (statement === undefined)
			return detail(c, 'Write a statement: why the action is wrong.', 400);
		const receipt = await service.fileAppeal(
			id,
			statement,
			contact,
			clientAddress(c, deps.trustProxy === true),
		);
		forms.spend(c, spent);
		c.header('Cache-Control', 'no-store');
		return c.html(
			page({
				title: 'Appeal received',
				section: 'incidents',
				body: html`<h1>Appeal received</h1>
<p>Your appeal #${receipt.appealId} against <a href="/incidents/${id}">incident #${id}</a> is with the maintainers.</p>
<p>Keep this appeal token; it is shown only now:</p>
<pre class="command"><code>${plain(receipt.token, 200)}</code></pre>`,
			}),
		);
	});
}

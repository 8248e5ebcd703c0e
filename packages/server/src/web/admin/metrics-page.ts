/**
 * `/admin/metrics`: how fast reports become signed decisions, and how many hosts took them up
 * (the same figures as `GET /api/v1/metrics`). Uptake is counted in memory by the process that
 * serves this page, so behind several processes it is one process's share.
 */
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { type DurationStats, incidentMetrics } from '../../incidents/metrics.ts';
import type { WebDeps } from '../deps.ts';
import { label, STATE_LABELS } from '../incident-view.ts';
import { type Html, when } from '../text.ts';
import { adminPage } from './admin-page.ts';
import { requireSession, type WebEnv } from './session.ts';

export function duration(seconds: number | null): string {
	if (seconds === null) return 'no data';
	if (seconds < 120) return `${Math.round(seconds)} s`;
	if (seconds < 7200) return `${(seconds / 60).toFixed(1)} min`;
	if (seconds < 172_800) return `${(seconds / 3600).toFixed(1)} h`;
	return `${(seconds / 86_400).toFixed(1)} days`;
}

function row(name: string, stats: DurationStats): Html {
	return html`<tr><th scope="row">${name}</th><td>${stats.count}</td><td>${duration(stats.medianSeconds)}</td><td>${duration(stats.p90Seconds)}</td></tr>`;
}

export function metricsRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
	app.get('/admin/metrics', requireSession(deps.accounts), async (c) => {
		const metrics = await incidentMetrics(deps.database.db, {
			clock: deps.clock,
			...(deps.uptake === undefined ? {} : { uptake: deps.uptake }),
		});
		return c.html(
			adminPage(
				c.get('session'),
				'Response times',
				html`<h1>Response times</h1>
<p>From each incident's first report. Also as JSON at <a href="/api/v1/metrics">/api/v1/metrics</a>.</p>
<table>
<caption>Time from the first report, over ${metrics.incidents.total} incident${metrics.incidents.total === 1 ? '' : 's'}</caption>
<thead><tr><th scope="col">To</th><th scope="col">Incidents</th><th scope="col">Median</th><th scope="col">90th percentile</th></tr></thead>
<tbody>
${row('Triage', metrics.reportToTriage)}
${row('Decision', metrics.reportToDecision)}
${row('Signed publication', metrics.reportToPublication)}
</tbody>
</table>
<h2>Incidents by state</h2>
<ul class="plain-list">${Object.entries(metrics.incidents.byState).map(([state, count]) => html`<li>${label(STATE_LABELS, state)}: ${count}</li>`)}</ul>
<h2>Host uptake</h2>
${
	metrics.uptake === null
		? html`<p>Uptake is not counted by this process.</p>`
		: html`<p>Counted by this service process since it started: ${metrics.uptake.clientsSeen} distinct client${metrics.uptake.clientsSeen === 1 ? '' : 's'} fetched the timestamp.</p>
${
	metrics.uptake.decisions.length === 0
		? html`<p>No published decision yet.</p>`
		: html`<table><caption>Clients that fetched a timestamp at least as new as the decision's publish</caption>
<thead><tr><th scope="col">Incident</th><th scope="col">Published</th><th scope="col">Timestamp version</th><th scope="col">Clients</th></tr></thead>
<tbody>${metrics.uptake.decisions.map((d) => html`<tr><th scope="row"><a href="/admin/incidents/${d.incidentId}">#${d.incidentId}</a></th><td>${when(d.publishedAt)}</td><td>${d.timestampVersion}</td><td>${d.clients}</td></tr>`)}</tbody></table>`
}`
}
<p class="meta">Generated ${when(metrics.generatedAt)}.</p>`,
			),
		);
	});
}

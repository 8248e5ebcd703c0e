/**
 * Reporting a plugin from its page (D22): the form (a kind, details, up to three evidence
 * rows: a commit, a file and line, or a link), `POST /plugins/:id/report`, and the receipt
 * page that shows the reporter token once. The form is public: another site cannot post it
 * (`public-forms.ts`), the body is bounded by the report's own limit, it counts against the
 * report rate budget (`http/rate-limit.ts`), and the service's own checks (schema, spam
 * limits) decide the rest. `/reports/status` takes the token in a POST body, never a URL.
 */
import { isVouchError, type RegistryPlugin } from '@vouch/library';
import {
	MAX_REPORT_BYTES,
	MAX_REPORT_DETAILS_CHARS,
	REPORT_KINDS,
	reportRequestSchema,
} from '@vouch/library/internal/report/report-schema';
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { clientAddress } from '../http/rate-limit.ts';
import type { WebEnv } from './admin/session.ts';
import type { WebDeps } from './deps.ts';
import { field, readForm } from './forms.ts';
import { label, REPORT_KIND_LABELS, STATE_LABELS, stateBadge } from './incident-view.ts';
import { page } from './layout.ts';
import type { PublicForms } from './public-forms.ts';
import type { RegistryViewLoader } from './registry-view.ts';
import { beside, type Html, pathPart, plain, when } from './text.ts';

export const EVIDENCE_ROWS = 3;
const REPORTER_TOKEN = /^[A-Za-z0-9_-]{43}$/;

function evidenceRow(n: number): Html {
	return html`<fieldset>
<legend>Evidence ${n} (optional)</legend>
<div class="field"><label for="ev${n}_commit">Commit (full hash)</label><input type="text" id="ev${n}_commit" name="ev${n}_commit" maxlength="64" spellcheck="false"></div>
<div class="field"><label for="ev${n}_path">File in the plugin</label><input type="text" id="ev${n}_path" name="ev${n}_path" maxlength="512" spellcheck="false"></div>
<div class="field"><label for="ev${n}_line">Line</label><input type="text" id="ev${n}_line" name="ev${n}_line" inputmode="numeric" maxlength="8"></div>
<div class="field"><label for="ev${n}_url">Or a link (https)</label><input type="text" id="ev${n}_url" name="ev${n}_url" maxlength="2048" spellcheck="false"></div>
</fieldset>`;
}

/** The form on a plugin page (and on its own page when a sent form needs fixing). */
export function reportForm(pluginId: string, token: string, problems: string[] = []): Html {
	return html`<section aria-labelledby="report">
<h2 id="report">Report this plugin</h2>
<p>Tell the maintainers about malware, data theft, impersonation, a broken plugin or a policy problem. You get a token to follow the outcome; nothing identifies you on the public incident page.</p>
${problems.length === 0 ? '' : html`<div class="problem" role="alert"><p>The report was not sent:</p><ul>${problems.map((p) => html`<li>${p}</li>`)}</ul></div>`}
<form class="stacked" method="post" action="/plugins/${pathPart(pluginId)}/report">
<input type="hidden" name="form" value="${token}">
<div class="field"><label for="report-kind">What is wrong</label>
<select id="report-kind" name="kind">${REPORT_KINDS.map((kind) => html`<option value="${kind}">${label(REPORT_KIND_LABELS, kind)}</option>`)}</select></div>
<div class="field"><label for="report-details">Details</label>
<textarea id="report-details" name="details" rows="6" maxlength="${MAX_REPORT_DETAILS_CHARS}" required></textarea></div>
${Array.from({ length: EVIDENCE_ROWS }, (_, index) => evidenceRow(index + 1))}
<button type="submit">Send the report</button>
</form>
</section>`;
}

/** The report body the form describes, in the wire contract's shape (checked by the caller). */
export function reportBody(plugin: RegistryPlugin, form: URLSearchParams): unknown {
	const evidence: Record<string, unknown>[] = [];
	for (let n = 1; n <= EVIDENCE_ROWS; n++) {
		const commit = field(form, `ev${n}_commit`, 64)?.toLowerCase();
		const path = field(form, `ev${n}_path`, 512);
		const line = field(form, `ev${n}_line`, 8);
		const url = field(form, `ev${n}_url`, 2048);
		if (commit === undefined && path === undefined && line === undefined && url === undefined)
			continue;
		evidence.push({
			...(commit === undefined ? {} : { commit }),
			...(path === undefined ? {} : { path }),
			...(line === undefined ? {} : { line: /^\d+$/.test(line) ? Number(line) : line }),
			...(url === undefined ? {} : { url }),
		});
	}
	return {
		plugin: { id: plugin.id, uuid: plugin.uuid, url: plugin.gitUrl, trust: plugin.trustLevel },
		kind: form.get('kind') ?? '',
		details: (form.get('details') ?? '').replaceAll('\r\n', '\n'),
		evidence,
	};
}

function problemsOf(
	issues: readonly { path: readonly PropertyKey[]; message: string }[],
): string[] {
	const names: Record<string, string> = { kind: 'What is wrong', details: 'Details' };
	return issues.slice(0, 10).map((issue) => {
		const [head, index, name] = issue.path.map(String);
		const where =
			head === 'evidence' && index !== undefined
				? `Evidence ${Number(index) + 1}${name === undefined ? '' : ` (${name})`}`
				: (names[head ?? ''] ?? plain(issue.path.join('.'), 60));
		return `${where}: ${plain(issue.message, 200)}`;
	});
}

function notFound(c: Context) {
	return c.html(
		page({
			title: 'Not found',
			body: html`<h1>Not found</h1><p>No plugin in the registry has this id.</p>`,
		}),
		404,
	);
}

export function reportRoutes(
	app: Hono<WebEnv>,
	deps: WebDeps,
	forms: PublicForms,
	registryView: RegistryViewLoader,
): void {
	const formPage = (c: Context, plugin: RegistryPlugin, problems: string[], status: 200 | 400) =>
		c.html(
			page({
				title: `Report ${beside(plugin.name)}`,
				section: 'browse',
				body: html`<p class="breadcrumb"><a href="/plugins/${pathPart(plugin.id)}">${beside(plugin.name)}</a></p>
<h1>Report ${beside(plugin.name)}</h1>
${reportForm(plugin.id, forms.token(c), problems)}`,
			}),
			status,
		);

	const pluginOf = async (c: Context) => {
		const id = c.req.param('id') ?? '';
		const view = await registryView();
		return view?.registry.plugins.find((candidate) => candidate.id === id);
	};

	app.get('/plugins/:id/report', async (c) => {
		const plugin = await pluginOf(c);
		if (plugin === undefined || deps.incidents === undefined) return notFound(c);
		return formPage(c, plugin, [], 200);
	});

	app.post('/plugins/:id/report', async (c) => {
		const form = await readForm(c, MAX_REPORT_BYTES);
		const spent = forms.check(c, form.get('form'));
		const plugin = await pluginOf(c);
		const service = deps.incidents;
		if (plugin === undefined || service === undefined) return notFound(c);
		const parsed = reportRequestSchema.safeParse(reportBody(plugin, form));
		if (!parsed.success) return formPage(c, plugin, problemsOf(parsed.error.issues), 400);
		const receipt = await service.submitReport(parsed.data, {
			clientAddress: clientAddress(c, deps.trustProxy === true),
		});
		forms.spend(c, spent);
		c.header('Cache-Control', 'no-store');
		return c.html(
			page({
				title: 'Report received',
				section: 'browse',
				body: html`<h1>Report received</h1>
<p>Thank you. Your report #${receipt.reportId} about <a href="/plugins/${pathPart(plugin.id)}">${beside(plugin.name)}</a> is part of <a href="/incidents/${receipt.incidentId}">incident #${receipt.incidentId}</a>.</p>
<p><strong>Keep this reporter token; it is shown only now.</strong> Paste it on the <a href="/reports/status">report status page</a> to learn the outcome.</p>
<pre class="command"><code>${plain(receipt.token, 100)}</code></pre>`,
			}),
		);
	});

	const statusPage = (c: Context, result: Html, status: 200 | 400 | 404 = 200) => {
		c.header('Cache-Control', 'no-store');
		return c.html(
			page({
				title: 'Report status',
				body: html`<h1>Report status</h1>
<p>Paste the reporter token you were given when you sent the report.</p>
<form class="stacked" method="post" action="/reports/status">
<input type="hidden" name="form" value="${forms.token(c)}">
<div class="field"><label for="token">Reporter token</label>
<input type="password" id="token" name="token" maxlength="100" autocomplete="off" spellcheck="false" required></div>
<button type="submit">Show the outcome</button>
</form>
${result}`,
			}),
			status,
		);
	};

	app.get('/reports/status', (c) => statusPage(c, html``));

	app.post('/reports/status', async (c) => {
		const form = await readForm(c);
		forms.check(c, form.get('form'));
		const token = field(form, 'token', 100);
		const service = deps.incidents;
		if (token === undefined || !REPORTER_TOKEN.test(token) || service === undefined)
			return statusPage(
				c,
				html`<p class="problem" role="alert">This is not a reporter token.</p>`,
				400,
			);
		try {
			const status = await service.reportStatus(token);
			return statusPage(
				c,
				html`<section aria-labelledby="outcome"><h2 id="outcome">Report #${status.reportId}</h2>
<dl class="facts">
<dt>Kind</dt><dd>${label(REPORT_KIND_LABELS, status.kind)}</dd>
<dt>Received</dt><dd>${when(status.receivedAt)}</dd>
<dt>Incident</dt><dd><a href="/incidents/${status.incident.id}">#${status.incident.id}</a> ${stateBadge(status.incident.state)}</dd>
${status.incident.outcome === undefined ? '' : html`<dt>Outcome</dt><dd>${plain(status.incident.outcome, 2000)}</dd>`}
</dl>
<p>${label(STATE_LABELS, status.incident.state)}: see the incident page for every step.</p></section>`,
			);
		} catch (error) {
			if (isVouchError(error) && error.code === 'NOT_FOUND')
				return statusPage(
					c,
					html`<p class="problem" role="alert">No report has this token.</p>`,
					404,
				);
			throw error;
		}
	});
}

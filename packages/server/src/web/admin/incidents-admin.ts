/**
 * `/admin/incidents` (the queue, by state) and `/admin/incidents/:id` (the incident with every
 * maintainer's form), and the POSTs behind the forms. Every change goes through the incident
 * service, which holds the rules (the state machine, dual control, lifting under it, the undo
 * window); the pages
 * only check the session, its form token and the role, and redirect to a path built from
 * stored ids (never from the request).
 */
import type { Context, Hono } from 'hono';
import { html } from 'hono/html';
import { actorOf } from '../../admin/accounts.ts';
import { serverError } from '../../errors.ts';
import { pendingLiftsOf } from '../../incidents/lifts.ts';
import { appealsOf, getIncident, listIncidents } from '../../incidents/queries.ts';
import {
	ACTION_KINDS,
	type ActionKind,
	type ActionParams,
	INCIDENT_STATES,
	type IncidentService,
	type IncidentState,
} from '../../incidents/types.ts';
import type { WebDeps } from '../deps.ts';
import { field, readForm } from '../forms.ts';
import { incidentId } from '../incident-pages.ts';
import {
	actionSummary,
	adminLogLink,
	evidenceList,
	label,
	reportCounts,
	STATE_LABELS,
	stateBadge,
	timeline,
} from '../incident-view.ts';
import { type Html, pathPart, plain, when } from '../text.ts';
import { adminPage } from './admin-page.ts';
import { formProblem, publishAfterEdit } from './edit-outcome.ts';
import {
	actionControls,
	actionForm,
	appealForms,
	MAX_ADVICE_CHARS,
	MAX_REASON_CHARS,
	transitionForm,
} from './incident-forms.ts';
import { checkFormToken, requireSession, type SignedIn, type WebEnv } from './session.ts';

const QUEUE_STATES: readonly IncidentState[] = [
	'received',
	'investigating',
	'appealed',
	'confirmed',
];
const DONE: Readonly<Record<string, string>> = {
	transition: 'The state was changed.',
	action: 'The action was recorded.',
	approve: 'The action was approved.',
	revert: 'The action was reverted.',
	undo: 'The action was undone.',
	appeal: 'The appeal was decided.',
	lift: 'Lift requested; needs a second maintainer. The block stays until another maintainer approves the lift.',
	grant_pending:
		'Grant recorded; needs a second maintainer to confirm it. The blocks stay until then.',
	lift_approved: 'The lift was approved and carried out.',
	lift_refused: 'The lift was refused: the block stays.',
};
type Done = keyof typeof DONE;

/** Only maintainers and admins triage (a reporter account files trusted reports, nothing more). */
function maintainer(session: SignedIn): void {
	if (session.account.role !== 'maintainer' && session.account.role !== 'admin')
		throw serverError('FORBIDDEN', 'Only maintainers handle incidents.');
}

function service(deps: WebDeps): IncidentService {
	if (deps.incidents === undefined)
		throw serverError('NOT_FOUND', 'This service does not handle incidents.');
	return deps.incidents;
}

async function detailPage(
	c: Context<WebEnv>,
	deps: WebDeps,
	id: number,
	notice?: { kind: 'saved' | 'problem'; text: string },
): Promise<Html | undefined> {
	const session = c.get('session');
	const incident = await getIncident(deps.database.db, id);
	if (incident === undefined) return undefined;
	const appeals = await appealsOf(deps.database.db, id);
	const lifts = await pendingLiftsOf(deps.database.db, id);
	const csrf = session.csrfToken;
	const now = deps.clock();
	return adminPage(
		session,
		`Incident ${incident.id}`,
		html`<p class="breadcrumb"><a href="/admin/incidents">Incident queue</a></p>
<h1>Incident #${incident.id}: ${plain(incident.title, 300)}</h1>
${notice === undefined ? '' : notice.kind === 'saved' ? html`<p class="notice" role="status">${notice.text}</p>` : html`<p class="problem" role="alert">${notice.text}</p>`}
<dl class="facts">
<dt>State</dt><dd>${stateBadge(incident.state)}</dd>
<dt>Grouped by</dt><dd>${plain(incident.grouping, 20)}: <code>${plain(incident.groupKey, 300)}</code></dd>
${incident.pluginId === null ? '' : html`<dt>Plugin</dt><dd><a href="/plugins/${pathPart(incident.pluginId)}">${plain(incident.pluginId, 200)}</a></dd>`}
<dt>Opened</dt><dd>${when(incident.openedAt)}</dd>
<dt>Public page</dt><dd><a href="/incidents/${incident.id}">/incidents/${incident.id}</a></dd>
</dl>
<section aria-labelledby="actions"><h2 id="actions">Actions</h2>
${incident.actions.length === 0 ? html`<p>No action taken yet.</p>` : incident.actions.map((action) => html`<article class="action">${actionSummary(action, adminLogLink)}${actionControls(action, csrf, session.account.name, now, lifts)}</article>`)}
</section>
<section aria-labelledby="take-action"><h2 id="take-action">Take an action</h2>${actionForm(incident, csrf)}</section>
<section aria-labelledby="move"><h2 id="move">Change the state</h2>${transitionForm(incident, csrf)}</section>
<section aria-labelledby="appeals"><h2 id="appeals">Appeals</h2>${appealForms(appeals, csrf, session.account.name, lifts)}</section>
<section aria-labelledby="reports"><h2 id="reports">Reports</h2>${reportCounts(incident.reports)}<h3>Evidence</h3>${evidenceList(incident.evidence)}</section>
<section aria-labelledby="timeline"><h2 id="timeline">Timeline</h2>${timeline(incident.events, adminLogLink, false)}</section>`,
	);
}

function param(form: URLSearchParams, name: string, max: number): string | undefined {
	return field(form, name, max);
}

export function incidentAdminRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
	const { db } = deps.database;
	const session = requireSession(deps.accounts);

	app.get('/admin/incidents', session, async (c) => {
		const me = c.get('session');
		maintainer(me);
		const sections = await Promise.all(
			QUEUE_STATES.map(async (state) => ({
				state,
				result: await listIncidents(db, { state, perPage: 50 }),
			})),
		);
		return c.html(
			adminPage(
				me,
				'Incident queue',
				html`<h1>Incident queue</h1>
<p>Open incidents by state, the most recently active first. <a href="/admin/metrics">Response times</a> · <a href="/incidents">Public list</a></p>
${sections.map(
	({
		state,
		result,
	}) => html`<section aria-labelledby="queue-${state}"><h2 id="queue-${state}">${label(STATE_LABELS, state)} (${result.total})</h2>
${
	result.items.length === 0
		? html`<p>None.</p>`
		: html`<ul class="plain-list">${result.items.map((item) => html`<li><a href="/admin/incidents/${item.id}">#${item.id} ${plain(item.title, 200)}</a> <span class="meta"><code>${plain(item.pluginId ?? item.groupKey, 200)}</code>, updated ${when(item.updatedAt)}</span></li>`)}</ul>`
}</section>`,
)}`,
			),
		);
	});

	app.get('/admin/incidents/:id', session, async (c) => {
		maintainer(c.get('session'));
		const id = incidentId(c);
		const done = DONE[c.req.query('done') ?? ''];
		const body =
			id === undefined
				? undefined
				: await detailPage(
						c,
						deps,
						id,
						done === undefined ? undefined : { kind: 'saved', text: done },
					);
		if (body === undefined) throw serverError('NOT_FOUND', 'No incident has this number.');
		return c.html(body);
	});

	/** The shared shape of every POST: session, token, role, reason; then the step, then back. */
	const step = (
		path: string,
		target: (c: Context<WebEnv>) => Promise<number | undefined>,
		// A step may say what it did when that differs from the usual (a lift only requested).
		run: (form: URLSearchParams, reason: string, c: Context<WebEnv>) => Promise<Done | undefined>,
		done: Done,
	) =>
		app.post(path, session, async (c) => {
			const me = c.get('session');
			const form = await readForm(c);
			checkFormToken(c, form.get('csrf'), me.csrfToken);
			maintainer(me);
			const incident = await target(c);
			if (incident === undefined)
				throw serverError('NOT_FOUND', 'No such incident, action or appeal.');
			const reason = field(form, 'reason', MAX_REASON_CHARS);
			const problemPage = async (text: string) =>
				c.html((await detailPage(c, deps, incident, { kind: 'problem', text })) ?? '', 400);
			if (reason === undefined)
				return problemPage('Give a reason: every step is recorded with why.');
			let said: Done | undefined;
			try {
				said = await run(form, reason, c);
			} catch (error) {
				const problem = formProblem(error);
				if (problem === undefined) throw error;
				return problemPage(problem);
			}
			await publishAfterEdit(deps);
			return c.redirect(`/admin/incidents/${incident}?done=${said ?? done}`, 303);
		});

	const ownIncident = async (c: Context<WebEnv>) => {
		const id = incidentId(c);
		if (id === undefined) return undefined;
		const row = await db
			.selectFrom('incidents')
			.select('id')
			.where('id', '=', id)
			.executeTakeFirst();
		return row === undefined ? undefined : Number(row.id);
	};
	const actionIncident = async (c: Context<WebEnv>) => {
		const id = incidentId(c);
		if (id === undefined) return undefined;
		const row = await db
			.selectFrom('incident_actions')
			.select('incident_id')
			.where('id', '=', id)
			.executeTakeFirst();
		return row === undefined ? undefined : Number(row.incident_id);
	};
	const appealIncident = async (c: Context<WebEnv>) => {
		const id = incidentId(c);
		if (id === undefined) return undefined;
		const row = await db
			.selectFrom('appeals')
			.select('incident_id')
			.where('id', '=', id)
			.executeTakeFirst();
		return row === undefined ? undefined : Number(row.incident_id);
	};
	const liftIncident = async (c: Context<WebEnv>) => {
		const id = incidentId(c);
		if (id === undefined) return undefined;
		const row = await db
			.selectFrom('lift_requests')
			.select('incident_id')
			.where('id', '=', id)
			.executeTakeFirst();
		return row === undefined ? undefined : Number(row.incident_id);
	};
	const actor = (c: Context<WebEnv>) => actorOf(c.get('session').account);
	const targetId = (c: Context<WebEnv>) => incidentId(c) as number;

	step(
		'/admin/incidents/:id/transition',
		ownIncident,
		async (form, reason, c) => {
			const to = form.get('to') ?? '';
			if (!INCIDENT_STATES.includes(to as IncidentState))
				throw serverError('BAD_REQUEST', 'Choose one of the states.');
			await service(deps).transition(targetId(c), to as IncidentState, actor(c), reason);
			return undefined;
		},
		'transition',
	);

	step(
		'/admin/incidents/:id/actions',
		ownIncident,
		async (form, reason, c) => {
			const kind = form.get('kind') ?? '';
			if (!ACTION_KINDS.includes(kind as ActionKind))
				throw serverError('BAD_REQUEST', 'Choose one of the actions.');
			const params: ActionParams = {};
			const pluginId = param(form, 'pluginId', 200);
			const versions = param(form, 'versions', 200);
			const commit = param(form, 'commit', 64)?.toLowerCase();
			const ownerUrl = param(form, 'ownerUrl', 500);
			const advice = param(form, 'advice', MAX_ADVICE_CHARS);
			if (pluginId !== undefined) params.pluginId = pluginId;
			if (versions !== undefined) params.versions = versions;
			if (commit !== undefined) params.commit = commit;
			if (ownerUrl !== undefined) params.ownerUrl = ownerUrl;
			if (advice !== undefined) params.advice = advice;
			await service(deps).requestAction(targetId(c), kind as ActionKind, params, actor(c), reason);
			return undefined;
		},
		'action',
	);

	step(
		'/admin/actions/:id/approve',
		actionIncident,
		async (_f, reason, c) => {
			await service(deps).approveAction(targetId(c), actor(c), reason);
			return undefined;
		},
		'approve',
	);
	step(
		'/admin/actions/:id/revert',
		actionIncident,
		async (_f, reason, c) => {
			const outcome = await service(deps).revertAction(targetId(c), actor(c), reason);
			return outcome.state === 'lift_requested' ? 'lift' : undefined;
		},
		'revert',
	);
	step(
		'/admin/actions/:id/undo',
		actionIncident,
		async (_f, reason, c) => {
			const outcome = await service(deps).undoAction(targetId(c), actor(c), reason);
			return outcome.state === 'lift_requested' ? 'lift' : undefined;
		},
		'undo',
	);
	step(
		'/admin/lifts/:id/approve',
		liftIncident,
		async (_f, reason, c) => {
			await service(deps).approveLift(targetId(c), actor(c), reason);
			return undefined;
		},
		'lift_approved',
	);
	step(
		'/admin/lifts/:id/refuse',
		liftIncident,
		async (_f, reason, c) => {
			await service(deps).refuseLift(targetId(c), actor(c), reason);
			return undefined;
		},
		'lift_refused',
	);

	step(
		'/admin/appeals/:id/decide',
		appealIncident,
		async (form, reason, c) => {
			const decision = form.get('decision');
			if (decision !== 'grant' && decision !== 'deny')
				throw serverError('BAD_REQUEST', 'Choose to grant or to deny the appeal.');
			const outcome = await service(deps).decideAppeal(
				targetId(c),
				decision === 'grant',
				actor(c),
				reason,
			);
			return outcome.state === 'grant_pending' ? 'grant_pending' : undefined;
		},
		'appeal',
	);
}

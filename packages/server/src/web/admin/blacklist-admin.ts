/**
 * `/admin/blacklist`: add an entry (a URL, UUID or URL pattern, a reason and a severity) and
 * remove one (after a confirmation page that asks why). Both go through the library's planners,
 * which check the UUID, canonicalise the URL and compile the pattern with RE2 (D3).
 */
import {
	planBlacklistAdd,
	planBlacklistRemove,
} from '@vouch/library/internal/registry/edit/blacklist-plans';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { actorOf } from '../../admin/accounts.ts';
import { serverError } from '../../errors.ts';
import { assertNotHeldByAction } from '../../incidents/held-entries.ts';
import { manualEntryGuard } from '../../incidents/manual-entries.ts';
import {
	type BlacklistListing,
	getBlacklistEntry,
	listBlacklist,
} from '../../store/blacklist-queries.ts';
import type { WebDeps } from '../deps.ts';
import { field, readForm } from '../forms.ts';
import { type Html, pathPart, plain } from '../text.ts';
import { adminPage } from './admin-page.ts';
import { formProblem, publishAfterEdit } from './edit-outcome.ts';
import { checkFormToken, requireSession, type SignedIn, type WebEnv } from './session.ts';

const KINDS = {
	url: 'Git URL',
	uuid: 'Plugin UUID',
	url_regex: 'URL pattern (Python re syntax, run with RE2)',
} as const;
type Kind = keyof typeof KINDS;
const MAX_REASON = 1000;

interface AddForm {
	kind: string;
	value: string;
	reason: string;
	severity: string;
	versions: string;
	/** The maintainer agreed to block plugins this registry lists. */
	confirm: boolean;
}

const EMPTY: AddForm = {
	kind: 'url',
	value: '',
	reason: '',
	severity: 'hard',
	versions: '',
	confirm: false,
};

function selectOption(value: string, label: string, current: string): Html {
	return value === current
		? html`<option value="${value}" selected>${label}</option>`
		: html`<option value="${value}">${label}</option>`;
}

function listPage(
	session: SignedIn,
	entries: BlacklistListing[],
	values: AddForm,
	notice?: { kind: 'saved' | 'problem'; text: string },
): Html {
	return adminPage(
		session,
		'Edit the blacklist',
		html`<h1>Edit the blacklist</h1>
${notice === undefined ? '' : notice.kind === 'saved' ? html`<p class="notice" role="status">${notice.text}</p>` : html`<p class="problem" role="alert">${notice.text}</p>`}
<h2>Add an entry</h2>
<form class="stacked" method="post" action="/admin/blacklist">
<input type="hidden" name="csrf" value="${session.csrfToken}">
<div class="field">
<label for="kind">Match by</label>
<select id="kind" name="kind">
${(Object.keys(KINDS) as Kind[]).map((kind) => selectOption(kind, KINDS[kind], values.kind))}
</select>
</div>
<div class="field">
<label for="value">URL, UUID or pattern</label>
<input id="value" name="value" type="text" required maxlength="500" value="${values.value}">
</div>
<div class="field">
<label for="versions">Only these versions (a semver range; empty for all)</label>
<input id="versions" name="versions" type="text" maxlength="100" value="${values.versions}">
</div>
<div class="field">
<label for="severity">Severity</label>
<select id="severity" name="severity">
${selectOption('hard', 'hard: refuse and quarantine installed copies', values.severity)}
${selectOption('soft', 'soft: refuse and disable; users may re-enable', values.severity)}
</select>
</div>
<div class="field">
<label for="reason">Reason (required; users see it)</label>
<textarea id="reason" name="reason" required maxlength="${MAX_REASON}" rows="3">${values.reason}</textarea>
</div>
<div class="check">
<input type="checkbox" id="confirm" name="confirm" value="yes"${values.confirm ? html` checked` : ''}>
<label for="confirm">Add it even if it blocks plugins listed in this registry</label>
</div>
<button type="submit">Add to the blacklist</button>
</form>
<h2>Entries</h2>
${
	entries.length === 0
		? html`<p>The blacklist is empty.</p>`
		: html`<table class="blacklist">
<caption>Entries in match order</caption>
<thead><tr><th scope="col">Entry</th><th scope="col">Matches</th><th scope="col">Reason</th><th scope="col">Action</th></tr></thead>
<tbody>
${entries.map(
	(
		entry,
	) => html`<tr><th scope="row"><a href="/blacklist/${pathPart(entry.id)}">${plain(entry.id, 40)}</a></th>
<td><code>${plain(entry.value, 200)}</code></td><td>${plain(entry.reason, 200)}</td>
<td><a class="button-link" href="/admin/blacklist/${pathPart(entry.id)}/remove">Remove<span class="visually-hidden"> ${plain(entry.id, 40)}</span></a></td></tr>`,
)}
</tbody>
</table>`
}`,
	);
}

function removePage(session: SignedIn, entry: BlacklistListing, problem?: string): Html {
	return adminPage(
		session,
		`Remove ${plain(entry.id, 40)}`,
		html`<p class="breadcrumb"><a href="/admin/blacklist">Blacklist</a></p>
<h1>Remove blacklist entry ${plain(entry.id, 40)}</h1>
${problem === undefined ? '' : html`<p class="problem" role="alert">${problem}</p>`}
<p>It matches <code>${plain(entry.value, 300)}</code>, because: ${plain(entry.reason, 1000)}</p>
<p>Once it is removed and published, the plugins it blocks can be installed again.</p>
<form class="stacked" method="post" action="/admin/blacklist/${pathPart(entry.id)}/remove">
<input type="hidden" name="csrf" value="${session.csrfToken}">
<div class="field">
<label for="reason">Why is it removed? (required; published in the log)</label>
<textarea id="reason" name="reason" required maxlength="${MAX_REASON}" rows="3"></textarea>
</div>
<button type="submit" class="danger">Remove the entry</button>
</form>`,
	);
}

async function entryOr404(deps: WebDeps, id: string): Promise<BlacklistListing> {
	const entry = id.length > 100 ? undefined : await getBlacklistEntry(deps.database.db, id);
	if (entry === undefined) throw serverError('NOT_FOUND', 'No blacklist entry has this id.');
	return entry;
}

export function blacklistAdminRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
	const { db } = deps.database;
	app.get('/admin/blacklist', requireSession(deps.accounts), async (c) => {
		const saved = c.req.query('saved') === '1';
		return c.html(
			listPage(
				c.get('session'),
				await listBlacklist(db),
				EMPTY,
				saved
					? { kind: 'saved', text: 'Saved. Clients see it after the next publish.' }
					: undefined,
			),
		);
	});

	app.post('/admin/blacklist', requireSession(deps.accounts), async (c) => {
		const session = c.get('session');
		const form = await readForm(c);
		checkFormToken(c, form.get('csrf'), session.csrfToken);
		const values: AddForm = {
			kind: form.get('kind') ?? '',
			value: field(form, 'value', 500) ?? '',
			reason: field(form, 'reason', MAX_REASON) ?? '',
			severity: form.get('severity') ?? 'hard',
			versions: field(form, 'versions', 100) ?? '',
			confirm: form.get('confirm') === 'yes',
		};
		const refuse = async (text: string) =>
			c.html(listPage(session, await listBlacklist(db), values, { kind: 'problem', text }), 400);
		if (!(values.kind in KINDS)) return refuse('Choose what the entry matches by.');
		if (values.severity !== 'hard' && values.severity !== 'soft')
			return refuse('Choose a severity.');
		if (values.value === '') return refuse('Give the URL, UUID or pattern to block.');
		if (values.reason === '')
			return refuse('Give a reason: users see it when a plugin is refused.');
		const kind = values.kind as Kind;
		// Not what an incident applies only with a second maintainer (D22): a 403, as a removal
		// of an entry an incident holds is.
		const guard = manualEntryGuard();
		try {
			await deps.store.edit(
				(context) => {
					const plan = guard.plan(
						context,
						planBlacklistAdd(context, {
							...(kind === 'url' ? { url: values.value } : {}),
							...(kind === 'uuid' ? { uuid: values.value } : {}),
							...(kind === 'url_regex' ? { urlRegex: values.value } : {}),
							...(values.versions === '' ? {} : { versions: values.versions }),
							severity: values.severity as 'hard' | 'soft',
							reason: values.reason,
						}),
					);
					// The planner asks before blocking the registry's own plugins; so does the form.
					if (plan.confirm !== undefined && !values.confirm) {
						throw serverError(
							'BAD_REQUEST',
							`${plan.notes.join(' ')}. Tick the box to add the entry anyway.`,
						);
					}
					return plan;
				},
				actorOf(session.account),
				guard.alongside,
			);
		} catch (error) {
			const problem = formProblem(error);
			if (problem === undefined) throw error;
			return refuse(problem);
		}
		await publishAfterEdit(deps);
		return c.redirect('/admin/blacklist?saved=1', 303);
	});

	app.get('/admin/blacklist/:id/remove', requireSession(deps.accounts), async (c) =>
		c.html(removePage(c.get('session'), await entryOr404(deps, c.req.param('id')))),
	);

	app.post('/admin/blacklist/:id/remove', requireSession(deps.accounts), async (c) => {
		const session = c.get('session');
		const form = await readForm(c);
		checkFormToken(c, form.get('csrf'), session.csrfToken);
		const entry = await entryOr404(deps, c.req.param('id'));
		const reason = field(form, 'reason', MAX_REASON) ?? '';
		if (reason === '')
			return c.html(removePage(session, entry, 'Give a reason for removing it.'), 400);
		try {
			await deps.store.edit(
				(context) => planBlacklistRemove(context, { id: entry.id, reason }),
				actorOf(session.account),
				// In the edit's transaction, on every attempt (see the admin API's removal).
				(trx) => assertNotHeldByAction(trx, entry.id),
			);
		} catch (error) {
			const problem = formProblem(error);
			if (problem === undefined) throw error;
			return c.html(removePage(session, entry, problem), 400);
		}
		await publishAfterEdit(deps);
		return c.redirect('/admin/blacklist?saved=1', 303);
	});
}

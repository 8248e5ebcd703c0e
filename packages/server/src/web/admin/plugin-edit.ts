/**
 * `/admin/plugins` (find a plugin) and `/admin/plugins/:id` (its trust level and categories).
 * The edit goes through the library's planner (`planPluginEdit`), the rules `vouch registry
 * plugin edit` applies, and every edit here needs a reason, which the log records.
 */
import { DEFAULT_CATEGORIES } from '@vouch/library/internal/core/profile-schema';
import { planPluginEdit } from '@vouch/library/internal/registry/edit/plugin-plans';
import {
	REGISTRY_TRUST_LEVELS,
	type RegistryTrustLevel,
} from '@vouch/library/internal/registry/model';
import type { Hono } from 'hono';
import { html } from 'hono/html';
import { actorOf } from '../../admin/accounts.ts';
import { serverError } from '../../errors.ts';
import {
	getPlugin,
	listPlugins,
	MAX_QUERY_CHARS,
	type PluginDetail,
} from '../../store/plugin-queries.ts';
import type { WebDeps } from '../deps.ts';
import { field, readForm } from '../forms.ts';
import { beside, type Html, pathPart, plain } from '../text.ts';
import { trustBadge } from '../trust.ts';
import { adminPage } from './admin-page.ts';
import { formProblem, publishAfterEdit } from './edit-outcome.ts';
import { checkFormToken, requireSession, type SignedIn, type WebEnv } from './session.ts';

const MAX_REASON = 1000;

function categoryChoices(plugin: PluginDetail): string[] {
	return [...new Set([...DEFAULT_CATEGORIES, ...plugin.categories])];
}

function editPage(
	session: SignedIn,
	plugin: PluginDetail,
	notice?: { kind: 'saved' | 'problem'; text: string },
	reason = '',
): Html {
	return adminPage(
		session,
		`Edit ${beside(plugin.name)}`,
		html`<p class="breadcrumb"><a href="/admin/plugins">Plugins</a></p>
<h1>Edit ${beside(plugin.name)} ${trustBadge(plugin.trust)}</h1>
<p>Id <code>${plain(plugin.id, 100)}</code>. <a href="/plugins/${pathPart(plugin.id)}">Public page</a>.</p>
${
	notice === undefined
		? ''
		: notice.kind === 'saved'
			? html`<p class="notice" role="status">${notice.text}</p>`
			: html`<p class="problem" role="alert">${notice.text}</p>`
}
<form class="stacked" method="post" action="/admin/plugins/${pathPart(plugin.id)}">
<input type="hidden" name="csrf" value="${session.csrfToken}">
<div class="field">
<label for="trust">Trust level</label>
<select id="trust" name="trust">
${REGISTRY_TRUST_LEVELS.map((level) => (level === plugin.trust ? html`<option value="${level}" selected>${level}</option>` : html`<option value="${level}">${level}</option>`))}
</select>
</div>
<fieldset>
<legend>Categories</legend>
${categoryChoices(plugin).map(
	(
		category,
		index,
	) => html`<div class="check"><input type="checkbox" id="category-${index}" name="categories" value="${category}"${plugin.categories.includes(category) ? html` checked` : ''}>
<label for="category-${index}">${plain(category, 40)}</label></div>`,
)}
</fieldset>
<div class="field">
<label for="reason">Reason (required; it is published in the log)</label>
<textarea id="reason" name="reason" required maxlength="${MAX_REASON}" rows="3">${reason}</textarea>
</div>
<button type="submit">Save</button>
</form>`,
	);
}

async function pluginOr404(deps: WebDeps, id: string): Promise<PluginDetail> {
	const plugin = id.length > 200 ? undefined : await getPlugin(deps.database.db, id);
	if (plugin === undefined) throw serverError('NOT_FOUND', 'No plugin has this id.');
	return plugin;
}

export function pluginEditRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
	app.get('/admin/plugins', requireSession(deps.accounts), async (c) => {
		const q = (c.req.query('q') ?? '').slice(0, MAX_QUERY_CHARS);
		const result = await listPlugins(deps.database.db, { q, perPage: 50 });
		return c.html(
			adminPage(
				c.get('session'),
				'Edit plugins',
				html`<h1>Edit plugins</h1>
<form class="filters" method="get" action="/admin/plugins" role="search" aria-label="Plugins to edit">
<div class="field"><label for="q">Find a plugin</label><input id="q" name="q" type="search" value="${q}" maxlength="${MAX_QUERY_CHARS}"></div>
<button type="submit">Find</button>
</form>
<ul class="plain-list">
${result.items.map((plugin) => html`<li><a href="/admin/plugins/${pathPart(plugin.id)}">${beside(plugin.name)}</a> ${trustBadge(plugin.trust)} <code>${plain(plugin.id, 100)}</code></li>`)}
</ul>
${result.total > result.items.length ? html`<p>${result.total - result.items.length} more: narrow the search.</p>` : ''}`,
			),
		);
	});

	app.get('/admin/plugins/:id', requireSession(deps.accounts), async (c) => {
		const plugin = await pluginOr404(deps, c.req.param('id'));
		const saved = c.req.query('saved') === '1';
		return c.html(
			editPage(
				c.get('session'),
				plugin,
				saved
					? { kind: 'saved', text: 'Saved. Clients see it after the next publish.' }
					: undefined,
			),
		);
	});

	app.post('/admin/plugins/:id', requireSession(deps.accounts), async (c) => {
		const session = c.get('session');
		const form = await readForm(c);
		checkFormToken(c, form.get('csrf'), session.csrfToken);
		const plugin = await pluginOr404(deps, c.req.param('id'));
		const trust = form.get('trust') ?? '';
		if (!(REGISTRY_TRUST_LEVELS as readonly string[]).includes(trust))
			throw serverError('BAD_REQUEST', 'Choose one of the trust levels.');
		const allowed = categoryChoices(plugin);
		const ticked = form.getAll('categories').filter((value) => allowed.includes(value));
		// The plugin's own order first, so an untouched list is not a change.
		const categories = [
			...plugin.categories.filter((category) => ticked.includes(category)),
			...ticked.filter((category) => !plugin.categories.includes(category)),
		];
		const reason = field(form, 'reason', MAX_REASON) ?? '';
		if (reason === '') {
			return c.html(
				editPage(session, plugin, { kind: 'problem', text: 'Give a reason for the change.' }),
				400,
			);
		}
		try {
			await deps.store.edit(
				(context) =>
					planPluginEdit(context, plugin.id, {
						trust: trust as RegistryTrustLevel,
						categories,
						reason,
					}),
				actorOf(session.account),
			);
		} catch (error) {
			const problem = formProblem(error);
			if (problem === undefined) throw error;
			return c.html(editPage(session, plugin, { kind: 'problem', text: problem }, reason), 400);
		}
		await publishAfterEdit(deps);
		// The target is built from the stored id, never from the request: no open redirect.
		return c.redirect(`/admin/plugins/${pathPart(plugin.id)}?saved=1`, 303);
	});
}

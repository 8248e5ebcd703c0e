/** `/`: the plugins, with search, trust and category filters, sorting and paging (a GET form). */
import { REGISTRY_TRUST_LEVELS } from '@vouch/library/internal/registry/model';
import type { Context } from 'hono';
import { html } from 'hono/html';
import type { ServiceDb } from '../db/open.ts';
import { hiddenPluginIds } from '../incidents/hidden-plugins.ts';
import {
	facets,
	listPlugins,
	MAX_QUERY_CHARS,
	PLUGIN_SORTS,
	type PluginSort,
	type PluginSummary,
} from '../store/plugin-queries.ts';
import { page } from './layout.ts';
import { beside, type Html, pathPart, plain } from './text.ts';
import { trustBadge } from './trust.ts';

const PER_PAGE = 20;
/** Beyond this a page number is a typo or a probe, not a reader. */
const MAX_PAGE = 10_000;

interface BrowseQuery {
	q: string;
	trust: string;
	category: string;
	sort: PluginSort;
	page: number;
}

function readQuery(c: Context): BrowseQuery {
	const trust = c.req.query('trust') ?? '';
	const sort = c.req.query('sort') ?? 'name';
	const pageNumber = Number.parseInt(c.req.query('page') ?? '1', 10);
	return {
		q: (c.req.query('q') ?? '').slice(0, MAX_QUERY_CHARS),
		trust: (REGISTRY_TRUST_LEVELS as readonly string[]).includes(trust) ? trust : '',
		category: (c.req.query('category') ?? '').slice(0, 64),
		sort: (PLUGIN_SORTS as readonly string[]).includes(sort) ? (sort as PluginSort) : 'name',
		page: Number.isFinite(pageNumber) ? Math.min(Math.max(pageNumber, 1), MAX_PAGE) : 1,
	};
}

function queryString(query: BrowseQuery, pageNumber: number): string {
	const params = new URLSearchParams();
	if (query.q !== '') params.set('q', query.q);
	if (query.trust !== '') params.set('trust', query.trust);
	if (query.category !== '') params.set('category', query.category);
	if (query.sort !== 'name') params.set('sort', query.sort);
	if (pageNumber > 1) params.set('page', String(pageNumber));
	const text = params.toString();
	return text === '' ? '/' : `/?${text}`;
}

function option(value: string, label: string, selected: string): Html {
	return value === selected
		? html`<option value="${value}" selected>${label}</option>`
		: html`<option value="${value}">${label}</option>`;
}

function pluginItem(plugin: PluginSummary): Html {
	return html`<li class="plugin-card">
<h3><a href="/plugins/${pathPart(plugin.id)}">${beside(plugin.name)}</a> ${trustBadge(plugin.trust)}</h3>
<p>${beside(plugin.description, 300)}</p>
<p class="meta">${plugin.categories.length === 0 ? '' : html`Categories: ${plugin.categories.map((c) => plain(c, 40)).join(', ')}. `}${plugin.authors === '' ? '' : html`By ${plain(plugin.authors, 200)}.`}</p>
</li>`;
}

export async function browsePage(c: Context, db: ServiceDb): Promise<Html> {
	const query = readQuery(c);
	const hidden = await hiddenPluginIds(db.db);
	const [result, counts] = await Promise.all([
		listPlugins(db.db, {
			q: query.q,
			...(query.trust === '' ? {} : { trust: [query.trust] }),
			category: query.category,
			sort: query.sort,
			page: query.page,
			perPage: PER_PAGE,
			exclude: hidden,
		}),
		facets(db.db),
	]);
	const pages = Math.max(Math.ceil(result.total / PER_PAGE), 1);
	const filtered = query.q !== '' || query.trust !== '' || query.category !== '';
	const body = html`<h1>Plugins</h1>
<form class="filters" method="get" action="/" role="search" aria-label="Plugins">
<div class="field">
<label for="q">Search</label>
<input id="q" name="q" type="search" value="${query.q}" maxlength="${MAX_QUERY_CHARS}">
</div>
<div class="field">
<label for="trust">Trust level</label>
<select id="trust" name="trust">
${option('', 'Any level', query.trust)}
${REGISTRY_TRUST_LEVELS.map((level) => option(level, `${level} (${counts.trust[level] ?? 0})`, query.trust))}
</select>
</div>
<div class="field">
<label for="category">Category</label>
<select id="category" name="category">
${option('', 'Any category', query.category)}
${counts.categories.map((entry) => option(entry.category, `${plain(entry.category, 40)} (${entry.count})`, query.category))}
</select>
</div>
<div class="field">
<label for="sort">Sort by</label>
<select id="sort" name="sort">
${option('name', 'Name', query.sort)}
${option('trust', 'Trust level', query.sort)}
${option('updated', 'Recently updated', query.sort)}
</select>
</div>
<button type="submit">Show plugins</button>
</form>
<h2 id="results">${result.total} plugin${result.total === 1 ? '' : 's'}${filtered ? ' found' : ''}</h2>
${
	result.items.length === 0
		? html`<p>No plugin matches.${filtered ? html` <a href="/">Show all plugins</a>.` : ''}</p>`
		: html`<ul class="plugin-list" aria-labelledby="results">${result.items.map(pluginItem)}</ul>`
}
${
	pages > 1
		? html`<nav class="pager" aria-label="Pages">
${query.page > 1 ? html`<a href="${queryString(query, query.page - 1)}" rel="prev">Previous page</a>` : ''}
<span>Page ${query.page} of ${pages}</span>
${query.page < pages ? html`<a href="${queryString(query, query.page + 1)}" rel="next">Next page</a>` : ''}
</nav>`
		: ''
}`;
	return page({ title: 'Plugins', section: 'browse', body });
}

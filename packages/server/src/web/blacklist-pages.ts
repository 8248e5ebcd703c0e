/** `/blacklist` and `/blacklist/:id`: every entry in match order, and one entry with the registry plugins it blocks. */
import type { RegistryPlugin } from '@vouch/library';
import { html } from 'hono/html';
import type { BlacklistListing } from '../store/blacklist-queries.ts';
import { page } from './layout.ts';
import { beside, type Html, pathPart, plain, urlLink, when } from './text.ts';
import { trustBadge } from './trust.ts';

function identifiers(entry: BlacklistListing): Html {
	const raw = entry.entry;
	const parts: Html[] = [];
	if (typeof raw.uuid === 'string') parts.push(html`UUID <code>${plain(raw.uuid, 40)}</code>`);
	if (typeof raw.url === 'string') parts.push(html`URL ${urlLink(raw.url)}`);
	if (typeof raw.url_regex === 'string')
		parts.push(html`URL pattern <code>${plain(raw.url_regex, 300)}</code>`);
	if (typeof raw.versions === 'string')
		parts.push(html`versions <code>${plain(raw.versions, 100)}</code>`);
	return parts.length === 0 ? html`no identifier (matches nothing)` : html`${joinHtml(parts)}`;
}

function joinHtml(parts: Html[]): Html[] {
	return parts.flatMap((part, index) => (index === 0 ? [part] : [html`; `, part]));
}

function severity(entry: BlacklistListing): Html {
	return entry.severity === 'soft'
		? html`<span class="severity severity-soft">soft</span>`
		: html`<span class="severity severity-hard">hard</span>`;
}

export function blacklistListPage(entries: BlacklistListing[]): Html {
	const body = html`<h1>Blacklist</h1>
<p>Clients refuse plugins that match an entry. Entries are matched in this order, and the first match gives the reason. A hard entry also quarantines installed copies; a soft one disables them.</p>
${
	entries.length === 0
		? html`<p>The blacklist is empty.</p>`
		: html`<table class="blacklist">
<caption>${entries.length} entr${entries.length === 1 ? 'y' : 'ies'}</caption>
<thead><tr><th scope="col">Entry</th><th scope="col">Matches</th><th scope="col">Severity</th><th scope="col">Reason</th></tr></thead>
<tbody>
${entries.map(
	(
		entry,
	) => html`<tr><th scope="row"><a href="/blacklist/${pathPart(entry.id)}">${plain(entry.id, 40)}</a></th>
<td>${identifiers(entry)}</td><td>${severity(entry)}</td><td>${plain(entry.reason, 300)}</td></tr>`,
)}
</tbody>
</table>`
}`;
	return page({ title: 'Blacklist', section: 'blacklist', body });
}

export function blacklistEntryPage(entry: BlacklistListing, blocked: RegistryPlugin[]): Html {
	const body = html`<p class="breadcrumb"><a href="/blacklist">Blacklist</a></p>
<h1>Blacklist entry ${plain(entry.id, 40)}</h1>
<dl class="facts">
<dt>Matches</dt><dd>${identifiers(entry)}</dd>
<dt>Severity</dt><dd>${severity(entry)}</dd>
<dt>Reason</dt><dd>${plain(entry.reason, 2000) || 'none given'}</dd>
<dt>Added</dt><dd>${entry.addedAt === '' ? 'unknown' : when(entry.addedAt)}</dd>
<dt>Position</dt><dd>${entry.position + 1} (entries are matched in order)</dd>
</dl>
<h2>Registry plugins it blocks</h2>
${
	blocked.length === 0
		? html`<p>None of the registry's plugins.</p>`
		: html`<ul>${blocked.map((plugin) => html`<li><a href="/plugins/${pathPart(plugin.id)}">${beside(plugin.name)}</a> ${trustBadge(plugin.trustLevel)}</li>`)}</ul>`
}`;
	return page({ title: `Blacklist entry ${plain(entry.id, 40)}`, section: 'blacklist', body });
}

export function notFoundPage(what: string): Html {
	return page({
		title: 'Not found',
		body: html`<h1>Not found</h1><p>${what}</p><p><a href="/">Back to the plugins</a></p>`,
	});
}

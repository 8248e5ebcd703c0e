/** `/plugins/:id`: one plugin, with what its trust level means, its capabilities and scan, refs, pins and blacklist state. */
import type { BlacklistVerdict, RegistryPlugin } from '@vouch/library';
import { html } from 'hono/html';
import type { BlacklistListing } from '../store/blacklist-queries.ts';
import type { StoredScanReport } from '../store/plugin-queries.ts';
import { page } from './layout.ts';
import { capabilitiesSection, scanSection } from './scan-view.ts';
import { beside, type Html, languageTag, pathPart, plain, urlLink, when } from './text.ts';
import { trustBadge, trustExplanation } from './trust.ts';

export interface PluginPageData {
	plugin: RegistryPlugin;
	verdict: BlacklistVerdict;
	/** The blacklist row of the matching entry, for its id and link. */
	entry: BlacklistListing | undefined;
	scans: StoredScanReport[];
	installCommand: string;
	signedIn?: { name: string; csrf: string };
	/** The "Report this plugin" form, when the service takes reports. */
	reportForm?: Html;
	/** Incidents about this plugin, newest first. */
	incidents?: { id: number; title: string; state: string }[];
}

function translations(texts: Readonly<Record<string, string>>, max: number): Html {
	const entries = Object.entries(texts).slice(0, 50);
	if (entries.length === 0) return html``;
	return html`<ul class="translations">
${entries.map(([key, text]) => {
	const lang = languageTag(key);
	return lang === undefined
		? html`<li>${plain(key, 20)}: ${beside(text, max)}</li>`
		: html`<li>${lang}: <span lang="${lang}">${beside(text, max)}</span></li>`;
})}
</ul>`;
}

function blacklistSection(data: PluginPageData): Html {
	const { verdict, entry } = data;
	if (!verdict.blocked) {
		return html`<section aria-labelledby="blacklist-state"><h2 id="blacklist-state">Blacklist</h2><p>Not blacklisted.</p></section>`;
	}
	return html`<section class="blocked" aria-labelledby="blacklist-state">
<h2 id="blacklist-state">Blacklisted</h2>
<p><strong>Clients refuse to install this plugin${verdict.severity === 'soft' ? ' (soft: it is disabled and may be re-enabled)' : ' and quarantine installed copies'}.</strong></p>
<p>Reason: ${plain(verdict.entry.reason ?? verdict.reason, 1000)}</p>
${entry === undefined ? '' : html`<p><a href="/blacklist/${pathPart(entry.id)}">Blacklist entry ${entry.id}</a></p>`}
</section>`;
}

function refsSection(plugin: RegistryPlugin): Html {
	return html`<section aria-labelledby="refs">
<h2 id="refs">Refs and reviewed releases</h2>
<table>
<caption>Refs clients may install</caption>
<thead><tr><th scope="col">Ref</th><th scope="col">Description</th><th scope="col">API versions</th></tr></thead>
<tbody>
${plugin.refs.slice(0, 100).map(
	(
		ref,
		index,
	) => html`<tr><th scope="row"><code>${plain(ref.name, 200)}</code>${index === 0 ? ' (default)' : ''}</th>
<td>${plain(ref.description ?? '', 300)}</td>
<td>${plain(ref.minApiVersion ?? 'any', 20)} to ${plain(ref.maxApiVersion ?? 'any', 20)}</td></tr>`,
)}
</tbody>
</table>
${
	plugin.releases.length === 0
		? html`<p>No pinned release: clients install the ref's newest commit.</p>`
		: html`<table>
<caption>Pinned releases (commit and tree digest clients verify)</caption>
<thead><tr><th scope="col">Ref</th><th scope="col">Commit</th><th scope="col">Tree</th></tr></thead>
<tbody>
${plugin.releases
	.slice(0, 100)
	.map(
		(pin) =>
			html`<tr><th scope="row"><code>${plain(pin.ref, 200)}</code></th><td><code class="hash">${plain(pin.commit, 80)}</code></td><td><code class="hash">${plain(pin.tree, 100)}</code></td></tr>`,
	)}
</tbody>
</table>`
}
</section>`;
}

function translationsSection(plugin: RegistryPlugin): Html {
	const names = Object.keys(plugin.nameI18n).length > 0;
	const descriptions = Object.keys(plugin.descriptionI18n).length > 0;
	if (!names && !descriptions) return html``;
	return html`<section aria-labelledby="translations"><h2 id="translations">Translations</h2>
${names ? html`<h3>Name</h3>${translations(plugin.nameI18n, 200)}` : ''}
${descriptions ? html`<h3>Description</h3>${translations(plugin.descriptionI18n, 2000)}` : ''}
</section>`;
}

function incidentsSection(data: PluginPageData): Html {
	const incidents = data.incidents ?? [];
	if (incidents.length === 0) return html``;
	return html`<section aria-labelledby="incidents"><h2 id="incidents">Incidents</h2>
<ul class="plain-list">${incidents.map((incident) => html`<li><a href="/incidents/${incident.id}">#${incident.id} ${plain(incident.title, 200)}</a> (${plain(incident.state, 20)})</li>`)}</ul>
</section>`;
}

export function pluginPage(data: PluginPageData): Html {
	const { plugin } = data;
	const [newest] = data.scans;
	const body = html`<p class="breadcrumb"><a href="/">Plugins</a></p>
<h1>${beside(plugin.name)} ${trustBadge(plugin.trustLevel)}</h1>
${trustExplanation(plugin.trustLevel)}
<p class="description">${beside(plugin.description, 2000)}</p>
${data.verdict.blocked ? blacklistSection(data) : ''}
<section aria-labelledby="install">
<h2 id="install">Install</h2>
${data.verdict.blocked ? html`<p>Installing is refused while the plugin is blacklisted.</p>` : html`<pre class="command"><code>${plain(data.installCommand, 300)}</code></pre>`}
</section>
${capabilitiesSection(newest)}
${scanSection(newest)}
<section aria-labelledby="facts">
<h2 id="facts">Details</h2>
<dl class="facts">
<dt>Id</dt><dd><code>${plain(plugin.id, 100)}</code></dd>
<dt>UUID</dt><dd><code>${plain(plugin.uuid, 40)}</code></dd>
<dt>Source</dt><dd>${urlLink(plugin.gitUrl)}</dd>
<dt>Authors</dt><dd>${plain(plugin.authors.join(', '), 500) || 'not listed'}</dd>
<dt>Categories</dt><dd>${plain(plugin.categories.join(', '), 300) || 'none'}</dd>
${plugin.addedAt === undefined ? '' : html`<dt>Added</dt><dd>${when(plugin.addedAt)}</dd>`}
${plugin.updatedAt === undefined ? '' : html`<dt>Updated</dt><dd>${when(plugin.updatedAt)}</dd>`}
</dl>
</section>
${data.verdict.blocked ? '' : blacklistSection(data)}
${translationsSection(plugin)}
${refsSection(plugin)}
${incidentsSection(data)}
${data.reportForm ?? ''}
${data.signedIn === undefined ? '' : html`<p><a href="/admin/plugins/${pathPart(plugin.id)}">Edit this plugin</a></p>`}`;
	return page({
		title: beside(plugin.name),
		section: 'browse',
		...(data.signedIn === undefined ? {} : { signedIn: data.signedIn }),
		body,
	});
}

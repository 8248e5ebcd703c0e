/**
 * The registry's web pages, server-rendered with no script at all: browsing, plugin pages, the
 * blacklist, and the maintainers' side. The app factory mounts `webRoutes(deps)` at `/` and
 * adds the security headers and rate limits around it.
 */
import { compileBlacklist, isVouchError } from '@vouch/library';
import { Hono } from 'hono';
import { html } from 'hono/html';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import { listIncidents } from '../incidents/queries.ts';
import { getBlacklistEntry, listBlacklist } from '../store/blacklist-queries.ts';
import { scanReportsOf } from '../store/plugin-queries.ts';
import { accountsRoutes } from './admin/accounts-page.ts';
import { blacklistAdminRoutes } from './admin/blacklist-admin.ts';
import { changeRoutes } from './admin/changes.ts';
import { incidentAdminRoutes } from './admin/incidents-admin.ts';
import { metricsRoutes } from './admin/metrics-page.ts';
import { pluginEditRoutes } from './admin/plugin-edit.ts';
import type { WebEnv } from './admin/session.ts';
import { signInRoutes } from './admin/sign-in.ts';
import { blacklistEntryPage, blacklistListPage, notFoundPage } from './blacklist-pages.ts';
import { browsePage } from './browse-page.ts';
import type { WebDeps } from './deps.ts';
import { incidentRoutes } from './incident-pages.ts';
import { page } from './layout.ts';
import { pluginPage } from './plugin-page.ts';
import { createPublicForms } from './public-forms.ts';
import { createRegistryView } from './registry-view.ts';
import { removalsFeedRoutes } from './removals-feed.ts';
import { reportForm, reportRoutes } from './report-form.ts';
import { SITE_CSS } from './site-css.ts';

export type { WebDeps } from './deps.ts';

const STATUS: Readonly<Record<string, ContentfulStatusCode>> = {
	BAD_REQUEST: 400,
	UNAUTHENTICATED: 401,
	FORBIDDEN: 403,
	CSRF_REJECTED: 403,
	NOT_FOUND: 404,
	REGISTRY_CONFLICT: 409,
	PAYLOAD_TOO_LARGE: 413,
	RATE_LIMITED: 429,
};

const TITLES: Readonly<Record<number, string>> = {
	400: 'The request cannot be used',
	401: 'Sign in first',
	403: 'Refused',
	404: 'Not found',
	409: 'Changed in the meantime',
	413: 'Too large',
	429: 'Too many requests',
	500: 'Something went wrong',
};

export function webRoutes(deps: WebDeps): Hono<WebEnv> {
	const app = new Hono<WebEnv>();
	const registryView = createRegistryView(deps.store);
	const installCommand = deps.installCommand ?? ((id: string) => `vouch install ${id}`);
	const publicForms = createPublicForms();

	app.onError((error, c) => {
		const status = (isVouchError(error) ? STATUS[error.code] : undefined) ?? 500;
		// Only our own messages are shown; an unexpected error's text stays in the server.
		const message = status === 500 ? 'The page could not be made. Try again later.' : error.message;
		const signIn = status === 401 ? html`<p><a href="/admin/sign-in">Sign in</a></p>` : '';
		return c.html(
			page({
				title: TITLES[status] ?? 'Error',
				body: html`<h1>${TITLES[status] ?? 'Error'}</h1><p>${message}</p>${signIn}<p><a href="/">Back to the plugins</a></p>`,
			}),
			status,
		);
	});

	app.get('/assets/site.css', (c) => {
		c.header('Content-Type', 'text/css; charset=utf-8');
		c.header('Cache-Control', 'public, max-age=3600');
		return c.body(SITE_CSS);
	});

	app.get('/', async (c) => c.html(await browsePage(c, deps.database)));

	app.get('/plugins/:id', async (c) => {
		const id = c.req.param('id');
		const view = await registryView();
		const plugin = view?.registry.plugins.find((candidate) => candidate.id === id);
		if (view === undefined || plugin === undefined)
			return c.html(notFoundPage('No plugin in the registry has this id.'), 404);
		const verdict = view.blacklist.check({ url: plugin.gitUrl, uuid: plugin.uuid });
		const entry = verdict.blocked
			? (await listBlacklist(deps.database.db)).find((row) => row.position === verdict.entry.index)
			: undefined;
		return c.html(
			pluginPage({
				plugin,
				verdict,
				entry,
				scans: await scanReportsOf(deps.database.db, plugin.id),
				installCommand: installCommand(plugin.id),
				incidents: (await listIncidents(deps.database.db, { plugin: plugin.id, perPage: 10 }))
					.items,
				...(deps.incidents === undefined
					? {}
					: { reportForm: reportForm(plugin.id, publicForms.token(c)) }),
			}),
		);
	});

	app.get('/blacklist', async (c) =>
		c.html(blacklistListPage(await listBlacklist(deps.database.db))),
	);

	app.get('/blacklist/:id', async (c) => {
		const id = c.req.param('id');
		const entry = id.length > 100 ? undefined : await getBlacklistEntry(deps.database.db, id);
		if (entry === undefined) return c.html(notFoundPage('No blacklist entry has this id.'), 404);
		const view = await registryView();
		// This entry alone: the plugins it blocks, even those an earlier entry blocks first.
		const parsed = view?.registry.blacklist.find((candidate) => candidate.index === entry.position);
		const alone = parsed === undefined ? undefined : compileBlacklist([parsed]);
		const blocked = (view?.registry.plugins ?? []).filter(
			(plugin) => alone?.check({ url: plugin.gitUrl, uuid: plugin.uuid }).blocked === true,
		);
		return c.html(blacklistEntryPage(entry, blocked));
	});

	signInRoutes(app, deps);
	changeRoutes(app, deps);
	pluginEditRoutes(app, deps);
	blacklistAdminRoutes(app, deps);
	accountsRoutes(app, deps);
	reportRoutes(app, deps, publicForms, registryView);
	incidentRoutes(app, deps, publicForms);
	removalsFeedRoutes(app, deps);
	incidentAdminRoutes(app, deps);
	metricsRoutes(app, deps);
	return app;
}

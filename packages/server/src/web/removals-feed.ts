/**
 * `/feeds/removals.atom`: the removals (applied actions, newest first) as an Atom feed, written
 * by the library's Atom writer, which strips controls and what XML cannot carry and escapes
 * the rest, so a hostile reason or title cannot add markup or break the feed. Each entry links
 * to its incident page when the site is served over https.
 */
import { type FeedItem, renderAtomFeed } from '@vouch/library/internal/log/atom-feed';
import type { Context, Hono } from 'hono';
import { listRemovals, type Removal } from '../incidents/removals.ts';
import type { WebEnv } from './admin/session.ts';
import type { WebDeps } from './deps.ts';
import { ACTION_LABELS, label } from './incident-view.ts';

const FEED_ENTRIES = 100;

/** The site's origin for links that leave the page: the configured one, else the request's. */
export function publicBase(deps: WebDeps, c: Context): string {
	if (deps.publicBaseUrl !== undefined) return deps.publicBaseUrl.replace(/\/+$/, '');
	return new URL(c.req.url).origin;
}

function atomTime(iso: string): string {
	const parsed = Date.parse(iso);
	return `${new Date(Number.isNaN(parsed) ? 0 : parsed).toISOString().slice(0, 19)}Z`;
}

function feedItem(base: string, removal: Removal): FeedItem {
	const subject = removal.pluginId ?? removal.ownerUrl ?? `incident ${removal.incidentId}`;
	const kind = label(ACTION_LABELS, removal.kind).replace(/ \(.*\)$/, '');
	const status =
		removal.withdrawnAt !== null
			? ' Withdrawn after an appeal.'
			: removal.revertedAt !== null
				? ' Since reverted.'
				: '';
	return {
		id: `${base}#removal-${removal.actionId}`,
		title: `${kind}: ${subject}`,
		updated: atomTime(removal.revertedAt ?? removal.appliedAt),
		summary: `${removal.reason}${removal.advice === null ? '' : ` Advice: ${removal.advice}`}${status} Incident #${removal.incidentId}: ${removal.incidentTitle}`,
		link: `${base}/incidents/${removal.incidentId}`,
	};
}

export function removalsFeedRoutes(app: Hono<WebEnv>, deps: WebDeps): void {
	app.get('/feeds/removals.atom', async (c) => {
		const base = publicBase(deps, c);
		const removals = await listRemovals(deps.database.db, { limit: FEED_ENTRIES });
		// The writer takes entries oldest first and writes them newest first.
		const items = removals.map((removal) => feedItem(base, removal)).reverse();
		const body = renderAtomFeed(
			{
				origin: base,
				title: 'Removed plugins',
				source: `${base}/incidents`,
				// The newest change: a revert can be later than the newest removal.
				updated:
					items
						.map((item) => item.updated)
						.sort()
						.at(-1) ?? atomTime(deps.clock().toISOString()),
			},
			items,
		);
		c.header('Content-Type', 'application/atom+xml; charset=utf-8');
		c.header('Cache-Control', 'public, max-age=60');
		return c.body(body);
	});
}

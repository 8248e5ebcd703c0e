/**
 * The public, read-only JSON API under `/api/v1`: plugin search and detail, the blacklist, and
 * the service's health. Every query is validated (bad values are a 400 naming the field) and
 * bounded by the store's queries; every answer carries an ETag.
 */
import { REGISTRY_TRUST_LEVELS } from '@vouch/library/internal/registry/model';
import { Hono } from 'hono';
import { sql } from 'kysely';
import { z } from 'zod';
import type { ServiceDb } from '../db/open.ts';
import { serverError } from '../errors.ts';
import { TIMESTAMP_PATH } from '../publish/timestamp-expiry.ts';
import { getBlacklistEntry, listBlacklist } from '../store/blacklist-queries.ts';
import {
	facets,
	listPlugins,
	MAX_PAGE_SIZE,
	MAX_QUERY_CHARS,
	PLUGIN_SORTS,
} from '../store/plugin-queries.ts';
import { jsonResponse } from './conditional.ts';
import { jsonReply } from './json-text.ts';
import { pluginDetail } from './plugin-detail.ts';
import type { RegistryView } from './registry-view.ts';
import { validQuery } from './validate.ts';

const TRUST = z.enum(REGISTRY_TRUST_LEVELS);
const ID = z
	.string()
	.min(1)
	.max(200)
	.regex(/^[A-Za-z0-9._-]+$/);

export const pluginListQuery = z
	.object({
		q: z.string().max(MAX_QUERY_CHARS).optional(),
		// `trust=official,trusted`: any of these levels.
		trust: z
			.string()
			.max(100)
			.transform((value) => value.split(',').filter((part) => part !== ''))
			.pipe(z.array(TRUST).max(REGISTRY_TRUST_LEVELS.length))
			.optional(),
		category: z
			.string()
			.max(64)
			.regex(/^[a-z0-9_-]*$/)
			.optional(),
		page: z.coerce.number().int().min(1).max(100_000).optional(),
		per_page: z.coerce.number().int().min(1).max(MAX_PAGE_SIZE).optional(),
		sort: z.enum(PLUGIN_SORTS).optional(),
	})
	.strict();

export interface PublicApiDeps {
	database: ServiceDb;
	view: () => Promise<RegistryView | undefined>;
	clock: () => Date;
	/** How many processes serve this port (the workers); 1 when absent. */
	processes?: () => number;
}

function notFound(what: string) {
	return serverError('NOT_FOUND', `There is no ${what}.`, {
		hint: 'List what there is with GET /api/v1/plugins or /api/v1/blacklist.',
	});
}

export function publicApi(deps: PublicApiDeps): Hono {
	const { db } = deps.database;
	const api = new Hono();

	api.get('/plugins', async (c) => {
		const query = validQuery(c, pluginListQuery);
		const page = await listPlugins(db, {
			...(query.q === undefined ? {} : { q: query.q }),
			...(query.trust === undefined ? {} : { trust: query.trust }),
			...(query.category === undefined ? {} : { category: query.category }),
			...(query.page === undefined ? {} : { page: query.page }),
			...(query.per_page === undefined ? {} : { perPage: query.per_page }),
			...(query.sort === undefined ? {} : { sort: query.sort }),
		});
		return jsonResponse(c.req.header('if-none-match'), {
			plugins: page.items,
			total: page.total,
			page: page.page,
			perPage: page.perPage,
			pages: Math.ceil(page.total / page.perPage),
		});
	});

	api.get('/facets', async (c) => jsonResponse(c.req.header('if-none-match'), await facets(db)));

	api.get('/plugins/:id', async (c) => {
		const id = ID.safeParse(c.req.param('id'));
		const view = await deps.view();
		const plugin = id.success ? view?.registry.plugins.find((p) => p.id === id.data) : undefined;
		if (view === undefined || plugin === undefined) throw notFound('plugin with this id');
		return jsonResponse(c.req.header('if-none-match'), await pluginDetail(db, view, plugin));
	});

	api.get('/blacklist', async (c) => {
		const entries = await listBlacklist(db);
		return jsonResponse(c.req.header('if-none-match'), { entries });
	});

	api.get('/blacklist/:id', async (c) => {
		const id = ID.safeParse(c.req.param('id'));
		const entry = id.success ? await getBlacklistEntry(db, id.data) : undefined;
		if (entry === undefined) throw notFound('blacklist entry with this id');
		return jsonResponse(c.req.header('if-none-match'), entry);
	});

	api.get('/health', async () => {
		const health = await healthOf(deps);
		return jsonReply(health, health.status === 'ok' ? 200 : 503);
	});

	return api;
}

async function healthOf(deps: PublicApiDeps) {
	const { db } = deps.database;
	try {
		await sql`select 1`.execute(db);
	} catch {
		return { status: 'error', database: 'unreachable' } as const;
	}
	const document = await db
		.selectFrom('registry_document')
		.select(['revision', 'sha256', 'updated_at'])
		.where('id', '=', 1)
		.executeTakeFirst();
	const publish = await db
		.selectFrom('publishes')
		.select(['revision', 'completed_at'])
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	const timestamp = await db
		.selectFrom('repo_files')
		.select('bytes')
		.where('path', '=', TIMESTAMP_PATH)
		.executeTakeFirst();
	return {
		status: 'ok',
		database: 'ok',
		now: deps.clock().toISOString(),
		processes: deps.processes?.() ?? 1,
		registry:
			document === undefined
				? null
				: { revision: document.revision, sha256: document.sha256, updatedAt: document.updated_at },
		lastPublish:
			publish === undefined
				? null
				: { revision: publish.revision, completedAt: publish.completed_at },
		timestampExpires: timestamp === undefined ? null : expiryOf(timestamp.bytes),
	} as const;
}

/** `signed.expires` of the stored timestamp metadata; null if it cannot be read. */
function expiryOf(bytes: Uint8Array): string | null {
	try {
		const parsed = JSON.parse(Buffer.from(bytes).toString('utf8')) as {
			signed?: { expires?: unknown };
		};
		return typeof parsed.signed?.expires === 'string' ? parsed.signed.expires : null;
	} catch {
		return null;
	}
}

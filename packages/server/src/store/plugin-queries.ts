/**
 * What the API and the pages read: plugins with search, filters and paging, one plugin with
 * its entry and scan reports, the blacklist. Every bound (page size, query length) is applied
 * here, so no caller can ask the database for an unbounded result.
 */
import { type Kysely, sql } from 'kysely';
import type { PluginRowTable, ServiceDatabase } from '../db/schema.ts';

export const MAX_PAGE_SIZE = 100;
export const DEFAULT_PAGE_SIZE = 20;
export const MAX_QUERY_CHARS = 200;
export const PLUGIN_SORTS = ['name', 'trust', 'updated'] as const;
export type PluginSort = (typeof PLUGIN_SORTS)[number];

export interface PluginQuery {
	/** Words to find in the id, name, description (any language) or authors. */
	q?: string;
	/** Any of these trust levels. */
	trust?: readonly string[];
	category?: string;
	/** 1-based. */
	page?: number;
	perPage?: number;
	sort?: PluginSort;
	/** Ids left out (plugins under soft quarantine are hidden from browsing). */
	exclude?: readonly string[];
}

export interface PluginSummary {
	id: string;
	uuid: string;
	name: string;
	trust: string;
	categories: string[];
	description: string;
	gitUrl: string;
	authors: string;
	updatedAt: string;
}

export interface PluginPage {
	items: PluginSummary[];
	total: number;
	page: number;
	perPage: number;
}

export interface PluginDetail extends PluginSummary {
	/** The plugin's table in the registry document. */
	entry: Record<string, unknown>;
}

export interface StoredScanReport {
	commit: string;
	ref: string;
	createdAt: string;
	/** The scanner's report (`ScanReport`), as stored. */
	report: unknown;
}

/** `%` and `_` match literally: a search for "50%_off" finds that text, not everything. */
function likePattern(text: string): string {
	return `%${text.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
}

export async function listPlugins(
	db: Kysely<ServiceDatabase>,
	query: PluginQuery,
): Promise<PluginPage> {
	const perPage = Math.min(
		Math.max(Math.trunc(query.perPage ?? DEFAULT_PAGE_SIZE), 1),
		MAX_PAGE_SIZE,
	);
	const page = Math.max(Math.trunc(query.page ?? 1), 1);
	let base = db.selectFrom('plugins');
	const words = (query.q ?? '')
		.slice(0, MAX_QUERY_CHARS)
		.toLowerCase()
		.split(/\s+/)
		.filter((word) => word.length > 0)
		.slice(0, 8);
	for (const word of words) {
		base = base.where(sql<boolean>`search_text like ${likePattern(word)} escape '\\'`);
	}
	if (query.trust !== undefined && query.trust.length > 0)
		base = base.where('trust', 'in', [...query.trust]);
	if (query.category !== undefined && query.category !== '') {
		base = base.where(
			sql<boolean>`categories like ${likePattern(`,${query.category.toLowerCase()},`)} escape '\\'`,
		);
	}
	if (query.exclude !== undefined && query.exclude.length > 0)
		base = base.where('id', 'not in', [...query.exclude]);
	const counted = await base
		.select((eb) => eb.fn.countAll<string | number>().as('n'))
		.executeTakeFirst();
	let rows = base.select([
		'id',
		'uuid',
		'name',
		'trust',
		'categories',
		'description',
		'git_url',
		'authors',
		'updated_at',
	]);
	const sort = query.sort ?? 'name';
	if (sort === 'trust') rows = rows.orderBy('trust_rank', 'desc').orderBy('name').orderBy('id');
	else if (sort === 'updated') rows = rows.orderBy('updated_at', 'desc').orderBy('id');
	else rows = rows.orderBy('name').orderBy('id');
	const items = await rows
		.limit(perPage)
		.offset((page - 1) * perPage)
		.execute();
	return {
		items: items.map(summaryOf),
		total: Number(counted?.n ?? 0),
		page,
		perPage,
	};
}

export async function getPlugin(
	db: Kysely<ServiceDatabase>,
	id: string,
): Promise<PluginDetail | undefined> {
	const row = await db.selectFrom('plugins').selectAll().where('id', '=', id).executeTakeFirst();
	if (row === undefined) return undefined;
	return {
		...summaryOf(row),
		entry: JSON.parse(row.entry_json) as Record<string, unknown>,
	};
}

export async function scanReportsOf(
	db: Kysely<ServiceDatabase>,
	id: string,
): Promise<StoredScanReport[]> {
	const rows = await db
		.selectFrom('scan_reports')
		.selectAll()
		.where('plugin_id', '=', id)
		.orderBy('created_at', 'desc')
		.limit(20)
		.execute();
	return rows.map((row) => ({
		commit: row.commit_sha,
		ref: row.ref_name,
		createdAt: row.created_at,
		report: JSON.parse(row.report_json) as unknown,
	}));
}

export interface CategoryCount {
	category: string;
	count: number;
}

/** Trust levels and categories with their counts, for the browse filters. */
export async function facets(
	db: Kysely<ServiceDatabase>,
): Promise<{ trust: Record<string, number>; categories: CategoryCount[] }> {
	const trustRows = await db
		.selectFrom('plugins')
		.select(['trust', (eb) => eb.fn.countAll<string | number>().as('n')])
		.groupBy('trust')
		.execute();
	const categoryRows = await db.selectFrom('plugins').select('categories').execute();
	const counts = new Map<string, number>();
	for (const row of categoryRows) {
		for (const category of splitCategories(row.categories))
			counts.set(category, (counts.get(category) ?? 0) + 1);
	}
	return {
		trust: Object.fromEntries(trustRows.map((row) => [row.trust, Number(row.n)])),
		categories: [...counts]
			.map(([category, count]) => ({ category, count }))
			.sort((a, b) => b.count - a.count || a.category.localeCompare(b.category)),
	};
}

type SummaryColumns = Pick<
	PluginRowTable,
	| 'id'
	| 'uuid'
	| 'name'
	| 'trust'
	| 'categories'
	| 'description'
	| 'git_url'
	| 'authors'
	| 'updated_at'
>;

function summaryOf(row: SummaryColumns): PluginSummary {
	return {
		id: row.id,
		uuid: row.uuid,
		name: row.name,
		trust: row.trust,
		categories: splitCategories(row.categories),
		description: row.description,
		gitUrl: row.git_url,
		authors: row.authors,
		updatedAt: row.updated_at,
	};
}

function splitCategories(value: string): string[] {
	return value.split(',').filter((part) => part.length > 0);
}

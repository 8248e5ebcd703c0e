/** The blacklist as pages and the API read it: in file order, which is the order it is matched in. */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

export interface BlacklistListing {
	id: string;
	position: number;
	kind: string;
	value: string;
	reason: string;
	severity: string;
	addedAt: string;
	entry: Record<string, unknown>;
}

export async function listBlacklist(db: Kysely<ServiceDatabase>): Promise<BlacklistListing[]> {
	const rows = await db.selectFrom('blacklist').selectAll().orderBy('position').execute();
	return rows.map(listing);
}

/** The first entry with this id (two identical entries share one). */
export async function getBlacklistEntry(
	db: Kysely<ServiceDatabase>,
	id: string,
): Promise<BlacklistListing | undefined> {
	const row = await db
		.selectFrom('blacklist')
		.selectAll()
		.where('id', '=', id)
		.orderBy('position')
		.limit(1)
		.executeTakeFirst();
	return row === undefined ? undefined : listing(row);
}

function listing(row: {
	id: string;
	position: number;
	kind: string;
	value: string;
	reason: string;
	severity: string;
	added_at: string;
	entry_json: string;
}): BlacklistListing {
	return {
		id: row.id,
		position: row.position,
		kind: row.kind,
		value: row.value,
		reason: row.reason,
		severity: row.severity,
		addedAt: row.added_at,
		entry: JSON.parse(row.entry_json) as Record<string, unknown>,
	};
}

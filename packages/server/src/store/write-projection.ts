/**
 * Writes a projection over the previous one, touching only rows that changed: an edit of one
 * plugin in a registry of ten thousand rewrites one row, not ten thousand.
 */
import type { Transaction } from 'kysely';
import type { BlacklistRowTable, PluginRowTable, ServiceDatabase } from '../db/schema.ts';
import type { Projection } from './projection.ts';

/** Rows per INSERT: well under SQLite's and PostgreSQL's bound-parameter limits. */
const BATCH = 200;

export async function replaceProjection(
	trx: Transaction<ServiceDatabase>,
	projection: Projection,
): Promise<void> {
	await replacePlugins(trx, projection.plugins);
	await replaceBlacklist(trx, projection.blacklist);
}

async function replacePlugins(
	trx: Transaction<ServiceDatabase>,
	rows: PluginRowTable[],
): Promise<void> {
	const existing = await trx.selectFrom('plugins').selectAll().execute();
	const byId = new Map(existing.map((row) => [row.id, row]));
	const wanted = new Set(rows.map((row) => row.id));
	const gone = existing.filter((row) => !wanted.has(row.id)).map((row) => row.id);
	for (let i = 0; i < gone.length; i += BATCH) {
		await trx
			.deleteFrom('plugins')
			.where('id', 'in', gone.slice(i, i + BATCH))
			.execute();
	}
	const changed = rows.filter((row) => {
		const old = byId.get(row.id);
		return old === undefined || !samePlugin(old, row);
	});
	const changedIds = changed.filter((row) => byId.has(row.id)).map((row) => row.id);
	for (let i = 0; i < changedIds.length; i += BATCH) {
		await trx
			.deleteFrom('plugins')
			.where('id', 'in', changedIds.slice(i, i + BATCH))
			.execute();
	}
	for (let i = 0; i < changed.length; i += BATCH) {
		await trx
			.insertInto('plugins')
			.values(changed.slice(i, i + BATCH))
			.execute();
	}
}

function samePlugin(a: PluginRowTable, b: PluginRowTable): boolean {
	return (Object.keys(b) as (keyof PluginRowTable)[]).every(
		(key) => key === 'updated_at' || a[key] === b[key],
	);
}

async function replaceBlacklist(
	trx: Transaction<ServiceDatabase>,
	rows: BlacklistRowTable[],
): Promise<void> {
	// The blacklist is short (hundreds of entries at most) and positional: rewritten whole.
	await trx.deleteFrom('blacklist').execute();
	for (let i = 0; i < rows.length; i += BATCH) {
		await trx
			.insertInto('blacklist')
			.values(rows.slice(i, i + BATCH))
			.execute();
	}
}

/**
 * Where a change row landed in the transparency log. A publish appends one entry per change it
 * carries, in seq order, then one entry for the publish itself; so a change's index is the
 * log's size before its publish plus its rank among that publish's changes. The repository's
 * first publish logs the registry as it stood instead of each earlier change: those have none.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

export async function logSequences(
	db: Kysely<ServiceDatabase>,
	seqs: readonly (number | null)[],
): Promise<Map<number, number>> {
	const wanted = [...new Set(seqs.filter((seq): seq is number => seq !== null).map(Number))];
	const found = new Map<number, number>();
	if (wanted.length === 0) return found;
	const rows = await db
		.selectFrom('changes')
		.select(['seq', 'publish_id'])
		.where('seq', 'in', wanted)
		.where('publish_id', 'is not', null)
		.execute();
	const first = await db
		.selectFrom('publishes')
		.select((eb) => eb.fn.min('id').as('id'))
		.executeTakeFirst();
	const publishIds = [...new Set(rows.map((row) => Number(row.publish_id)))];
	for (const publishId of publishIds) {
		if (first?.id !== null && first?.id !== undefined && publishId === Number(first.id)) continue;
		const before = await db
			.selectFrom('publishes')
			.select('log_size')
			.where('id', '<', publishId)
			.orderBy('id', 'desc')
			.limit(1)
			.executeTakeFirst();
		const carried = await db
			.selectFrom('changes')
			.select('seq')
			.where('publish_id', '=', publishId)
			.orderBy('seq')
			.execute();
		const base = Number(before?.log_size ?? 0);
		carried.forEach((row, rank) => {
			if (wanted.includes(Number(row.seq))) found.set(Number(row.seq), base + rank);
		});
	}
	return found;
}

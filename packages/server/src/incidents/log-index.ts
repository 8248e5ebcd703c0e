/**
 * Where a change row sits in the transparency log. The publisher appends one log entry per
 * change it carries, in `seq` order, and records the log's size after the publish
 * (`publishes.log_size`); so the k-th of n changes of a publish is entry `log_size - n + k`
 * (0-based). The repository's first publish is the exception: it carries every change made
 * before it in one entry, the registry as it then stood (`publish-step.ts`), so each of those
 * changes is in entry `log_size - 1`.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

export interface LogPosition {
	/** The entry's index in the log, 0-based. */
	index: number;
	publishId: number;
	/** When the publish that carried it was signed. */
	publishedAt: string;
	timestampVersion: number;
}

const MAX_SEQS = 1000;

export async function logPositions(
	db: Kysely<ServiceDatabase>,
	seqs: readonly number[],
): Promise<Map<number, LogPosition>> {
	const positions = new Map<number, LogPosition>();
	const wanted = [...new Set(seqs)].slice(0, MAX_SEQS);
	if (wanted.length === 0) return positions;
	const rows = await db
		.selectFrom('changes')
		.innerJoin('publishes', 'publishes.id', 'changes.publish_id')
		.select([
			'changes.seq',
			'changes.publish_id',
			'publishes.log_size',
			'publishes.completed_at',
			'publishes.timestamp_version',
		])
		.where('changes.seq', 'in', wanted)
		.execute();
	if (rows.length === 0) return positions;
	const first = await db
		.selectFrom('publishes')
		.select((eb) => eb.fn.min('id').as('id'))
		.executeTakeFirst();
	const firstPublish = first?.id === null || first?.id === undefined ? -1 : Number(first.id);
	const publishIds = [...new Set(rows.map((row) => Number(row.publish_id)))];
	const carried = await db
		.selectFrom('changes')
		.select(['seq', 'publish_id'])
		.where('publish_id', 'in', publishIds)
		.orderBy('seq')
		.execute();
	const seqsOf = new Map<number, number[]>();
	for (const row of carried) {
		const id = Number(row.publish_id);
		seqsOf.set(id, [...(seqsOf.get(id) ?? []), Number(row.seq)]);
	}
	for (const row of rows) {
		const publishId = Number(row.publish_id);
		const logSize = Number(row.log_size);
		const all = seqsOf.get(publishId) ?? [];
		const seq = Number(row.seq);
		const index =
			publishId === firstPublish ? logSize - 1 : logSize - all.length + all.indexOf(seq);
		if (index < 0) continue;
		positions.set(seq, {
			index,
			publishId,
			publishedAt: row.completed_at,
			timestampVersion: Number(row.timestamp_version),
		});
	}
	return positions;
}

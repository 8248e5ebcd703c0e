/**
 * Where a change row sits in the transparency log, with the publish that carried it. The index
 * itself is `log-sequence.ts`'s rule (one home for it); changes the repository's first
 * publish carried have no entry of their own: they are in the log's first entry, the registry
 * as it then stood, so they are shown as entry 0.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { logSequences } from './log-sequence.ts';

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
			'publishes.completed_at',
			'publishes.timestamp_version',
		])
		.where('changes.seq', 'in', wanted)
		.execute();
	if (rows.length === 0) return positions;
	const sequences = await logSequences(db, wanted);
	for (const row of rows) {
		const seq = Number(row.seq);
		positions.set(seq, {
			index: sequences.get(seq) ?? 0,
			publishId: Number(row.publish_id),
			publishedAt: row.completed_at,
			timestampVersion: Number(row.timestamp_version),
		});
	}
	return positions;
}

/** Where each followed or exported repository got to (`sync_state`), so a restart resumes. */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';

export interface SyncState {
	commit: string | undefined;
	changeSeq: number | undefined;
}

export async function readSyncState(db: Kysely<ServiceDatabase>, name: string): Promise<SyncState> {
	const row = await db
		.selectFrom('sync_state')
		.selectAll()
		.where('name', '=', name)
		.executeTakeFirst();
	return { commit: row?.commit_sha ?? undefined, changeSeq: row?.change_seq ?? undefined };
}

export async function writeSyncState(
	db: Kysely<ServiceDatabase>,
	name: string,
	state: SyncState,
	now: Date,
): Promise<void> {
	const values = {
		commit_sha: state.commit ?? null,
		change_seq: state.changeSeq ?? null,
		updated_at: now.toISOString(),
	};
	await db
		.insertInto('sync_state')
		.values({ name, ...values })
		.onConflict((conflict) => conflict.column('name').doUpdateSet(values))
		.execute();
}

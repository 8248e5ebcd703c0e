/**
 * The one transaction that makes a publish visible: the new and changed repository files,
 * the `publishes` row and the publish id on exactly the changes it carried, all or nothing.
 * Before writing anything it re-checks, inside the transaction, that this process still holds
 * the lease under the epoch the publish started with (fencing): a publisher that paused past
 * its lease while another took over commits nothing, whatever it signed meanwhile. The
 * conditional UPDATE of the lease row also locks it, so a takeover cannot slip in between the
 * check and the commit. The UNIQUE versions of `publishes` and the check of the previous
 * timestamp version are a second guard: two publishes of the same version cannot both land.
 */
import type { Kysely, Transaction } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { PUBLISHER_LEASE } from './lease.ts';
import type { ChangedFile } from './working-copy.ts';

export interface CommitInput {
	holder: string;
	epoch: number;
	/** The lease is extended to this time by the same statement that checks it. */
	leaseExpiresAt: string;
	/** The timestamp version the publish built on (0 for the first publish). */
	previousTimestampVersion: number;
	revision: number;
	versions: { targets: number; timestamp: number };
	logSize: number;
	startedAt: string;
	completedAt: string;
	changeSeqs: readonly number[];
	files: readonly ChangedFile[];
}

/** Rows per `IN (…)` list, well under both engines' parameter limits. */
const SEQ_BATCH = 500;

/** Commits the publish and returns its id; throws LEASE_LOST or PUBLISH_FAILED otherwise. */
export async function commitPublish(
	db: Kysely<ServiceDatabase>,
	input: CommitInput,
): Promise<number> {
	return db.transaction().execute(async (trx) => {
		await checkLease(trx, input);
		await checkPrevious(trx, input.previousTimestampVersion);
		const row = await trx
			.insertInto('publishes')
			.values({
				lease_epoch: input.epoch,
				holder: input.holder,
				revision: input.revision,
				targets_version: input.versions.targets,
				timestamp_version: input.versions.timestamp,
				log_size: input.logSize,
				started_at: input.startedAt,
				completed_at: input.completedAt,
			})
			.returning('id')
			.executeTakeFirstOrThrow();
		const publishId = Number(row.id);
		await markChanges(trx, publishId, input.changeSeqs);
		// Immutable files first and mutable ones after, timestamp.json last: within one
		// transaction the order is invisible to readers, but it keeps the rule written down.
		const ordered = [...input.files].sort(
			(a, b) => Number(b.immutable) - Number(a.immutable) || rank(a.path) - rank(b.path),
		);
		for (const file of ordered) await writeFile(trx, file, publishId, input.completedAt);
		return publishId;
	});
}

async function checkLease(trx: Transaction<ServiceDatabase>, input: CommitInput): Promise<void> {
	const result = await trx
		.updateTable('leases')
		.set({ expires_at: input.leaseExpiresAt })
		.where('name', '=', PUBLISHER_LEASE)
		.where('holder', '=', input.holder)
		.where('epoch', '=', input.epoch)
		.executeTakeFirst();
	if (Number(result.numUpdatedRows) !== 1) {
		throw serverError(
			'LEASE_LOST',
			'Another publisher took the lease over during this publish; nothing was committed.',
		);
	}
}

async function checkPrevious(trx: Transaction<ServiceDatabase>, expected: number): Promise<void> {
	const row = await trx
		.selectFrom('publishes')
		.select((eb) => eb.fn.max('timestamp_version').as('latest'))
		.executeTakeFirst();
	const latest = row?.latest === null || row?.latest === undefined ? 0 : Number(row.latest);
	if (latest !== expected) {
		throw serverError(
			'PUBLISH_FAILED',
			`The repository moved to timestamp version ${latest} during a publish built on version ${expected}.`,
			{ hint: 'The publish is retried from the new state.' },
		);
	}
}

async function markChanges(
	trx: Transaction<ServiceDatabase>,
	publishId: number,
	seqs: readonly number[],
): Promise<void> {
	let marked = 0;
	for (let i = 0; i < seqs.length; i += SEQ_BATCH) {
		const result = await trx
			.updateTable('changes')
			.set({ publish_id: publishId })
			.where('seq', 'in', seqs.slice(i, i + SEQ_BATCH))
			.where('publish_id', 'is', null)
			.executeTakeFirst();
		marked += Number(result.numUpdatedRows);
	}
	if (marked !== seqs.length) {
		throw serverError(
			'PUBLISH_FAILED',
			`${seqs.length - marked} of the changes in this publish were already published.`,
			{ hint: 'The publish is retried from the new state; a change is never published twice.' },
		);
	}
}

async function writeFile(
	trx: Transaction<ServiceDatabase>,
	file: ChangedFile,
	publishId: number,
	at: string,
): Promise<void> {
	const values = {
		path: file.path,
		bytes: file.bytes,
		sha256: file.sha256,
		immutable: file.immutable ? 1 : 0,
		publish_id: publishId,
		updated_at: at,
	};
	if (file.immutable) {
		// A plain insert: an immutable path that exists already fails the whole transaction.
		await trx.insertInto('repo_files').values(values).execute();
		return;
	}
	const result = await trx
		.insertInto('repo_files')
		.values(values)
		.onConflict((oc) =>
			oc
				.column('path')
				.doUpdateSet({
					bytes: file.bytes,
					sha256: file.sha256,
					publish_id: publishId,
					updated_at: at,
				})
				.where('repo_files.immutable', '=', 0),
		)
		.executeTakeFirst();
	if (Number(result.numInsertedOrUpdatedRows ?? 0) !== 1) {
		throw serverError(
			'PUBLISH_FAILED',
			'A publish tried to replace a repository file that never changes once published.',
		);
	}
}

function rank(path: string): number {
	if (path === 'metadata/timestamp.json') return 2;
	if (path.startsWith('log/checkpoint')) return 1;
	return 0;
}

/**
 * The publisher lease: one row of `leases` that says which process may publish, until when,
 * and under which epoch. Only the holder publishes, so two processes never sign competing
 * versions; the epoch grows every time the lease changes hands, and a publish commits only
 * while the lease still carries the epoch it started under (fencing, `commit.ts`), so a
 * process that paused past its expiry and lost the lease commits nothing.
 *
 * Every step is one conditional statement whose affected-row count decides the outcome, so
 * the database settles any race between processes on both engines: no read-then-write.
 * Times are ISO 8601 text from the injected clock; they compare correctly as strings.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';

export const PUBLISHER_LEASE = 'publisher';
export const DEFAULT_LEASE_MS = 15_000;
/** An expiry every clock has passed: what a released lease carries. */
const RELEASED_AT = new Date(0).toISOString();

export interface LeaseOptions {
	db: Kysely<ServiceDatabase>;
	/** Who asks: unique per process (host name, process id, a random part). */
	holder: string;
	clock: () => Date;
	/** How long a grant or a renewal lasts. */
	durationMs?: number;
	name?: string;
}

export interface LeaseGrant {
	holder: string;
	epoch: number;
	expiresAt: string;
}

export interface Lease {
	readonly holder: string;
	readonly durationMs: number;
	/** Takes the lease when it is free, expired or already this holder's; undefined otherwise. */
	acquire(): Promise<LeaseGrant | undefined>;
	/** Extends the lease held under `epoch`; undefined when it was lost. */
	renew(epoch: number): Promise<LeaseGrant | undefined>;
	/** Gives the lease up at once, so another process need not wait for it to expire. */
	release(epoch: number): Promise<void>;
	/** Who holds the lease now, whether or not it has expired (for messages and tests). */
	read(): Promise<LeaseGrant | undefined>;
}

export function createLease(options: LeaseOptions): Lease {
	const { db, holder, clock } = options;
	const name = options.name ?? PUBLISHER_LEASE;
	const durationMs = options.durationMs ?? DEFAULT_LEASE_MS;
	if (!Number.isInteger(durationMs) || durationMs < 100) {
		throw serverError('INVALID_OPTIONS', 'The lease duration must be at least 100 ms.');
	}
	if (holder.trim() === '' || holder.length > 200) {
		throw serverError('INVALID_OPTIONS', 'The lease holder name must be 1 to 200 characters.');
	}
	const expiryFrom = (now: Date) => new Date(now.getTime() + durationMs).toISOString();

	async function acquire(): Promise<LeaseGrant | undefined> {
		const now = clock();
		const expiresAt = expiryFrom(now);
		// Taking over (or re-taking after a restart under the same name) is a new holding: the
		// epoch grows, so whatever the previous holding had in flight is fenced off.
		const taken = await db
			.updateTable('leases')
			.set((eb) => ({ holder, epoch: eb('epoch', '+', 1), expires_at: expiresAt }))
			.where('name', '=', name)
			.where((eb) => eb.or([eb('expires_at', '<=', now.toISOString()), eb('holder', '=', holder)]))
			.returning(['epoch'])
			.executeTakeFirst();
		if (taken !== undefined) return { holder, epoch: Number(taken.epoch), expiresAt };
		// No row, or a row someone else holds. The first row is inserted; when two processes
		// race to insert it, the primary key lets exactly one through.
		const inserted = await db
			.insertInto('leases')
			.values({ name, holder, epoch: 1, expires_at: expiresAt })
			.onConflict((oc) => oc.column('name').doNothing())
			.returning(['epoch'])
			.executeTakeFirst();
		return inserted === undefined ? undefined : { holder, epoch: 1, expiresAt };
	}

	async function renew(epoch: number): Promise<LeaseGrant | undefined> {
		const expiresAt = expiryFrom(clock());
		const result = await db
			.updateTable('leases')
			.set({ expires_at: expiresAt })
			.where('name', '=', name)
			.where('holder', '=', holder)
			.where('epoch', '=', epoch)
			.executeTakeFirst();
		return Number(result.numUpdatedRows) === 1 ? { holder, epoch, expiresAt } : undefined;
	}

	async function release(epoch: number): Promise<void> {
		await db
			.updateTable('leases')
			.set({ expires_at: RELEASED_AT })
			.where('name', '=', name)
			.where('holder', '=', holder)
			.where('epoch', '=', epoch)
			.execute();
	}

	async function read(): Promise<LeaseGrant | undefined> {
		const row = await db
			.selectFrom('leases')
			.select(['holder', 'epoch', 'expires_at'])
			.where('name', '=', name)
			.executeTakeFirst();
		return row === undefined
			? undefined
			: { holder: row.holder, epoch: Number(row.epoch), expiresAt: row.expires_at };
	}

	return { holder, durationMs, acquire, renew, release, read };
}

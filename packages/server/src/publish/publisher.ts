/**
 * The publisher: any number of service processes run one, and the lease (`lease.ts`) makes
 * exactly one of them sign at a time. The holder polls for unpublished changes and publishes
 * them, and signs a fresh timestamp before the published one expires even when nothing
 * changed; the others wait for the lease to come free or expire, and take over then.
 *
 * Admin edits call `publishNow()` to publish at once, then `waitForRevision()` to answer
 * "published through revision N" (it reads the database, so it also sees a publish made by
 * another process). One publish at a time per process; on failure the loop backs off
 * (doubling, up to `maxBackoffMs`) and retries from the database's state, so a change is
 * published exactly once: a failed publish commits nothing, a committed one marks its changes.
 *
 * The keys directory holds only the online keys (targets, snapshot, timestamp) and the log
 * key. Root keys stay offline: root 1 comes from `initialRoot` (signed offline), unless the
 * keys directory holds root keys, as a development set made by `initKeys` does.
 */
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { isVouchError } from '@vouch/library/internal/core/errors';
import type { TufExpiries } from '@vouch/library/internal/tuf/repository/expiry';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { createLease, DEFAULT_LEASE_MS, type LeaseGrant } from './lease.ts';
import { type PublishOutcome, publishStep } from './publish-step.ts';
import { publishedTimestampExpiry } from './timestamp-expiry.ts';
import { createWorkingCopy, type WorkingCopy } from './working-copy.ts';

export type PublisherEvent =
	| { type: 'lease-acquired'; epoch: number }
	| { type: 'lease-lost'; epoch: number }
	| { type: 'published'; outcome: Extract<PublishOutcome, { status: 'published' }> }
	| { type: 'publish-failed'; code: string; message: string; retryInMs: number };

export interface PublisherOptions {
	db: Kysely<ServiceDatabase>;
	/** The online TUF keys and the log key (`initKeys`); never the offline root keys. */
	keysDir: string;
	clock?: () => Date;
	/** This process's name in the lease; unique by default. */
	holder?: string;
	/** Lease duration; renewed every third of it. Default 15 s. */
	leaseMs?: number;
	/** How often the holder looks for changes (and others for a free lease). Default 1 s. */
	intervalMs?: number;
	/** The longest wait between retries after failures. Default 60 s. */
	maxBackoffMs?: number;
	/** Sign a new timestamp when the published one expires within this. Default: half its life. */
	renewTimestampBeforeMs?: number;
	expiries?: TufExpiries;
	/** A fully signed root 1 made offline, for the repository's first publish. */
	initialRoot?: Uint8Array;
	/** Where the private working copy is created. Default: the system temp directory. */
	workDir?: string;
	log?: (event: PublisherEvent) => void;
	/** Test seam: runs after signing, before the commit of each publish. */
	beforeCommit?: () => Promise<void>;
}

export interface Publisher {
	readonly holder: string;
	start(): void;
	/** Stops the loop, waits for a publish in flight, releases the lease and the working copy. */
	stop(): Promise<void>;
	/** Publishes the unpublished changes now, if this process holds or can take the lease. */
	publishNow(): Promise<PublishOutcome>;
	/** Resolves once a publish (by any process) carried revision `revision` or later. */
	waitForRevision(revision: number, options?: { timeoutMs?: number }): Promise<void>;
	/** Called after each publish this process commits; returns the unsubscribe function. */
	onPublished(listener: (outcome: PublishedOutcome) => void): () => void;
	/** Whether this process holds the lease (as far as it last knew). */
	holding(): boolean;
}

export type PublishedOutcome = Extract<PublishOutcome, { status: 'published' }>;

const DAY_MS = 24 * 60 * 60 * 1000;
const DEFAULT_WAIT_MS = 60_000;

export function createPublisher(options: PublisherOptions): Publisher {
	const { db } = options;
	const clock = options.clock ?? (() => new Date());
	const holder = options.holder ?? `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
	const leaseMs = options.leaseMs ?? DEFAULT_LEASE_MS;
	const intervalMs = options.intervalMs ?? 1000;
	const maxBackoffMs = options.maxBackoffMs ?? 60_000;
	const timestampDays = options.expiries?.timestamp ?? 1;
	const renewBeforeMs = options.renewTimestampBeforeMs ?? (timestampDays * DAY_MS) / 2;
	if (!(intervalMs > 0) || !(maxBackoffMs >= intervalMs) || !(renewBeforeMs >= 0)) {
		throw serverError('INVALID_OPTIONS', 'The publisher intervals must be positive.');
	}
	const lease = createLease({ db, holder, clock, durationMs: leaseMs });
	const listeners = new Set<(outcome: PublishedOutcome) => void>();
	let grant: LeaseGrant | undefined;
	let workingCopy: Promise<WorkingCopy> | undefined;
	let running = false;
	let tickTimer: NodeJS.Timeout | undefined;
	let renewTimer: NodeJS.Timeout | undefined;
	let failures = 0;
	let renewing: Promise<void> | undefined;
	// One publish at a time in this process: the loop and publishNow queue on this chain.
	let queue: Promise<unknown> = Promise.resolve();
	const serial = <T>(task: () => Promise<T>): Promise<T> => {
		const next = queue.then(task, task);
		queue = next.catch(() => undefined);
		return next;
	};

	async function holdLease(): Promise<LeaseGrant | undefined> {
		if (grant !== undefined) return grant;
		grant = await lease.acquire();
		if (grant !== undefined) options.log?.({ type: 'lease-acquired', epoch: grant.epoch });
		return grant;
	}

	async function renewLease(): Promise<void> {
		const held = grant;
		if (held === undefined) return;
		let renewed: LeaseGrant | undefined;
		try {
			renewed = await lease.renew(held.epoch);
		} catch {
			// A failed query keeps the grant until it would have expired: a moment's outage
			// does not hand the lease over, and the commit's fencing has the last word anyway.
			renewed = clock().toISOString() < held.expiresAt ? held : undefined;
		}
		if (renewed !== undefined && grant?.epoch === held.epoch) grant = renewed;
		if (renewed === undefined && grant?.epoch === held.epoch) {
			grant = undefined;
			options.log?.({ type: 'lease-lost', epoch: held.epoch });
		}
	}

	async function publishOnce(renew: boolean): Promise<PublishOutcome> {
		const held = await holdLease();
		if (held === undefined) {
			const current = await lease.read();
			return current === undefined
				? { status: 'not-holder' }
				: { status: 'not-holder', holder: current.holder };
		}
		workingCopy ??= createWorkingCopy(options.workDir);
		try {
			const outcome = await publishStep({
				db,
				workingCopy: await workingCopy,
				keysDir: options.keysDir,
				clock,
				holder,
				epoch: held.epoch,
				leaseDurationMs: leaseMs,
				renew,
				...(options.expiries === undefined ? {} : { expiries: options.expiries }),
				...(options.initialRoot === undefined ? {} : { initialRoot: options.initialRoot }),
				...(options.beforeCommit === undefined ? {} : { beforeCommit: options.beforeCommit }),
			});
			if (outcome.status === 'published') {
				options.log?.({ type: 'published', outcome });
				for (const listener of listeners) listener(outcome);
			}
			return outcome;
		} catch (error) {
			if (isVouchError(error) && error.code === 'LEASE_LOST' && grant?.epoch === held.epoch) {
				grant = undefined;
				options.log?.({ type: 'lease-lost', epoch: held.epoch });
			}
			throw error;
		}
	}

	async function timestampDue(): Promise<boolean> {
		const expires = await publishedTimestampExpiry(db);
		return expires === undefined || expires.getTime() - clock().getTime() <= renewBeforeMs;
	}

	async function hasUnpublishedChanges(): Promise<boolean> {
		const row = await db
			.selectFrom('changes')
			.select('seq')
			.where('publish_id', 'is', null)
			.limit(1)
			.executeTakeFirst();
		return row !== undefined;
	}

	async function tick(): Promise<void> {
		let delay = intervalMs;
		try {
			await serial(async () => {
				if ((await holdLease()) === undefined) return;
				// Cheap questions first: a full publish step lists the whole repository.
				const renew = await timestampDue();
				if (renew || (await hasUnpublishedChanges())) await publishOnce(renew);
			});
			failures = 0;
		} catch (error) {
			failures++;
			delay = Math.min(maxBackoffMs, intervalMs * 2 ** failures);
			options.log?.({
				type: 'publish-failed',
				code: isVouchError(error) ? error.code : 'PUBLISH_FAILED',
				message: error instanceof Error ? error.message : String(error),
				retryInMs: delay,
			});
		}
		if (running) tickTimer = setTimeout(() => void tick(), delay);
	}

	return {
		holder,
		start() {
			if (running) return;
			running = true;
			renewTimer = setInterval(
				() => {
					renewing ??= renewLease()
						.catch(() => undefined)
						.finally(() => {
							renewing = undefined;
						});
				},
				Math.max(1, Math.floor(leaseMs / 3)),
			);
			tickTimer = setTimeout(() => void tick(), 0);
		},
		async stop() {
			running = false;
			clearTimeout(tickTimer);
			clearInterval(renewTimer);
			// A renewal still on its way would otherwise land after the release and hold the
			// lease for a stopped process until it expires.
			await renewing;
			await serial(async () => {
				const held = grant;
				grant = undefined;
				if (held !== undefined) await lease.release(held.epoch).catch(() => undefined);
				const copy = workingCopy;
				workingCopy = undefined;
				if (copy !== undefined) await (await copy).remove();
			});
		},
		publishNow: () => serial(() => publishOnce(false)),
		async waitForRevision(revision, waitOptions = {}) {
			const deadline = Date.now() + (waitOptions.timeoutMs ?? DEFAULT_WAIT_MS);
			for (;;) {
				const row = await db
					.selectFrom('publishes')
					.select((eb) => eb.fn.max('revision').as('latest'))
					.executeTakeFirst();
				if (row?.latest !== null && row?.latest !== undefined && Number(row.latest) >= revision) {
					return;
				}
				if (Date.now() >= deadline) {
					throw serverError('PUBLISH_FAILED', `Revision ${revision} was not published in time.`, {
						hint: 'The edit is saved; it goes out with the next successful publish.',
					});
				}
				await new Promise((resolve) => setTimeout(resolve, Math.min(intervalMs, 250)));
			}
		},
		onPublished(listener) {
			listeners.add(listener);
			return () => listeners.delete(listener);
		},
		holding: () => grant !== undefined,
	};
}

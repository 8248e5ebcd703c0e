/**
 * One publish: the registry document and its unpublished changes, signed into the working
 * copy by the library's `publishRepository` (TUF metadata and the transparency log), and the
 * files that changed committed to the database in one fenced transaction (`commit.ts`).
 *
 * The first publish of an empty repository also creates root 1 (from the root keys in the
 * keys directory, or from a root signed offline and handed in). Whatever goes wrong before
 * the commit leaves the database as it was, and the working copy is thrown away so the next
 * attempt starts again from the database: a change is published once, or not yet.
 */
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { isVouchError } from '@vouch/library/internal/core/errors';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import type { TufExpiries } from '@vouch/library/internal/tuf/repository/expiry';
import { publishRepository } from '@vouch/library/internal/tuf/repository/publish';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import {
	readRegistryDocument,
	readUnpublishedChanges,
	unpublishedSeqsThrough,
	writeChangeJournal,
} from './change-journal.ts';
import { commitPublish } from './commit.ts';
import type { WorkingCopy } from './working-copy.ts';

/** The log's first entry when the service starts a repository (D28). */
export const INITIAL_REASON =
	'The registry as it stood when the registry service first published it.';

export type PublishOutcome =
	| {
			status: 'published';
			publishId: number;
			/** The registry document revision now published. */
			revision: number;
			/** The changes this publish carried into the log. */
			changes: number;
			/** The first publish of the repository (root 1 was created). */
			initial: boolean;
			versions: { root: number; targets: number; snapshot: number; timestamp: number };
			logSize: number;
			warnings: string[];
	  }
	/** Nothing to publish: every change up to `revision` is out, and the timestamp is fresh. */
	| { status: 'up-to-date'; revision: number }
	/** Another process holds the lease; it publishes. */
	| { status: 'not-holder'; holder?: string }
	/** The store has not written a registry document yet. */
	| { status: 'no-registry' };

export interface PublishStepInput {
	db: Kysely<ServiceDatabase>;
	workingCopy: WorkingCopy;
	keysDir: string;
	/** Read once for what is signed, and again at the commit (the lease is extended from then). */
	clock: () => Date;
	holder: string;
	epoch: number;
	leaseDurationMs: number;
	/** Sign even without changes (the timestamp is close to expiry). */
	renew: boolean;
	expiries?: TufExpiries;
	/** A fully signed first root (signed offline), used when the repository is empty. */
	initialRoot?: Uint8Array;
	/** Runs after signing and before the commit (tests use it to stop a publish there). */
	beforeCommit?: () => Promise<void>;
}

export async function publishStep(input: PublishStepInput): Promise<PublishOutcome> {
	const { db, workingCopy } = input;
	const startedAt = input.clock();
	try {
		const document = await readRegistryDocument(db);
		if (document === undefined) return { status: 'no-registry' };
		const stored = await workingCopy.sync(db);
		const initial = stored.size === 0;
		// The repository's log starts with its first publish: changes made before it (a service
		// that ran without keys, following a repository) were never shown to any client, so they
		// are carried by the first entry, the registry as it then stood, not one entry each. The
		// rows keep them.
		const changes = initial ? [] : await readUnpublishedChanges(db, document.revision);
		const absorbed = initial ? await unpublishedSeqsThrough(db, document.revision) : [];
		if (!initial && changes.length === 0 && !input.renew) {
			return { status: 'up-to-date', revision: document.revision };
		}
		const previousTimestampVersion = initial ? 0 : await storedTimestampVersion(db);
		await writeChangeJournal(workingCopy.journalPath, changes);
		if (initial && input.initialRoot !== undefined) {
			// A pending root with all its signatures becomes root 1 (`root-promotion.ts`).
			await writeFile(join(workingCopy.repoDir, 'pending-root.json'), input.initialRoot, {
				mode: 0o600,
			});
		}
		const result = await signRepository(input, startedAt, document.text, initial);
		await input.beforeCommit?.();
		const files = await workingCopy.collect(stored);
		const completedAt = input.clock();
		const publishId = await commitPublish(db, {
			holder: input.holder,
			epoch: input.epoch,
			leaseExpiresAt: new Date(completedAt.getTime() + input.leaseDurationMs).toISOString(),
			previousTimestampVersion,
			revision: document.revision,
			versions: result.versions,
			logSize: result.log.size,
			startedAt: startedAt.toISOString(),
			completedAt: completedAt.toISOString(),
			changeSeqs: [...changes.map((change) => change.seq), ...absorbed],
			files,
		});
		await workingCopy.accept(files);
		return {
			status: 'published',
			publishId,
			revision: document.revision,
			changes: changes.length + absorbed.length,
			initial,
			versions: result.versions,
			logSize: result.log.size,
			warnings: result.warnings,
		};
	} catch (error) {
		await workingCopy.discard();
		throw asPublishError(error);
	}
}

async function signRepository(
	input: PublishStepInput,
	now: Date,
	registryText: string,
	initial: boolean,
) {
	return publishRepository({
		registryText,
		label: 'the registry document',
		keysDir: input.keysDir,
		outDir: input.workingCopy.repoDir,
		now,
		journalPath: input.workingCopy.journalPath,
		...(input.expiries === undefined ? {} : { expiries: input.expiries }),
		// Only the log's first entry may go without a recorded change: after that, a document
		// that differs from what its change rows lead to is refused (no unexplained edit).
		...(initial ? { reason: INITIAL_REASON } : {}),
	});
}

async function storedTimestampVersion(db: Kysely<ServiceDatabase>): Promise<number> {
	const row = await db
		.selectFrom('publishes')
		.select((eb) => eb.fn.max('timestamp_version').as('latest'))
		.executeTakeFirst();
	return row?.latest === null || row?.latest === undefined ? 0 : Number(row.latest);
}

/** Lease and publish errors pass through; anything else (library, I/O) becomes PUBLISH_FAILED. */
function asPublishError(error: unknown): Error {
	if (isVouchError(error) && (error.code === 'LEASE_LOST' || error.code === 'PUBLISH_FAILED')) {
		return error;
	}
	const code = isVouchError(error) ? error.code : undefined;
	const message = error instanceof Error ? error.message : String(error);
	return serverError(
		'PUBLISH_FAILED',
		`Publishing the registry failed: ${sanitizeText(message, { maxLength: 500 })}`,
		{
			...(isVouchError(error) && error.hint !== undefined ? { hint: error.hint } : {}),
			cause: error,
			...(code === undefined ? {} : { details: { code } }),
		},
	);
}

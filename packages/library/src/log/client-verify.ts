/**
 * What a client checks when it sees a new checkpoint of the log (D28): the log's signature, that
 * the new tree extends the one it stored (never smaller, never a different root at the same
 * size, and a consistency proof from verified tiles otherwise), and that the leaf it cares
 * about (e.g. the TUF targets metadata it accepted) is in the tree. Any failure is thrown; the
 * caller keeps its stored checkpoint and stores the returned one only on success. No I/O but
 * the injected tile reader.
 */
import { isVouchError } from '../core/errors.ts';
import { openCheckpoint, type SignedCheckpoint } from './checkpoint.ts';
import { logError } from './errors.ts';
import { equalBytes, leafHash } from './merkle.ts';
import { parseVerifierKey } from './note-keys.ts';
import { verifyConsistency, verifyInclusion } from './proof-verify.ts';
import { type ReadTile, TileLog } from './tile-reader.ts';

export interface LogUpdateInput {
	/** The log's verifier key text, `<name>+<id>+<key>` (shipped as a TUF target). */
	verifierKey: string;
	/** The checkpoint origin; the key's name by default. */
	origin?: string;
	/** The signed checkpoint stored after the last successful check, if any. */
	stored?: string | undefined;
	/**
	 * The key `stored` was verified under, when the log key has since been rotated (through a
	 * new TUF target). The new tree must still extend the stored one, of the same origin.
	 */
	storedVerifierKey?: string | undefined;
	/** The signed checkpoint just fetched. */
	checkpoint: string | Uint8Array;
	readTile: ReadTile;
	/** A leaf that must be in the new tree, at the index the publisher gave. */
	leaf?: { data: Uint8Array; index: number };
	maxEntryBytes?: number;
}

export interface LogUpdate {
	/** Store `checkpoint.note` as the new last good state. */
	checkpoint: SignedCheckpoint;
	/** The verified tree, to read more proofs or entries from. */
	log: TileLog;
}

export async function verifyLogUpdate(input: LogUpdateInput): Promise<LogUpdate> {
	const verifier = parseVerifierKey(input.verifierKey);
	const next = openCheckpoint(input.checkpoint, verifier, input.origin);
	const log = new TileLog({
		readTile: input.readTile,
		size: next.size,
		root: next.root,
		...(input.maxEntryBytes === undefined ? {} : { maxEntryBytes: input.maxEntryBytes }),
	});
	if (input.stored !== undefined) {
		const storedVerifier =
			input.storedVerifierKey === undefined ? verifier : parseVerifierKey(input.storedVerifierKey);
		const previous = openCheckpoint(input.stored, storedVerifier, input.origin);
		if (previous.origin !== next.origin) {
			throw inconsistent('The new log key belongs to another log (its origin differs).');
		}
		await checkExtends(previous, next, log);
	}
	if (input.leaf !== undefined) await checkIncluded(input.leaf, log);
	return { checkpoint: next, log };
}

function inconsistent(message: string, cause?: unknown): Error {
	return logError('LOG_INCONSISTENT', message, {
		cause,
		hint: 'The log history was rewritten; the last verified state is kept. Report this to the registry maintainers.',
	});
}

async function checkExtends(
	previous: SignedCheckpoint,
	next: SignedCheckpoint,
	log: TileLog,
): Promise<void> {
	if (next.size < previous.size) {
		throw inconsistent(`The log shrank from ${previous.size} to ${next.size} entries.`);
	}
	if (next.size === previous.size) {
		if (!equalBytes(next.root, previous.root)) {
			throw inconsistent(`Two different logs of ${next.size} entries were signed (a fork).`);
		}
		return;
	}
	const proof = await log.consistencyProof(previous.size);
	try {
		verifyConsistency(previous.size, next.size, proof, previous.root, next.root);
	} catch (error) {
		if (isVouchError(error) && error.code === 'LOG_BAD_PROOF') {
			throw inconsistent(
				`The log of ${next.size} entries does not extend the stored one of ${previous.size}.`,
				error,
			);
		}
		throw error;
	}
}

async function checkIncluded(
	leaf: { data: Uint8Array; index: number },
	log: TileLog,
): Promise<void> {
	if (!Number.isSafeInteger(leaf.index) || leaf.index < 0 || leaf.index >= log.size) {
		throw logError('LOG_NOT_INCLUDED', `The log has no entry ${String(leaf.index)}.`);
	}
	const proof = await log.inclusionProof(leaf.index);
	try {
		verifyInclusion(leafHash(leaf.data), leaf.index, log.size, proof, log.root);
	} catch (error) {
		if (isVouchError(error) && error.code === 'LOG_BAD_PROOF') {
			throw logError(
				'LOG_NOT_INCLUDED',
				`Entry ${leaf.index} of the log is not the expected one.`,
				{ cause: error },
			);
		}
		throw error;
	}
}

/**
 * The client's transparency-log check (D28), run by every refresh after TUF has verified the
 * new targets and before anything is stored:
 *   1. the log key is the `log-key.txt` target of those verified targets, so it rotates
 *      under TUF and no unsigned source can swap it;
 *   2. the checkpoint is signed by that key, for that log (origin);
 *   3. it extends the checkpoint stored last time: never smaller, never another root at the
 *      same size, and a consistency proof otherwise (else LOG_INCONSISTENT);
 *   4. the `publish` entry of the exact targets accepted (version and SHA-256) is in the tree.
 * Only then is the new checkpoint returned, to be stored with the TUF state in one write.
 * Any failure is thrown and the caller keeps its last good state (D1).
 */
import { isVouchError, VouchError } from '../../core/errors.ts';
import { redactUrlCredentials, sanitizeText } from '../../core/sanitize.ts';
import { openCheckpoint, type SignedCheckpoint } from '../../log/checkpoint.ts';
import { verifyLogUpdate } from '../../log/client-verify.ts';
import { logError } from '../../log/errors.ts';
import { leafHash } from '../../log/merkle.ts';
import { parseVerifierKey } from '../../log/note-keys.ts';
import { verifyInclusion } from '../../log/proof-verify.ts';
import { readLogEntries } from '../../log/read-entries.ts';
import { PUBLISH_ACTION, publishSubject } from '../../log/registry-entry.ts';
import type { TileLog } from '../../log/tile-reader.ts';
import { sha256Hex } from '../metadata.ts';
import type { LogSource } from './log-source.ts';

/** What the client stores: the last checkpoint it verified, and the key that verified it. */
export interface StoredLogState {
	checkpoint: string;
	verifierKey: string;
}

export interface RegistryLogCheckInput {
	source: LogSource;
	/** From the verified `log-key.txt` target. */
	verifierKey: string;
	stored?: StoredLogState | undefined;
	/** The targets accepted, whose `publish` entry must be in the log; absent for a watcher. */
	targets?: { version: number; sha256: string };
}

export interface RegistryLogCheck {
	state: StoredLogState;
	checkpoint: SignedCheckpoint;
	/** The verified tree, to read entries from. */
	log: TileLog;
	/** The checkpoint stored before, as verified (absent on a first check). */
	previous?: SignedCheckpoint;
	/** Index of the `publish` entry of the accepted targets. */
	publishIndex?: number;
}

/**
 * How far back from the end of the log the `publish` entry is looked for. It is the last entry
 * of the publish that signed the targets; a client that read the metadata just before another
 * publish finds it one publish back. Bounded, so a log cannot make a client read it all.
 */
export const MAX_PUBLISH_SEARCH = 4096;

export async function checkRegistryLog(input: RegistryLogCheckInput): Promise<RegistryLogCheck> {
	try {
		return await checkLog(input);
	} catch (error) {
		throw explainRefusal(error, input.source.url);
	}
}

/**
 * Every refusal says what it means for the user (D1): the registry in use stays the last
 * verified one. The log module's code is kept, so callers and tests still branch on it.
 */
function explainRefusal(error: unknown, url: string): unknown {
	if (!isVouchError(error) || !error.code.startsWith('LOG_')) return error;
	return new VouchError(
		error.code,
		`The registry's transparency log at ${sanitizeText(redactUrlCredentials(url))} was refused: ${sanitizeText(error.message, { maxLength: 300 })}`,
		{
			hint:
				error.hint !== undefined && /kept/.test(error.hint)
					? error.hint
					: 'The last verified registry and blacklist are kept. If this persists, tell the registry maintainers: the log may have been tampered with.',
			cause: error,
			...(error.details === undefined ? {} : { details: error.details }),
		},
	);
}

/**
 * The stored log key is tied to the stored targets by the `log-key.txt` hash they sign, so a
 * hand-edited cache cannot put another key (and a checkpoint it signed) in place of the log's.
 * The target is the key text and at most one final newline: one spelling, one hash to match.
 */
export function isLogKeyTarget(verifierKey: string, targetSha256: string | undefined): boolean {
	return (
		targetSha256 !== undefined &&
		(sha256Hex(Buffer.from(verifierKey, 'utf8')) === targetSha256 ||
			sha256Hex(Buffer.from(`${verifierKey}\n`, 'utf8')) === targetSha256)
	);
}

async function checkLog(input: RegistryLogCheckInput): Promise<RegistryLogCheck> {
	const verifierKey = input.verifierKey.trim();
	if (input.verifierKey !== verifierKey && input.verifierKey !== `${verifierKey}\n`) {
		throw logError(
			'LOG_BAD_KEY',
			'The log key target is not the key text alone (with at most one final newline).',
			{ hint: 'The last verified registry is kept. Tell the registry maintainers.' },
		);
	}
	const note = await input.source.readCheckpoint();
	const update = await verifyLogUpdate({
		verifierKey,
		checkpoint: note,
		readTile: input.source.readTile,
		// A rotated log key (a new verified target): the stored checkpoint is checked under the
		// key it was verified with, and the new tree must still extend it.
		...(input.stored === undefined
			? {}
			: { stored: input.stored.checkpoint, storedVerifierKey: input.stored.verifierKey }),
	});
	const previous =
		input.stored === undefined
			? undefined
			: openCheckpoint(input.stored.checkpoint, parseVerifierKey(input.stored.verifierKey));
	const publishIndex =
		input.targets === undefined
			? undefined
			: await findPublishEntry(update.log, input.targets.version, input.targets.sha256);
	return {
		state: { checkpoint: update.checkpoint.note, verifierKey },
		checkpoint: update.checkpoint,
		log: update.log,
		...(previous === undefined ? {} : { previous }),
		...(publishIndex === undefined ? {} : { publishIndex }),
	};
}

/**
 * Walks back from the end of the tree, one verified bundle at a time, to the `publish` entry of
 * these targets. A `publish` entry of the same version with another SHA-256 is a split view:
 * the repository showed this client targets other than those it logged.
 */
async function findPublishEntry(log: TileLog, version: number, sha256: string): Promise<number> {
	const subject = publishSubject(sha256);
	const stop = Math.max(0, log.size - MAX_PUBLISH_SEARCH);
	let end = log.size;
	while (end > stop) {
		const start = Math.max(stop, end - 256);
		const entries = await readLogEntries(log, start, end);
		for (const { index, entry, bytes } of entries.reverse()) {
			if (entry.action !== PUBLISH_ACTION) continue;
			if (entry.targets_version === version && entry.subject === subject) {
				// The bundle was checked against the tree; the proof makes the inclusion explicit.
				verifyInclusion(
					leafHash(bytes),
					index,
					log.size,
					await log.inclusionProof(index),
					log.root,
				);
				return index;
			}
			if (entry.targets_version <= version) {
				throw notIncluded(
					entry.targets_version === version
						? `The log records other targets for version ${version} than the ones this client was given (a split view).`
						: `The log has no entry for targets version ${version}.`,
				);
			}
		}
		end = start;
	}
	throw notIncluded(`The log has no entry for targets version ${version}.`);
}

function notIncluded(message: string) {
	return logError('LOG_NOT_INCLUDED', message, {
		hint: 'The registry was published without logging it; the last verified registry is kept. Tell the registry maintainers.',
	});
}

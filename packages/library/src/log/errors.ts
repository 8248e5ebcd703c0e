/** Error codes raised by `src/log`. Callers and tests branch on these, never on wording. */
import { VouchError, type VouchErrorOptions } from '../core/errors.ts';

/** Why the transparency log module refused a proof, note, checkpoint, tile or entry. */
export type LogErrorCode =
	/**
	 * The log's history was rewritten: a checkpoint smaller than the one stored (truncated), a
	 * different root at the same size (a fork), or a consistency proof that does not link the two.
	 * The client keeps its last good state (D28).
	 */
	| 'LOG_INCONSISTENT'
	/** An inclusion or consistency proof that is malformed or does not verify. */
	| 'LOG_BAD_PROOF'
	/** The leaf the client expects (e.g. the targets metadata it accepted) is not in the log. */
	| 'LOG_NOT_INCLUDED'
	/** A checkpoint body that does not follow C2SP tlog-checkpoint, or one for another log. */
	| 'LOG_BAD_CHECKPOINT'
	/** A signed note that is malformed (text rules, signature lines, bounds). */
	| 'LOG_BAD_NOTE'
	/** No valid signature by the log's key, or a signature by a known key that does not verify. */
	| 'LOG_BAD_SIGNATURE'
	/** A verifier or signer key string that cannot be parsed. */
	| 'LOG_BAD_KEY'
	/** A tile or entry bundle of the wrong size, or whose hashes do not match the checkpoint. */
	| 'LOG_BAD_TILE'
	/** A log entry record that is not canonical, not in the schema, or too large. */
	| 'LOG_BAD_ENTRY'
	/** The tile reader failed (missing file, network error). */
	| 'LOG_READ_FAILED'
	/** A caller passed an index, size or option out of range. */
	| 'LOG_INVALID_ARGUMENT';

export function logError(
	code: LogErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<LogErrorCode> {
	return new VouchError(code, message, options);
}

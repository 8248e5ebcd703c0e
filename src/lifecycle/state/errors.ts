/**
 * Error codes raised by the local plugin store and the file operations around it. Callers and
 * tests branch on these, never on wording.
 */
import { VouchError, type VouchErrorOptions } from '../../core/errors.ts';

export type StateErrorCode =
	/** `state.json` is not JSON or not a store Vouch wrote. It is left untouched, never overwritten. */
	| 'STATE_CORRUPT'
	/** `state.json` was written by a newer Vouch; this one refuses to read or overwrite it. */
	| 'STATE_VERSION_UNSUPPORTED'
	/** `state.json`, or a state about to be written, is over the size bound. */
	| 'STATE_TOO_LARGE'
	/** A transaction left the state in a shape the store would refuse to read back: nothing was written. */
	| 'STATE_INVALID'
	/** Another live process holds the store lock, and it was not released in time. */
	| 'STATE_LOCKED'
	/** A transaction was started from inside another on the same store, which would wait for itself. */
	| 'STATE_NESTED_TRANSACTION'
	/** An interrupted change to the plugin directories could not be finished or rolled back. */
	| 'STATE_RECOVERY_FAILED'
	/** Reading or writing the store's own files failed. */
	| 'STATE_IO'
	/** A path that must stay inside the plugins directory (or a name that must be one plain segment) does not. */
	| 'UNSAFE_PATH'
	/** A FIFO, socket or device inside a plugin directory. */
	| 'SPECIAL_FILE'
	/** A plugin directory over the file-count, size or depth bound. */
	| 'TREE_TOO_LARGE'
	/** The plugin is not in the store. */
	| 'PLUGIN_NOT_FOUND'
	/** A local plugin's files are the user's own directory: Vouch does not move them. */
	| 'NOT_MANAGED'
	/** An installed plugin's directory is missing. */
	| 'FILES_MISSING'
	/** Releasing from quarantine a plugin that is not quarantined. */
	| 'NOT_QUARANTINED'
	/** The place a plugin directory would move to is already taken. */
	| 'DIRECTORY_OCCUPIED';

export function stateError(
	code: StateErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<StateErrorCode> {
	return new VouchError(code, message, options);
}

/** The errno code of a Node.js file-system error, if any. */
export function errnoCode(error: unknown): string | undefined {
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	return typeof code === 'string' ? code : undefined;
}

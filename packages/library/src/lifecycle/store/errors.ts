/** Error codes of the local plugin store. Callers and tests branch on these, never on wording. */
import { VouchError, type VouchErrorOptions } from '../../core/errors.ts';

export type StoreErrorCode =
	/** The state file cannot be read as Vouch state; it is left untouched. */
	| 'STATE_CORRUPT'
	/** Another process holds the store lock for longer than we wait. */
	| 'STATE_LOCKED'
	| 'STATE_TOO_LARGE'
	/** A path that would leave the plugins directory, or is not a plain directory name. */
	| 'UNSAFE_PATH'
	/** A FIFO, socket or device inside a plugin: never read, never installed. */
	| 'SPECIAL_FILE'
	/** More files or bytes in a plugin than Vouch will hash. */
	| 'TREE_TOO_LARGE';

export function storeError(
	code: StoreErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<StoreErrorCode> {
	return new VouchError(code, message, options);
}

/** Error codes raised by `src/blacklist`. Callers and tests branch on these, never on wording. */
import { VouchError, type VouchErrorOptions } from '../core/errors.ts';

export type BlacklistErrorCode =
	/**
	 * The regex engine itself failed (not a bad pattern): the blacklist cannot be evaluated, so
	 * the check refuses rather than call a plugin clean (D1).
	 */
	'BLACKLIST_ENGINE_FAILED';

export function blacklistError(
	code: BlacklistErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<BlacklistErrorCode> {
	return new VouchError(code, message, options);
}

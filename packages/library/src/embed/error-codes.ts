/**
 * Every code a `VouchError` from the library can carry, as one union, and `hasCode` to branch
 * on one of them with the type narrowed. Each module keeps its own closed union; this is only
 * their sum, so a new code in any module reaches hosts without a second list to keep.
 */
import type { BlacklistErrorCode } from '../blacklist/errors.ts';
import { type CoreErrorCode, isVouchError, type VouchError } from '../core/errors.ts';
import type { GitErrorCode } from '../git/errors.ts';
import type { LifecycleErrorCode } from '../lifecycle/errors.ts';
import type { StoreErrorCode } from '../lifecycle/store/errors.ts';
import type { LogErrorCode } from '../log/errors.ts';
import type { ManifestErrorCode } from '../manifest/errors.ts';
import type { RegistryErrorCode } from '../registry/errors.ts';
import type { RefChoiceErrorCode } from '../registry/ref-choice.ts';
import type { RegistrySourcesErrorCode } from '../registry/sources/errors.ts';
import type { ReportErrorCode } from '../report/errors.ts';
import type { ScanErrorCode } from '../scan/errors.ts';
import type { TufErrorCode } from '../tuf/errors.ts';

/** The code of any error the library raises; branch on it, never on the message. */
export type VouchErrorCode =
	| CoreErrorCode
	| ManifestErrorCode
	| BlacklistErrorCode
	| GitErrorCode
	| ScanErrorCode
	| TufErrorCode
	| LogErrorCode
	| RegistryErrorCode
	| RefChoiceErrorCode
	| RegistrySourcesErrorCode
	| StoreErrorCode
	| LifecycleErrorCode
	| ReportErrorCode;

/**
 * Whether `error` is a `VouchError` with this code. The type narrows to `VouchError<C>`, and a
 * code that no module raises does not compile.
 *
 * @example
 * ```ts
 * try {
 *   await vouch.install('some-plugin');
 * } catch (error) {
 *   if (hasCode(error, 'BLACKLISTED')) console.error(error.message);
 *   else throw error;
 * }
 * ```
 */
export function hasCode<C extends VouchErrorCode>(error: unknown, code: C): error is VouchError<C> {
	return isVouchError(error) && error.code === code;
}

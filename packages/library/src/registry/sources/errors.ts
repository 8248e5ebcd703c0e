/** Error codes raised by `src/registry/sources`. Callers and tests branch on these, never on wording. */
import { VouchError, type VouchErrorOptions } from '../../core/errors.ts';

export type RegistrySourcesErrorCode =
	/** The registry is unsigned and the host profile does not allow unsigned registries (D19). */
	| 'UNSIGNED_REGISTRY_REFUSED'
	/** Every source failed and no cached copy could stand in: `details.failures` lists them all. */
	| 'NO_REGISTRY_AVAILABLE'
	/**
	 * Asking the registry whether it changed failed (network, timeout, an HTTP error). The last
	 * verified registry stays in force; `details.cause` says what happened.
	 */
	| 'REGISTRY_POLL_FAILED';

export function sourcesError(
	code: RegistrySourcesErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<RegistrySourcesErrorCode> {
	return new VouchError(code, message, options);
}

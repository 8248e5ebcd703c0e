/** Error codes raised by `src/registry/sources`. Callers and tests branch on these, never on wording. */
import { VouchError, type VouchErrorOptions } from '../../core/errors.ts';

export type RegistrySourcesErrorCode =
	/** The registry is unsigned and the host profile does not allow unsigned registries (D19). */
	| 'UNSIGNED_REGISTRY_REFUSED'
	/** Every source failed and no cached copy could stand in: `details.failures` lists them all. */
	| 'NO_REGISTRY_AVAILABLE';

export function sourcesError(
	code: RegistrySourcesErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<RegistrySourcesErrorCode> {
	return new VouchError(code, message, options);
}

/** Registry sources: ordered URLs and files, a per-URL cache, conditional requests, a verifier seam. */
export { registryCachePath } from './cache.ts';
export type { RegistrySourcesErrorCode } from './errors.ts';
export type { SourceFailure } from './failures.ts';
export { loadRegistryFromSources, type RegistryLoadResult } from './load-sources.ts';
export type {
	LoadProgress,
	LoadRegistryFromSourcesOptions,
	RegistryLoadMode,
	SignedRegistryReader,
	SignedRegistryText,
} from './step.ts';
export {
	createUnsignedVerifier,
	type RegistryVerifier,
	type RegistryVerifierInput,
	type VerifiedRegistryText,
} from './verifier.ts';

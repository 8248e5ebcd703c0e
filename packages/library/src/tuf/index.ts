/** TUF for the registry (D19): the repository side that signs, the client side that verifies. */

export {
	type ProfileTufClient,
	type ProfileTufOptions,
	tufClientForProfile,
	tufStateDirs,
} from './client/for-profile.ts';
export {
	createTufVerifier,
	type TufVerifiedRegistry,
	type TufVerifier,
	type TufVerifierOptions,
} from './client/verifier.ts';
export type { TufClientErrorCode, TufErrorCode, TufRepositoryErrorCode } from './errors.ts';
export { BLACKLIST_TARGET, REGISTRY_TARGET, type RoleName } from './metadata.ts';
export { DEFAULT_EXPIRY_DAYS, type TufExpiries } from './repository/expiry.ts';
export { type InitKeysOptions, type InitKeysResult, initKeys } from './repository/init-keys.ts';
export type { KeySetKey, KeySetRole } from './repository/keyset.ts';
export {
	type PublishedTarget,
	type PublishRepositoryOptions,
	type PublishResult,
	publishRepository,
} from './repository/publish.ts';
export {
	type ProposeRootOptions,
	proposeRoot,
	type RootSignatureCount,
	type RootSigningStatus,
	type SignRootOptions,
	signRoot,
} from './repository/root-signing.ts';

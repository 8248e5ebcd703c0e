/** Error codes raised by `src/tuf`. Callers and tests branch on these, never on wording. */
import { VouchError, type VouchErrorOptions } from '../core/errors.ts';

/** Raised while creating keys, publishing a repository or signing a root. */
export type TufRepositoryErrorCode =
	/** `initKeys` would overwrite an existing key set. */
	| 'TUF_KEYS_EXIST'
	/** `keys.json` is missing, unreadable or malformed. */
	| 'TUF_KEYS_INVALID'
	/** A private key file is unreadable, or is not an Ed25519 PKCS#8 key. */
	| 'TUF_KEY_FILE_INVALID'
	/** A private key file is readable by other users: refused, as ssh does. */
	| 'TUF_KEY_FILE_INSECURE'
	/** A key asked to sign a root that is neither in the current nor in the pending root. */
	| 'TUF_KEY_NOT_AUTHORIZED'
	/** A role's private key needed to publish is not in the keys directory. */
	| 'TUF_KEY_MISSING'
	/** The repository has no root yet, and the pending one lacks signatures. */
	| 'TUF_ROOT_NOT_FULLY_SIGNED'
	/** `signRoot` was called with no pending root to sign. */
	| 'TUF_NO_PENDING_ROOT'
	/** `proposeRoot` would discard a pending root and the signatures it has collected. */
	| 'TUF_PENDING_ROOT_EXISTS'
	/** The repository directory holds metadata that cannot be read or does not fit together. */
	| 'TUF_REPOSITORY_INVALID'
	/** The registry to publish has entries the parser skips: a broken entry is not shipped. */
	| 'TUF_REGISTRY_INVALID'
	/** An option out of range: a threshold, a key count, an expiry. */
	| 'TUF_INVALID_OPTION'
	/**
	 * The registry changed without a recorded change (no journal record, no `--reason`): a
	 * change without a reason is never logged or published (D28).
	 */
	| 'TUF_LOG_REASON_REQUIRED';

/** Raised by the client while verifying a repository or its local cache. */
export type TufClientErrorCode =
	/** Metadata older than what the client already trusts (a rollback attack). */
	| 'TUF_ROLLBACK'
	/** The verified metadata has expired (a freeze attack, or a repository nobody re-signs). */
	| 'TUF_METADATA_EXPIRED'
	/** Snapshot or targets metadata other than the one the newer role vouches for. */
	| 'TUF_MIX_AND_MATCH'
	/** A target file whose length or SHA-256 differs from the signed targets metadata. */
	| 'TUF_TARGET_HASH_MISMATCH'
	/** The local metadata cache does not verify: edited, or corrupted. */
	| 'TUF_CACHE_TAMPERED'
	/** A signature by an authorised key does not verify. */
	| 'TUF_BAD_SIGNATURE'
	/** Fewer valid signatures by authorised keys than the role's threshold. */
	| 'TUF_BELOW_THRESHOLD'
	/**
	 * A root lists a key under an id that is not that key's digest, or a key that is not Ed25519:
	 * one key could then count twice towards a threshold.
	 */
	| 'TUF_KEY_ID_MISMATCH'
	/** The trusted root the host ships is missing, unreadable or not a self-signed root. */
	| 'TUF_TRUSTED_ROOT_INVALID'
	/** A plain `http://` URL on a host other than the loopback. */
	| 'TUF_INSECURE_URL'
	/** A URL scheme other than https, loopback http or `file://`. */
	| 'TUF_UNSUPPORTED_URL'
	/** Network failure or an HTTP error status. */
	| 'TUF_FETCH_FAILED'
	/** The server did not answer in time. */
	| 'TUF_TIMEOUT'
	/** A file the repository must have is missing (404). */
	| 'TUF_NOT_FOUND'
	/** Metadata larger than the client accepts. */
	| 'TUF_TOO_LARGE'
	/** The signed targets do not list `registry.json` or `blacklist.json`. */
	| 'TUF_TARGET_MISSING'
	/** A verified target is not the document it should be (not JSON, wrong shape, too large). */
	| 'TUF_TARGET_INVALID'
	/** No verified metadata is cached yet, so nothing can be read offline. */
	| 'TUF_NO_CACHE'
	/**
	 * The repository publishes no transparency log (no `log-key.txt` target, or no checkpoint
	 * beside it): refused, since its history could not be checked (D28, D1).
	 */
	| 'TUF_LOG_MISSING'
	/** tuf-js refused the repository for a reason not listed above. */
	| 'TUF_VERIFICATION_FAILED';

export type TufErrorCode = TufRepositoryErrorCode | TufClientErrorCode;

export function tufError(
	code: TufErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<TufErrorCode> {
	return new VouchError(code, message, options);
}

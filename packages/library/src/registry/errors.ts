/** Error codes raised by `src/registry`. Callers and tests branch on these, never on wording. */
import { VouchError, type VouchErrorOptions } from '../core/errors.ts';

export type RegistryErrorCode =
	/** The text is not valid TOML or JSON, or its top level is not a registry. */
	| 'REGISTRY_PARSE_ERROR'
	/** The text, or a count inside it, is over the bounds a client accepts. */
	| 'REGISTRY_TOO_LARGE'
	/** A blacklist entry is malformed: the whole registry is refused (D1, fail safe). */
	| 'BLACKLIST_INVALID'
	/** A plain `http://` registry on a non-loopback host, or a redirect to one. */
	| 'INSECURE_REGISTRY_URL'
	/** A location that is neither a path, `file://`, `http://` nor `https://`. */
	| 'UNSUPPORTED_REGISTRY_URL'
	/** Network failure or a non-2xx status. */
	| 'REGISTRY_FETCH_FAILED'
	/** The server did not answer in time. */
	| 'REGISTRY_TIMEOUT'
	/** A local registry file does not exist or cannot be read. */
	| 'REGISTRY_NOT_FOUND'
	/** Following a redirect would need a second hop (D9): the registry is inconsistent. */
	| 'REDIRECT_CHAIN'
	/** An update changes the plugin UUID without a declared, source-bound move (D7). */
	| 'UUID_CHANGE_REJECTED'
	/** No registry id can be derived from a git URL. */
	| 'INVALID_REGISTRY_ID'
	/** The registry has no plugin with the id given to a maintainer's command. */
	| 'PLUGIN_NOT_IN_REGISTRY'
	/** A registry file cannot be edited safely (a layout the editor does not handle, a clashing pin). */
	| 'REGISTRY_EDIT_REFUSED'
	/** An edit would add an id, UUID, URL, ref, redirect or blacklist entry the registry has already. */
	| 'DUPLICATE_ENTRY'
	/** The ref, redirect or blacklist entry an edit names is not there. */
	| 'ENTRY_NOT_FOUND'
	/** A trust or URL change without a reason, or a value an edit cannot take (refs spec, scheme, pattern). */
	| 'INVALID_EDIT'
	/** The change journal beside a registry file is unreadable or holds a malformed record. */
	| 'REGISTRY_JOURNAL_INVALID';

export function registryError(
	code: RegistryErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<RegistryErrorCode> {
	return new VouchError(code, message, options);
}

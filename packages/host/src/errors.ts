/** Error codes raised by the Node host. Callers and tests branch on these, never on wording. */
import { VouchError, type VouchErrorOptions } from '@vouch/library';

export type HostErrorCode =
	/** The manifest names no loadable entry, or the entry is missing or leaves the plugin. */
	| 'ENTRY_INVALID'
	/** A symlink in the plugin's tree or data directory leads outside it (D29). */
	| 'SYMLINK_ESCAPE'
	/** A plugin process broke the host protocol (a malformed or oversized message). */
	| 'PROTOCOL_VIOLATION'
	/** A call across the process boundary got no answer in time. */
	| 'CALL_TIMEOUT'
	/** The plugin process ended while a call was waiting. */
	| 'PLUGIN_EXITED'
	/** The plugin's own code threw or rejected. */
	| 'PLUGIN_FAILED'
	/** `api.fetch` to an origin the plugin did not declare, or without the network capability. */
	| 'FETCH_NOT_ALLOWED'
	/** The host was given an option it cannot honour. */
	| 'INVALID_HOST_OPTIONS';

export function hostError(
	code: HostErrorCode,
	message: string,
	options?: VouchErrorOptions,
): VouchError<HostErrorCode> {
	return new VouchError(code, message, options);
}

/**
 * HTTP cache validators (ETag and Last-Modified) of a cached registry copy. They are read
 * from server headers, stored in a user-writable cache file and sent back in later requests,
 * so each one is checked at every step: bounded, visible ASCII only. One that fails is
 * dropped, which only makes the next request less conditional, never unsafe.
 */

/** HTTP cache validators of a copy the caller already holds. */
export interface RegistryValidators {
	/** Sent as If-None-Match. */
	etag?: string;
	/** Sent as If-Modified-Since. */
	lastModified?: string;
}

/** Longest validator kept or sent; real ETags and HTTP dates are far shorter. */
export const MAX_VALIDATOR_LENGTH = 512;

/** Visible ASCII and spaces only, bounded: safe to store, print and send back as a header. */
export function usableValidator(value: string | null | undefined): string | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	if (text.length === 0 || text.length > MAX_VALIDATOR_LENGTH) return undefined;
	return /^[\x20-\x7e]+$/.test(text) ? text : undefined;
}

/** The usable validators among these; absent keys stay absent. */
export function usableValidators(
	validators: { etag?: string | null; lastModified?: string | null } | undefined,
): RegistryValidators {
	const etag = usableValidator(validators?.etag);
	const lastModified = usableValidator(validators?.lastModified);
	return {
		...(etag === undefined ? {} : { etag }),
		...(lastModified === undefined ? {} : { lastModified }),
	};
}

/** Whether a request with these validators is conditional at all. */
export function isConditional(validators: RegistryValidators): boolean {
	return validators.etag !== undefined || validators.lastModified !== undefined;
}

/** The conditional-request headers for these validators (already made usable). */
export function conditionalHeaders(validators: RegistryValidators): Record<string, string> {
	return {
		...(validators.etag === undefined ? {} : { 'if-none-match': validators.etag }),
		...(validators.lastModified === undefined
			? {}
			: { 'if-modified-since': validators.lastModified }),
	};
}

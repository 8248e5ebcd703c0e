/**
 * Strong ETags and `If-None-Match`, shared by the API, the Picard files and the signed files:
 * a client polling an unchanged document gets a 304 with no body.
 */
import { createHash } from 'node:crypto';
import { JSON_TYPE, jsonText } from './json-text.ts';

export { JSON_TYPE };

export function strongEtag(hexDigest: string): string {
	return `"${hexDigest}"`;
}

export function etagOf(body: string | Uint8Array): string {
	return strongEtag(createHash('sha256').update(body).digest('hex'));
}

/** True when `If-None-Match` names this ETag (or `*`); weak forms compare equal, as RFC 9110 says. */
export function notModified(ifNoneMatch: string | undefined, etag: string): boolean {
	if (ifNoneMatch === undefined || ifNoneMatch.length > 4096) return false;
	for (const part of ifNoneMatch.split(',')) {
		const tag = part.trim();
		if (tag === '*' || tag === etag || tag === `W/${etag}`) return true;
	}
	return false;
}

export interface CachedBody {
	body: string | Uint8Array;
	contentType: string;
	cacheControl: string;
	etag?: string;
}

/** A 200 with the body, or a 304 without it when the client holds this version. */
export function conditionalResponse(ifNoneMatch: string | undefined, cached: CachedBody): Response {
	const etag = cached.etag ?? etagOf(cached.body);
	const headers = new Headers({ ETag: etag, 'Cache-Control': cached.cacheControl });
	if (notModified(ifNoneMatch, etag)) return new Response(null, { status: 304, headers });
	headers.set('Content-Type', cached.contentType);
	return new Response(cached.body, { status: 200, headers });
}

/** Public API reads: cached briefly, then revalidated with the ETag. */
export const API_CACHE_CONTROL = 'public, max-age=5, must-revalidate';

export function jsonResponse(ifNoneMatch: string | undefined, value: unknown): Response {
	return conditionalResponse(ifNoneMatch, {
		body: jsonText(value),
		contentType: JSON_TYPE,
		cacheControl: API_CACHE_CONTROL,
	});
}

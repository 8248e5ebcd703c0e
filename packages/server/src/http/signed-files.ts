/**
 * `/tuf/*`: the signed TUF repository and the transparency log, as the publisher stored them in
 * `repo_files`. A path is accepted only in the exact form the publisher writes (relative,
 * plain segments, no dot segments, no backslash, NUL or percent-encoded tricks); anything else
 * is a 404 without a database query. Immutable files are cached by clients for a year; the
 * others (timestamp, checkpoint) for seconds, then revalidated by their strong ETag.
 */
import { type Context, Hono } from 'hono';
import { timestampVersionOf, type UptakeCounter } from '../incidents/uptake.ts';
import { TIMESTAMP_PATH } from '../publish/timestamp-expiry.ts';
import { conditionalResponse, strongEtag } from './conditional.ts';
import { notFoundResponse } from './error-handler.ts';
import type { RepoFileCache } from './repo-file-cache.ts';

export const IMMUTABLE_CACHE_CONTROL = 'public, max-age=31536000, immutable';
export const MUTABLE_CACHE_CONTROL = 'public, max-age=10, must-revalidate';
const MAX_PATH_CHARS = 512;
const SEGMENT = /^[A-Za-z0-9_+@-][A-Za-z0-9._+@-]*$/;
export const TUF_PREFIX = '/tuf/';

/** The repository-relative path, or undefined when the request path is not a plain one. */
export function repoPath(rawPathname: string): string | undefined {
	if (!rawPathname.startsWith(TUF_PREFIX)) return undefined;
	const encoded = rawPathname.slice(TUF_PREFIX.length);
	// The publisher's names need no escaping: any `%` is an attempt to smuggle a character.
	if (encoded.length === 0 || encoded.length > MAX_PATH_CHARS || encoded.includes('%')) {
		return undefined;
	}
	const segments = encoded.split('/');
	for (const segment of segments) {
		if (!SEGMENT.test(segment) || segment === '.' || segment === '..') return undefined;
	}
	return encoded;
}

export function contentTypeOf(path: string): string {
	if (path.endsWith('.json')) return 'application/json';
	if (path === 'log/checkpoint' || path.endsWith('.pub') || path.startsWith('log/key')) {
		return 'text/plain; charset=utf-8';
	}
	return 'application/octet-stream';
}

export interface UptakeRecording {
	counter: UptakeCounter;
	/** The client's address as the rate limiter sees it (the socket's, or the proxy's header). */
	clientAddress: (c: Context) => string;
}

/**
 * Counts host uptake: each fetch of `timestamp.json` (a 200 or a 304: both mean the client
 * holds this version) records the version for the client, in the per-process counter.
 */
function uptakeRecorder(recording: UptakeRecording | undefined) {
	let parsed: { sha256: string; version: number | undefined } | undefined;
	return (c: Context, file: { sha256: string; bytes: Uint8Array }) => {
		if (recording === undefined) return;
		if (parsed?.sha256 !== file.sha256)
			parsed = { sha256: file.sha256, version: timestampVersionOf(file.bytes) };
		if (parsed.version !== undefined)
			recording.counter.record(parsed.version, recording.clientAddress(c));
	};
}

export function signedFiles(files: RepoFileCache, uptake?: UptakeRecording): Hono {
	const routes = new Hono();
	const recordUptake = uptakeRecorder(uptake);
	routes.get('/*', async (c) => {
		// The raw pathname: before any decoding hono does for routing.
		const url = c.req.url;
		const start = url.indexOf('/', url.indexOf('//') + 2);
		const end = url.indexOf('?', start);
		const path = repoPath(end === -1 ? url.slice(start) : url.slice(start, end));
		const file = path === undefined ? undefined : await files.get(path);
		if (path === undefined || file === undefined) return notFoundResponse(c);
		if (path === TIMESTAMP_PATH) recordUptake(c, file);
		return conditionalResponse(c.req.header('if-none-match'), {
			body: file.bytes,
			contentType: contentTypeOf(path),
			cacheControl: file.immutable ? IMMUTABLE_CACHE_CONTROL : MUTABLE_CACHE_CONTROL,
			etag: strongEtag(file.sha256),
		});
	});
	return routes;
}

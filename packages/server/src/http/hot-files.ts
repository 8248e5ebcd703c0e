/**
 * The hot path for the two files every host polls: `timestamp.json` and the log checkpoint.
 * Almost every such request is a conditional GET answered 304, so it is answered here, in a
 * plain `node:http` listener in front of the app, with headers built once per file version,
 * instead of through the framework's request and response objects and its middleware chain.
 *
 * Only an exact `GET` or `HEAD` of one of these paths, without a query string or a body, is
 * taken; everything else (and any request this path cannot answer itself: a missing file, a
 * database error, a client over its rate limit) goes to the app unchanged, which answers it as
 * it answers any other. What the hot path answers is what the app would: the same bytes, ETag,
 * `Cache-Control`, the same security headers (`security-headers.ts`), and the same per-client
 * read budget, taken from the same limiter.
 */
import type { IncomingMessage, RequestListener, ServerResponse } from 'node:http';
import { timestampVersionOf, type UptakeCounter } from '../incidents/uptake.ts';
import { TIMESTAMP_PATH } from '../publish/timestamp-expiry.ts';
import { notModified, strongEtag } from './conditional.ts';
import { CHECKPOINT_PATH } from './file-version.ts';
import { clientOf, type RateLimiter } from './rate-limit.ts';
import type { RepoFile, RepoFileCache } from './repo-file-cache.ts';
import { SECURITY_HEADERS } from './security-headers.ts';
import {
	contentTypeOf,
	IMMUTABLE_CACHE_CONTROL,
	MUTABLE_CACHE_CONTROL,
	TUF_PREFIX,
} from './signed-files.ts';

/** Request targets taken by the hot path, and the repository file each one is. */
export const HOT_FILES: ReadonlyMap<string, string> = new Map(
	[TIMESTAMP_PATH, CHECKPOINT_PATH].map((path) => [`${TUF_PREFIX}${path}`, path]),
);

export interface HotFilesOptions {
	/** The cache the app's `/tuf/` route reads too, so both serve the same version. */
	files: RepoFileCache;
	/** The app's own limiter, when rate limiting is on. */
	rateLimit?: { limiter: RateLimiter; trustProxy: boolean };
	/** Host uptake: every `timestamp.json` answered here counts, as it does in the app. */
	uptake?: { counter: UptakeCounter; trustProxy: boolean };
}

interface Prepared {
	/** The timestamp's version, for uptake; undefined for other files. */
	timestampVersion: number | undefined;
	etag: string;
	body: Uint8Array;
	notModified: string[];
	ok: string[];
}

const SECURITY_HEADER_LIST = Object.entries(SECURITY_HEADERS).flat();

function prepare(path: string, file: RepoFile): Prepared {
	const etag = strongEtag(file.sha256);
	const common = [
		'ETag',
		etag,
		'Cache-Control',
		file.immutable ? IMMUTABLE_CACHE_CONTROL : MUTABLE_CACHE_CONTROL,
		...SECURITY_HEADER_LIST,
	];
	return {
		timestampVersion: path === TIMESTAMP_PATH ? timestampVersionOf(file.bytes) : undefined,
		etag,
		body: file.bytes,
		notModified: common,
		ok: [
			...common,
			'Content-Type',
			contentTypeOf(path),
			'Content-Length',
			String(file.bytes.byteLength),
		],
	};
}

/** `next` with the hot files answered in front of it. */
export function withHotFiles(options: HotFilesOptions, next: RequestListener): RequestListener {
	const { files, rateLimit, uptake } = options;
	const clientAddress = (req: IncomingMessage, trustProxy: boolean) => {
		const forwarded = trustProxy ? req.headers['x-forwarded-for'] : undefined;
		return clientOf(
			Array.isArray(forwarded) ? forwarded.join(',') : forwarded,
			req.socket.remoteAddress,
		);
	};
	const prepared = new WeakMap<RepoFile, Prepared>();

	function answer(req: IncomingMessage, res: ServerResponse, path: string, file: RepoFile) {
		let ready = prepared.get(file);
		if (ready === undefined) {
			ready = prepare(path, file);
			prepared.set(file, ready);
		}
		if (uptake !== undefined && ready.timestampVersion !== undefined) {
			uptake.counter.record(ready.timestampVersion, clientAddress(req, uptake.trustProxy));
		}
		if (notModified(req.headers['if-none-match'], ready.etag)) {
			res.writeHead(304, ready.notModified);
			res.end();
		} else {
			res.writeHead(200, ready.ok);
			res.end(req.method === 'HEAD' ? undefined : ready.body);
		}
	}

	return (req, res) => {
		const path = HOT_FILES.get(req.url ?? '');
		if (
			path === undefined ||
			(req.method !== 'GET' && req.method !== 'HEAD') ||
			// A body on a GET is the body limit's business.
			req.headers['content-length'] !== undefined ||
			req.headers['transfer-encoding'] !== undefined
		) {
			next(req, res);
			return;
		}
		if (rateLimit !== undefined) {
			const client = clientAddress(req, rateLimit.trustProxy);
			// Over budget: the app takes from the same empty bucket and answers its usual 429.
			if (rateLimit.limiter.take(client, 'read') > 0) {
				next(req, res);
				return;
			}
		}
		const fresh = files.peek(path);
		if (fresh?.file !== undefined) {
			answer(req, res, path, fresh.file);
			return;
		}
		if (fresh !== undefined) {
			next(req, res);
			return;
		}
		files.get(path).then(
			(file) => (file === undefined ? next(req, res) : answer(req, res, path, file)),
			// The app reads the file again and, if the database is still failing, says so.
			() => next(req, res),
		);
	};
}

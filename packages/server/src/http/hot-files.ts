/**
 * The hot path for the two files every host polls: `timestamp.json` and the log checkpoint.
 * Almost every such request is a conditional GET answered 304, so it is answered here, with
 * headers built once per file version, instead of through the framework's request and response
 * objects and its middleware chain. It is reached two ways:
 * - straight off the connection (`hot-connections.ts`), for requests in the strict form that
 *   module recognises;
 * - as a plain `node:http` listener in front of the app (`withHotFiles`), for the same requests
 *   on a connection that has already been handed to `node:http`.
 *
 * Only an exact `GET` or `HEAD` of one of these paths, without a query string or a body, is
 * taken; everything else (and any request this path cannot answer itself: a missing file, a
 * database error, a client over its rate limit) goes to the app unchanged, which answers it as
 * it answers any other. What the hot path answers is what the app would: the same bytes, ETag,
 * `Cache-Control`, the same security headers (`security-headers.ts`), and the same per-client
 * read budget, taken from the same limiter.
 */
import type { RequestListener } from 'node:http';
import type { Socket } from 'node:net';
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
	rateLimiter?: RateLimiter;
	/** Host uptake: every `timestamp.json` answered here counts, as it does in the app. */
	uptake?: UptakeCounter;
	/** Whether the client is the last `X-Forwarded-For` address (behind a proxy), as in the app. */
	trustProxy: boolean;
}

/** One file version's answers, built once and reused for every request for it. */
export interface HotAnswer {
	etag: string;
	body: Uint8Array;
	/** Header name/value pairs of a 304 and of a 200, for `node:http`. */
	notModifiedHeaders: string[];
	okHeaders: string[];
	/** The same headers as wire text (each line ending CRLF), for the connection layer. */
	notModifiedText: string;
	okText: string;
}

/** The client a hot request comes from: its connection, and the proxy's header if trusted. */
export interface HotClient {
	socket: Socket;
	/** `X-Forwarded-For`, only when the proxy is trusted; undefined otherwise. */
	forwarded: string | undefined;
}

export interface HotFiles {
	/**
	 * What to answer a `GET` or `HEAD` of `target`: the file's answers, or undefined when the
	 * app must answer (not a hot file, no such file, a database error, over the rate limit).
	 * A promise only when the file has to be read first.
	 */
	answerFor(
		target: string,
		client: HotClient,
	): HotAnswer | undefined | Promise<HotAnswer | undefined>;
}

/**
 * What the hot path knows about the client of one connection. A host keeps its connection
 * open between polls, and a proxy sends many requests down one, so the client's key (and
 * its uptake hash, an HMAC) is worked out once per connection, and again only when a
 * proxy's forwarded header names another client.
 */
interface ConnectionClient {
	forwarded: string | undefined;
	/** The rate limiter's key for the client (`clientOf`). */
	client: string;
	uptakeKey?: string;
	/**
	 * The timestamp version this connection last recorded for the client. Recording it again
	 * would only refresh the client's recency, so it is recorded once per connection and version.
	 */
	uptakeVersion?: number;
}

interface Prepared extends HotAnswer {
	/** The timestamp's version, for uptake; undefined for other files. */
	timestampVersion: number | undefined;
}

const SECURITY_HEADER_LIST = Object.entries(SECURITY_HEADERS).flat();

function wireText(pairs: readonly string[]): string {
	let text = '';
	for (let i = 0; i < pairs.length; i += 2) text += `${pairs[i]}: ${pairs[i + 1]}\r\n`;
	return text;
}

function prepare(path: string, file: RepoFile): Prepared {
	const etag = strongEtag(file.sha256);
	const common = [
		'ETag',
		etag,
		'Cache-Control',
		file.immutable ? IMMUTABLE_CACHE_CONTROL : MUTABLE_CACHE_CONTROL,
		...SECURITY_HEADER_LIST,
	];
	const ok = [
		...common,
		'Content-Type',
		contentTypeOf(path),
		'Content-Length',
		String(file.bytes.byteLength),
	];
	return {
		timestampVersion: path === TIMESTAMP_PATH ? timestampVersionOf(file.bytes) : undefined,
		etag,
		body: file.bytes,
		notModifiedHeaders: common,
		okHeaders: ok,
		notModifiedText: wireText(common),
		okText: wireText(ok),
	};
}

export function createHotFiles(options: HotFilesOptions): HotFiles {
	const { files, rateLimiter, uptake } = options;
	const prepared = new WeakMap<RepoFile, Prepared>();
	const connections = new WeakMap<Socket, ConnectionClient>();

	function clientOfConnection({ socket, forwarded }: HotClient): ConnectionClient {
		const kept = connections.get(socket);
		if (kept !== undefined && kept.forwarded === forwarded) return kept;
		const fresh: ConnectionClient = {
			forwarded,
			client: clientOf(forwarded, socket.remoteAddress),
		};
		connections.set(socket, fresh);
		return fresh;
	}

	function answerWith(path: string, file: RepoFile, client: HotClient): HotAnswer {
		let ready = prepared.get(file);
		if (ready === undefined) {
			ready = prepare(path, file);
			prepared.set(file, ready);
		}
		if (uptake !== undefined && ready.timestampVersion !== undefined) {
			const connection = clientOfConnection(client);
			if (connection.uptakeVersion !== ready.timestampVersion) {
				connection.uptakeKey ??= uptake.clientKey(connection.client);
				uptake.recordClient(ready.timestampVersion, connection.uptakeKey);
				connection.uptakeVersion = ready.timestampVersion;
			}
		}
		return ready;
	}

	return {
		answerFor(target, client) {
			const path = HOT_FILES.get(target);
			if (path === undefined) return undefined;
			// Over budget: the app takes from the same empty bucket and answers its usual 429.
			if (rateLimiter?.take(clientOfConnection(client).client, 'read')) return undefined;
			const fresh = files.peek(path);
			if (fresh !== undefined) {
				return fresh.file === undefined ? undefined : answerWith(path, fresh.file, client);
			}
			return files.get(path).then(
				(file) => (file === undefined ? undefined : answerWith(path, file, client)),
				// The app reads the file again and, if the database is still failing, says so.
				() => undefined,
			);
		},
	};
}

/** The status and headers for an answer: 304 when the client holds this version. */
export function isNotModified(answer: HotAnswer, ifNoneMatch: string | undefined): boolean {
	return notModified(ifNoneMatch, answer.etag);
}

/** `next` with the hot files answered in front of it, for requests `node:http` has parsed. */
export function withHotFiles(
	hot: HotFiles,
	trustProxy: boolean,
	next: RequestListener,
): RequestListener {
	return (req, res) => {
		if (
			(req.method !== 'GET' && req.method !== 'HEAD') ||
			!HOT_FILES.has(req.url ?? '') ||
			// A body on a GET is the body limit's business.
			req.headers['content-length'] !== undefined ||
			req.headers['transfer-encoding'] !== undefined
		) {
			next(req, res);
			return;
		}
		const header = trustProxy ? req.headers['x-forwarded-for'] : undefined;
		const client = {
			socket: req.socket,
			forwarded: Array.isArray(header) ? header.join(',') : header,
		};
		const respond = (answer: HotAnswer | undefined) => {
			if (answer === undefined) {
				next(req, res);
			} else if (isNotModified(answer, req.headers['if-none-match'])) {
				res.writeHead(304, answer.notModifiedHeaders);
				res.end();
			} else {
				res.writeHead(200, answer.okHeaders);
				res.end(req.method === 'HEAD' ? undefined : answer.body);
			}
		};
		const answer = hot.answerFor(req.url ?? '', client);
		if (answer instanceof Promise) answer.then(respond);
		else respond(answer);
	};
}

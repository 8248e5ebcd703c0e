/**
 * A real `node:http` server on 127.0.0.1 with the hot path in front of a small deterministic
 * app, with or without the connection layer, over an in-memory file cache. The layer and the
 * hot path only ever ask the cache (`RepoFileCache`), so no database is needed to test them:
 * what the database does is the cache's business, tested with the cache.
 */
import { createHash } from 'node:crypto';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { acceptHotConnections, type HotConnections } from '../../src/http/hot-connections.ts';
import {
	createHotFiles,
	HOT_FILES,
	type HotFiles,
	withHotFiles,
} from '../../src/http/hot-files.ts';
import type { RateLimiter } from '../../src/http/rate-limit.ts';
import type { RepoFile, RepoFileCache } from '../../src/http/repo-file-cache.ts';

export const TIMESTAMP = '/tuf/metadata/timestamp.json';
export const CHECKPOINT = '/tuf/log/checkpoint';
export const TIMESTAMP_TEXT = JSON.stringify({
	signed: { _type: 'timestamp', version: 3 },
	signatures: [],
});
export const CHECKPOINT_TEXT = 'vouch\n12\nroot\n';

function repoFile(text: string): RepoFile {
	const bytes = Buffer.from(text);
	return { bytes, sha256: createHash('sha256').update(bytes).digest('hex'), immutable: false };
}

export const FILES: ReadonlyMap<string, RepoFile> = new Map([
	['metadata/timestamp.json', repoFile(TIMESTAMP_TEXT)],
	['log/checkpoint', repoFile(CHECKPOINT_TEXT)],
]);
export const TIMESTAMP_ETAG = `"${FILES.get('metadata/timestamp.json')?.sha256}"`;

/**
 * `cached`: every file is fresh (`peek` answers). `deferred`: `peek` never answers, and each
 * `get` waits until `release()`; after it, gets settle at once, as `outcome` says.
 */
export interface MemoryFiles extends RepoFileCache {
	/** Reads waiting for `release()`. */
	readonly held: number;
	release(): void;
	outcome: 'file' | 'missing' | 'fail';
}

export function memoryFiles(mode: 'cached' | 'deferred'): MemoryFiles {
	const held: (() => void)[] = [];
	let released = mode === 'cached';
	const files: MemoryFiles = {
		outcome: 'file',
		get held() {
			return held.length;
		},
		release() {
			released = true;
			for (const settle of held.splice(0)) settle();
		},
		peek(path) {
			return mode === 'cached' ? { file: FILES.get(path) } : undefined;
		},
		get(path) {
			return new Promise((resolve, reject) => {
				const settle = () => {
					if (files.outcome === 'fail') reject(new Error('the database is down'));
					else resolve(files.outcome === 'missing' ? undefined : FILES.get(path));
				};
				if (released) queueMicrotask(settle);
				else held.push(settle);
			});
		},
		expire() {},
	};
	return files;
}

/**
 * The app behind the hot path. It answers at once (a response that waits for the body could
 * race a client's half-close, and the comparisons need the same answers every time), naming
 * the request and the body it declared, then drains the body.
 */
export const appListener: RequestListener = (req, res) => {
	const body = `${req.method} ${req.url} cl=${req.headers['content-length'] ?? '-'} te=${req.headers['transfer-encoding'] ?? '-'}`;
	res.writeHead(200, {
		'x-answered-by': 'app',
		'content-type': 'text/plain',
		'content-length': Buffer.byteLength(body),
	});
	res.end(body);
	req.resume();
};

/** An app that reads the whole body before it answers, saying how many bytes it read. */
export const countingApp: RequestListener = (req, res) => {
	let bytes = 0;
	req.on('data', (chunk: Buffer) => {
		bytes += chunk.length;
	});
	req.on('end', () => {
		const body = `${req.method} ${req.url} read=${bytes}`;
		res.writeHead(200, {
			'x-answered-by': 'app',
			'content-type': 'text/plain',
			'content-length': Buffer.byteLength(body),
		});
		res.end(body);
	});
};

export interface StackOptions {
	/** With the connection layer in front (default true). */
	layered?: boolean;
	files?: RepoFileCache;
	rateLimiter?: RateLimiter;
	trustProxy?: boolean;
	app?: RequestListener;
	/** Set timeouts here: the layer reads `keepAliveTimeout` when it is put in front. */
	configure?: (server: Server) => void;
	/** `node:http`'s limit on a request head. */
	maxHeaderSize?: number;
	/** `node:http`'s own check of header and request timeouts, in ms. */
	connectionsCheckingInterval?: number;
	/**
	 * Say `node:http`'s 400 (or 431) for a request it cannot parse only once every answer before
	 * it has gone out, then close gracefully. By default `node:http` drops the answers still
	 * queued behind one in flight and resets the connection, so which answers a client gets
	 * depends on how the bytes happened to arrive; comparisons need the same answers every time.
	 */
	settledClientErrors?: boolean;
}

export interface Stack {
	server: Server;
	port: number;
	hot: HotFiles;
	/** Undefined without the layer. */
	connections: HotConnections | undefined;
	close(): Promise<void>;
}

export async function startStack(options: StackOptions = {}): Promise<Stack> {
	const trustProxy = options.trustProxy ?? false;
	const hot = createHotFiles({
		files: options.files ?? memoryFiles('cached'),
		trustProxy,
		...(options.rateLimiter === undefined ? {} : { rateLimiter: options.rateLimiter }),
	});
	const listener = withHotFiles(hot, trustProxy, options.app ?? appListener);
	const server = createServer(
		{
			connectionsCheckingInterval: options.connectionsCheckingInterval ?? 30_000,
			...(options.maxHeaderSize === undefined ? {} : { maxHeaderSize: options.maxHeaderSize }),
		},
		options.settledClientErrors === true ? settlingErrors(listener) : listener,
	);
	if (options.settledClientErrors === true) server.on('clientError', settleClientError);
	options.configure?.(server);
	const connections =
		options.layered === false
			? undefined
			: acceptHotConnections(server, hot, HOT_FILES, trustProxy);
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		server,
		port,
		hot,
		connections,
		close: () =>
			new Promise<void>((resolve) => {
				server.close(() => resolve());
				server.closeAllConnections();
				connections?.closeIdle();
			}),
	};
}

/** Answers a socket still owes; a parse error waiting for them to go out. */
const owed = new WeakMap<Socket, { answers: number; closing?: boolean; error?: () => void }>();

function settlingErrors(listener: RequestListener): RequestListener {
	return (req, res) => {
		const socket = req.socket;
		const state = owed.get(socket) ?? { answers: 0 };
		owed.set(socket, state);
		state.answers++;
		res.once('close', () => {
			// An answer that closes the connection is the last thing said on it.
			if (!res.shouldKeepAlive || res.getHeader('connection') === 'close') state.closing = true;
			state.answers--;
			if (state.answers === 0) state.error?.();
		});
		listener(req, res);
	};
}

function settleClientError(error: NodeJS.ErrnoException, socket: Duplex): void {
	const state = owed.get(socket as Socket) ?? { answers: 0 };
	owed.set(socket as Socket, state);
	if (state.error !== undefined) return;
	state.error = () => {
		// `node:http`'s own rule too: nothing after an answer it has begun (its 400 for a missing
		// Host is one, and never reaches the listener).
		const inFlight = (socket as Socket & { _httpMessage?: { headersSent: boolean } | null })
			._httpMessage;
		if (!socket.writable || state.closing === true || inFlight?.headersSent === true) {
			socket.destroy();
			return;
		}
		const status =
			error.code === 'HPE_HEADER_OVERFLOW'
				? '431 Request Header Fields Too Large'
				: '400 Bad Request';
		socket.end(`HTTP/1.1 ${status}\r\nConnection: close\r\n\r\n`);
	};
	if (state.answers === 0) state.error();
}

export interface HotRequest {
	method?: string;
	target?: string;
	headers?: [string, string][];
}

/** A request in the strict form the layer answers itself, unless the caller says otherwise. */
export function hotRequest(request: HotRequest = {}): string {
	const headers = request.headers ?? [['Host', 'registry.test']];
	const lines = headers.map(([name, value]) => `${name}: ${value}\r\n`).join('');
	return `${request.method ?? 'GET'} ${request.target ?? TIMESTAMP} HTTP/1.1\r\n${lines}\r\n`;
}

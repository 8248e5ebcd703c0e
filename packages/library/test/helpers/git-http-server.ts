/**
 * git's smart HTTP protocol on 127.0.0.1, for tests: every request runs `git http-backend` as a
 * CGI program over the repositories under `root` (bare, or working trees with a `.git`).
 *
 * Test modes:
 * - `shaFetch: 'refuse'` makes the server refuse to send a commit asked for by id (as some
 *   hosts do). Protocol v2 always allows reachable ids, so this mode also ignores the client's
 *   `Git-Protocol` header, which keeps the exchange on protocol v0 where the setting holds.
 * - `auth` demands HTTP basic credentials.
 * - `hang` accepts requests and never answers, to exercise client timeouts.
 * - `latencyMs` holds every answer back that long, like a network round trip, for benchmarks
 *   whose subject is waiting on remotes.
 * - `redirect` answers chosen requests with an HTTP redirect instead (see `redirectPrefixes`),
 *   as a moved repository, or a hostile host, would.
 */
import { spawn } from 'node:child_process';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface GitHttpServerOptions {
	/** Directory holding the served repositories (`GIT_PROJECT_ROOT`). */
	root: string;
	/** Whether a client may fetch a reachable commit by id. Default `'allow'`. */
	shaFetch?: 'allow' | 'refuse';
	/** Require HTTP basic authentication with these credentials. */
	auth?: { username: string; password: string };
	/** Accept every request and never answer it. */
	hang?: boolean;
	/** Delay before each request is answered, standing in for a network round trip. */
	latencyMs?: number;
	/** The git executable. Default `git`. */
	gitBinary?: string;
	/** Answers a request with a redirect when it returns one; read on every request. */
	redirect?: (request: IncomingMessage) => { status: number; location: string } | undefined;
}

export interface RedirectRule {
	/** Path prefix on this server, such as `/clean.git`. */
	from: string;
	/** What replaces it in the Location: an absolute URL or a path. */
	to: string;
	/** 301, 302, 307 or 308. Default 302. */
	status?: number;
	/** Only redirect requests whose User-Agent contains this (to tell a probe from git). */
	userAgent?: string;
}

/** A `redirect` option that moves every request under `from` to the same path under `to`. */
export function redirectPrefixes(
	rules: readonly RedirectRule[],
): NonNullable<GitHttpServerOptions['redirect']> {
	return (request) => {
		const url = request.url ?? '/';
		const agent = request.headers['user-agent'] ?? '';
		for (const rule of rules) {
			if (rule.userAgent !== undefined && !agent.includes(rule.userAgent)) continue;
			if (url === rule.from || url.startsWith(`${rule.from}/`) || url.startsWith(`${rule.from}?`)) {
				return { status: rule.status ?? 302, location: `${rule.to}${url.slice(rule.from.length)}` };
			}
		}
		return undefined;
	};
}

export interface GitHttpRequest {
	method: string;
	/** The `User-Agent` header, if sent. */
	userAgent?: string;
	/** Path and query, as received. */
	url: string;
	/** The `Git-Protocol` header (`version=2`), if sent. */
	gitProtocol?: string;
	/** The `Content-Encoding` of the request body (`gzip`), if any. */
	contentEncoding?: string;
}

export interface GitHttpServer {
	/** `http://127.0.0.1:<port>`; a repository at `<root>/a/b` is at `${url}/a/b`. */
	readonly url: string;
	/** Every request received, in order. */
	readonly requests: readonly GitHttpRequest[];
	/** Stops listening and drops open connections (hanging ones included). */
	close(): Promise<void>;
}

/** Largest CGI header block accepted from http-backend. */
const MAX_CGI_HEADER_BYTES = 64 * 1024;

export async function startGitHttpServer(options: GitHttpServerOptions): Promise<GitHttpServer> {
	const requests: GitHttpRequest[] = [];
	const sockets = new Set<Socket>();
	const server = createServer((request, response) => {
		requests.push(describeRequest(request));
		if (options.hang === true) return; // never answered; close() drops the socket
		const redirect = options.redirect?.(request);
		if (redirect !== undefined) {
			response.writeHead(redirect.status, { Location: redirect.location });
			response.end();
			return;
		}
		if (options.auth !== undefined && !authorised(request, options.auth)) {
			response.writeHead(401, {
				'WWW-Authenticate': 'Basic realm="vouch-test"',
				'Content-Type': 'text/plain',
			});
			response.end('authentication required\n');
			return;
		}
		const answer = () => {
			try {
				runBackend(request, response, options);
			} catch (error) {
				// A malformed request path (bad percent-escape) must not take the test process down.
				response.writeHead(400, { 'Content-Type': 'text/plain' });
				response.end(`bad request: ${String(error)}\n`);
			}
		};
		if (options.latencyMs !== undefined && options.latencyMs > 0) {
			setTimeout(answer, options.latencyMs);
		} else {
			answer();
		}
	});
	server.on('connection', (socket) => {
		sockets.add(socket);
		socket.on('close', () => sockets.delete(socket));
	});
	await new Promise<void>((resolve, reject) => {
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => resolve());
	});
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}`,
		requests,
		close: () =>
			new Promise<void>((resolve) => {
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

function describeRequest(request: IncomingMessage): GitHttpRequest {
	const entry: GitHttpRequest = { method: request.method ?? '?', url: request.url ?? '' };
	const agent = request.headers['user-agent'];
	if (agent !== undefined) entry.userAgent = agent;
	const protocol = request.headers['git-protocol'];
	if (typeof protocol === 'string') entry.gitProtocol = protocol;
	const encoding = request.headers['content-encoding'];
	if (encoding !== undefined) entry.contentEncoding = encoding;
	return entry;
}

function authorised(request: IncomingMessage, expected: { username: string; password: string }) {
	const header = request.headers.authorization ?? '';
	if (!header.startsWith('Basic ')) return false;
	const decoded = Buffer.from(header.slice(6), 'base64').toString('utf8');
	return decoded === `${expected.username}:${expected.password}`;
}

function backendEnv(request: IncomingMessage, options: GitHttpServerOptions): NodeJS.ProcessEnv {
	const url = new URL(request.url ?? '/', 'http://127.0.0.1');
	const env: NodeJS.ProcessEnv = {};
	for (const [name, value] of Object.entries(process.env)) {
		if (!name.startsWith('GIT_')) env[name] = value;
	}
	const refuseSha = options.shaFetch === 'refuse';
	Object.assign(env, {
		GIT_CONFIG_GLOBAL: '/dev/null',
		GIT_CONFIG_NOSYSTEM: '1',
		GIT_PROJECT_ROOT: options.root,
		GIT_HTTP_EXPORT_ALL: '1',
		REQUEST_METHOD: request.method ?? 'GET',
		PATH_INFO: decodeURIComponent(url.pathname),
		QUERY_STRING: url.search.replace(/^\?/, ''),
		CONTENT_TYPE: request.headers['content-type'] ?? '',
		REMOTE_ADDR: request.socket.remoteAddress ?? '127.0.0.1',
		// Config for upload-pack, given per server rather than written into the repositories.
		GIT_CONFIG_COUNT: '2',
		GIT_CONFIG_KEY_0: 'uploadpack.allowReachableSHA1InWant',
		GIT_CONFIG_VALUE_0: refuseSha ? 'false' : 'true',
		GIT_CONFIG_KEY_1: 'uploadpack.allowAnySHA1InWant',
		GIT_CONFIG_VALUE_1: 'false',
	});
	const length = request.headers['content-length'];
	// Without a length (a chunked upload), http-backend reads the body to its end.
	if (length !== undefined) env.CONTENT_LENGTH = length;
	const encoding = request.headers['content-encoding'];
	if (encoding !== undefined) env.HTTP_CONTENT_ENCODING = encoding;
	const protocol = request.headers['git-protocol'];
	if (typeof protocol === 'string' && !refuseSha) env.GIT_PROTOCOL = protocol;
	if (options.auth !== undefined) env.REMOTE_USER = options.auth.username;
	return env;
}

function runBackend(
	request: IncomingMessage,
	response: ServerResponse,
	options: GitHttpServerOptions,
): void {
	const child = spawn(options.gitBinary ?? 'git', ['http-backend'], {
		env: backendEnv(request, options),
		stdio: ['pipe', 'pipe', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		if (stderr.length < 16_384) stderr += chunk.toString('utf8');
	});
	const fail = (status: number, text: string) => {
		if (!response.headersSent) {
			response.writeHead(status, { 'Content-Type': 'text/plain' });
			response.end(`${text}\n`);
		} else {
			response.destroy();
		}
	};
	child.on('error', (error) => fail(500, `http-backend did not start: ${error.message}`));
	response.on('close', () => {
		if (child.exitCode === null) child.kill('SIGKILL');
	});
	request.pipe(child.stdin);
	child.stdin.on('error', () => {
		// The backend may exit before reading the whole body (an error reply); nothing to do.
	});

	let header = Buffer.alloc(0);
	let headersDone = false;
	child.stdout.on('data', (chunk: Buffer) => {
		if (headersDone) {
			response.write(chunk);
			return;
		}
		header = Buffer.concat([header, chunk]);
		const split = findHeaderEnd(header);
		if (split === undefined) {
			if (header.length > MAX_CGI_HEADER_BYTES) {
				child.kill('SIGKILL');
				fail(502, 'http-backend sent an oversized header');
			}
			return;
		}
		headersDone = true;
		writeCgiHeaders(response, header.subarray(0, split.headerEnd).toString('latin1'));
		const body = header.subarray(split.bodyStart);
		if (body.length > 0) response.write(body);
	});
	child.on('close', (code) => {
		if (!headersDone) {
			fail(502, `http-backend exited with ${code}: ${stderr}`);
			return;
		}
		response.end();
	});
}

/** Where the CGI header block ends: the first empty line, CRLF or LF terminated. */
function findHeaderEnd(buffer: Buffer): { headerEnd: number; bodyStart: number } | undefined {
	const crlf = buffer.indexOf('\r\n\r\n');
	const lf = buffer.indexOf('\n\n');
	if (crlf !== -1 && (lf === -1 || crlf < lf)) return { headerEnd: crlf, bodyStart: crlf + 4 };
	if (lf !== -1) return { headerEnd: lf, bodyStart: lf + 2 };
	return undefined;
}

function writeCgiHeaders(response: ServerResponse, block: string): void {
	let status = 200;
	let reason: string | undefined;
	const headers: [string, string][] = [];
	for (const line of block.split(/\r?\n/)) {
		const colon = line.indexOf(':');
		if (colon <= 0) continue;
		const name = line.slice(0, colon).trim();
		const value = line.slice(colon + 1).trim();
		if (name.toLowerCase() === 'status') {
			const match = /^(\d{3})\s*(.*)$/.exec(value);
			if (match?.[1] !== undefined) {
				status = Number(match[1]);
				reason = match[2] === '' ? undefined : match[2];
			}
		} else {
			headers.push([name, value]);
		}
	}
	response.statusCode = status;
	if (reason !== undefined) response.statusMessage = reason;
	for (const [name, value] of headers) response.appendHeader(name, value);
	response.flushHeaders();
}

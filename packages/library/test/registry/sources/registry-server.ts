/**
 * A registry server on 127.0.0.1 for the source and cache tests. It serves registry documents
 * with an ETag and a Last-Modified, answers conditional requests with 304 the way a real server
 * does, counts and records every request, and can be switched to fail.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordedRequest {
	path: string;
	headers: IncomingHttpHeaders;
}

export type RouteBehaviour =
	| { kind: 'registry'; text: string; contentType?: string; lastModified?: string }
	| { kind: 'status'; status: number }
	/** Closes the socket without an answer: a network failure as the client sees it. */
	| { kind: 'drop' }
	/** Never answers: only the client's timeout ends the request. */
	| { kind: 'hang' };

export interface RegistryServer {
	base: string;
	requests: RecordedRequest[];
	route(path: string, behaviour: RouteBehaviour): void;
	/** Requests made to one path. */
	count(path: string): number;
	close(): Promise<void>;
}

export const LAST_MODIFIED = 'Sat, 21 Nov 2026 10:00:00 GMT';

export function etagOf(text: string): string {
	return `"${createHash('sha256').update(text).digest('hex').slice(0, 16)}"`;
}

export async function startRegistryServer(): Promise<RegistryServer> {
	const routes = new Map<string, RouteBehaviour>();
	const requests: RecordedRequest[] = [];
	const server: Server = createServer((req, res) => {
		const path = req.url ?? '/';
		requests.push({ path, headers: req.headers });
		const behaviour = routes.get(path);
		if (behaviour === undefined) {
			res.writeHead(404).end('not found');
			return;
		}
		if (behaviour.kind === 'drop') {
			req.socket.destroy();
			return;
		}
		if (behaviour.kind === 'hang') return;
		if (behaviour.kind === 'status') {
			res.writeHead(behaviour.status).end('failure');
			return;
		}
		const etag = etagOf(behaviour.text);
		const lastModified = behaviour.lastModified ?? LAST_MODIFIED;
		const validators = { etag, 'last-modified': lastModified };
		const matches =
			req.headers['if-none-match'] !== undefined
				? req.headers['if-none-match'] === etag
				: req.headers['if-modified-since'] === lastModified;
		if (matches) {
			res.writeHead(304, validators).end();
			return;
		}
		res
			.writeHead(200, {
				...validators,
				'content-type': behaviour.contentType ?? 'application/json',
			})
			.end(behaviour.text);
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	return {
		base,
		requests,
		route: (path, behaviour) => routes.set(path, behaviour),
		count: (path) => requests.filter((request) => request.path === path).length,
		close: async () => {
			server.closeAllConnections();
			await new Promise<void>((resolve) => server.close(() => resolve()));
		},
	};
}

/** A loopback URL whose port nobody listens on: the connection is refused. */
export async function refusedUrl(path = '/plugins.json'): Promise<string> {
	const server = createServer();
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const port = (server.address() as AddressInfo).port;
	await new Promise<void>((resolve) => server.close(() => resolve()));
	return `http://127.0.0.1:${port}${path}`;
}

/**
 * An HTTP proxy on 127.0.0.1 in front of the test git server that holds the first ref
 * listings (`GET .../info/refs`) until a given number of them have arrived, then lets them all
 * through at once. Each `vouch install` reads the state before it lists refs, so once the
 * barrier opens, every process has decided "not installed yet" before any of them commits:
 * the race the store's lock and re-check must settle, made certain instead of left to timing.
 */
import { createServer, type IncomingMessage, request, type ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';

export interface BarrierProxy {
	/** `http://127.0.0.1:<port>`, standing in for the git server's URL. */
	readonly url: string;
	/** How the held requests were let go: all parties arrived, or `release()` was called. */
	readonly openedBy: 'barrier' | 'release' | undefined;
	readonly arrived: number;
	/** Lets every held request through (a party that died will never arrive). */
	release(): void;
	close(): Promise<void>;
}

export async function startBarrierProxy(options: {
	target: string;
	parties: number;
}): Promise<BarrierProxy> {
	const target = new URL(options.target);
	const held: (() => void)[] = [];
	const sockets = new Set<Socket>();
	let arrived = 0;
	let openedBy: BarrierProxy['openedBy'];
	const open = (by: 'barrier' | 'release') => {
		if (openedBy !== undefined) return;
		openedBy = by;
		for (const forward of held.splice(0)) forward();
	};
	const server = createServer((incoming, response) => {
		const forward = () => forwardTo(target, incoming, response);
		const isListing = incoming.method === 'GET' && /\/info\/refs(\?|$)/.test(incoming.url ?? '');
		if (openedBy !== undefined || !isListing) {
			forward();
			return;
		}
		held.push(forward);
		arrived++;
		if (arrived >= options.parties) open('barrier');
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
		get openedBy() {
			return openedBy;
		},
		get arrived() {
			return arrived;
		},
		release: () => open('release'),
		close: () =>
			new Promise<void>((resolve) => {
				open('release');
				for (const socket of sockets) socket.destroy();
				server.close(() => resolve());
			}),
	};
}

function forwardTo(target: URL, incoming: IncomingMessage, response: ServerResponse): void {
	const outgoing = request(
		{
			hostname: target.hostname,
			port: target.port,
			method: incoming.method,
			path: incoming.url,
			headers: { ...incoming.headers, host: target.host },
		},
		(answer) => {
			response.writeHead(answer.statusCode ?? 502, answer.headers);
			answer.pipe(response);
		},
	);
	outgoing.on('error', (error) => {
		if (!response.headersSent) response.writeHead(502, { 'Content-Type': 'text/plain' });
		response.end(`proxy: ${error.message}\n`);
	});
	incoming.pipe(outgoing);
}

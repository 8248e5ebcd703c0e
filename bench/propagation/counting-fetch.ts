/**
 * A `fetch` for one simulated host, over its own keep-alive connection (node:http, one socket),
 * that counts the bytes each response took on the wire, status line and headers included. The
 * socket's `bytesRead` before and after a response is exactly that, because the host sends one
 * request at a time on it: what the service served to this host, measured where the host sees it.
 *
 * Only what the library's TUF client and the poll loop ask of `fetch`: GET, request headers,
 * `redirect: 'manual'` (node:http never follows), an abort signal, a streamed body.
 */
import { type Agent, type IncomingMessage, request } from 'node:http';
import type { Socket } from 'node:net';
import { Readable } from 'node:stream';

export interface WireRecord {
	url: string;
	status: number;
	/** Response bytes read from the socket: status line, headers and body. */
	bytes: number;
}

export type CountingFetch = typeof fetch;

/** `fetch` over `agent`, calling `record` once per response when its body has been read or dropped. */
export function countingFetch(agent: Agent, record: (entry: WireRecord) => void): CountingFetch {
	return ((input: string | URL | Request, init?: RequestInit) => {
		const url = new URL(input instanceof Request ? input.url : input.toString());
		if (url.protocol !== 'http:') {
			return Promise.reject(new Error(`the simulation speaks plain http only, not ${url.href}`));
		}
		const headers: Record<string, string> = {};
		new Headers(init?.headers).forEach((value, name) => {
			headers[name] = value;
		});
		return new Promise<Response>((resolve, reject) => {
			let socket: Socket | undefined;
			let startBytes = 0;
			const req = request(
				url,
				{
					method: 'GET',
					agent,
					headers,
					...(init?.signal ? { signal: init.signal } : {}),
				},
				(res) =>
					resolve(
						toResponse(url, res, () => (socket?.bytesRead ?? startBytes) - startBytes, record),
					),
			);
			req.on('socket', (assigned) => {
				// Kept here: the response gives the socket back to the agent before its 'end'.
				socket = assigned;
				startBytes = assigned.bytesRead;
			});
			req.on('error', reject);
			req.end();
		});
	}) as CountingFetch;
}

function toResponse(
	url: URL,
	res: IncomingMessage,
	readSoFar: () => number,
	record: (entry: WireRecord) => void,
): Response {
	const status = res.statusCode ?? 0;
	let recorded = false;
	const finish = () => {
		if (recorded) return;
		recorded = true;
		record({ url: url.href, status, bytes: readSoFar() });
	};
	// The socket goes back to the agent after 'end', so the count is taken just before.
	res.once('end', finish);
	res.once('close', finish);
	const headers = new Headers();
	for (let i = 0; i + 1 < res.rawHeaders.length; i += 2) {
		headers.append(res.rawHeaders[i] as string, res.rawHeaders[i + 1] as string);
	}
	const bodyless = status === 304 || status === 204 || status < 200;
	if (bodyless) res.resume();
	const body = bodyless ? null : (Readable.toWeb(res) as unknown as ReadableStream<Uint8Array>);
	return new Response(body, { status, statusText: res.statusMessage ?? '', headers });
}

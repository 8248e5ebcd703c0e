/**
 * Raw HTTP/1.1 over a real socket, for tests of the connection layer: a client that writes exact
 * bytes (split where the test says) and records every byte it gets back, and a splitter that
 * cuts those bytes into responses. `node:http`'s own client would refuse or tidy much of what
 * these tests send, so neither side goes through it.
 */
import { connect, type Socket } from 'node:net';

export interface RawResponse {
	status: number;
	/** Lower-case names, values as sent, in order. */
	headers: [string, string][];
	body: Buffer;
}

export interface Exchange {
	responses: RawResponse[];
	/** Bytes after the last whole response (only after a reset may there be any). */
	rest: Buffer;
	/** The server reset the connection (it closed with unread bytes, as after a 400). */
	reset: boolean;
}

export function headerOf(response: RawResponse, name: string): string | undefined {
	return response.headers.find(([key]) => key === name)?.[1];
}

/**
 * Cuts a byte stream into responses. A response whose body does not follow (the next bytes
 * are another status line, or nothing) answered a HEAD.
 */
export function splitResponses(bytes: Buffer): { responses: RawResponse[]; rest: Buffer } {
	const responses: RawResponse[] = [];
	let at = 0;
	while (at < bytes.length) {
		const end = bytes.indexOf('\r\n\r\n', at, 'latin1');
		if (end === -1) break;
		const [statusLine = '', ...lines] = bytes.toString('latin1', at, end).split('\r\n');
		const status = /^HTTP\/1\.1 (\d{3}) /.exec(statusLine)?.[1];
		if (status === undefined) break;
		const headers = lines.map((line): [string, string] => {
			const colon = line.indexOf(':');
			return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()];
		});
		const response: RawResponse = { status: Number(status), headers, body: Buffer.alloc(0) };
		let next = end + 4;
		const length = headerOf(response, 'content-length');
		const nextIsResponse =
			next >= bytes.length || bytes.toString('latin1', next, next + 9) === 'HTTP/1.1 ';
		if (
			response.status < 200 ||
			response.status === 204 ||
			response.status === 304 ||
			(nextIsResponse && length !== '0')
		) {
			// No body, whatever the headers say (or an answer to a HEAD).
		} else if (headerOf(response, 'transfer-encoding') === 'chunked') {
			const parts: Buffer[] = [];
			for (;;) {
				const lineEnd = bytes.indexOf('\r\n', next, 'latin1');
				if (lineEnd === -1) return { responses, rest: bytes.subarray(at) };
				const size = Number.parseInt(bytes.toString('latin1', next, lineEnd), 16);
				next = lineEnd + 2;
				if (size === 0) {
					next += 2;
					break;
				}
				parts.push(bytes.subarray(next, next + size));
				next += size + 2;
			}
			response.body = Buffer.concat(parts);
		} else if (length !== undefined) {
			if (next + Number(length) > bytes.length) break;
			response.body = bytes.subarray(next, next + Number(length));
			next += Number(length);
		} else {
			response.body = bytes.subarray(next);
			next = bytes.length;
		}
		responses.push(response);
		at = next;
	}
	return { responses, rest: bytes.subarray(at) };
}

export interface ExchangeOptions {
	/** Half-close after the last chunk (default true); false: wait for the server to close. */
	halfClose?: boolean;
	/** Called once connected, before anything is written. */
	onSocket?: (socket: Socket) => void;
}

/**
 * Writes `chunks` one after another (each written, then a turn of the event loop, so they
 * tend to arrive apart), then half-closes and reads until the server closes.
 */
export function exchange(
	port: number,
	chunks: readonly Uint8Array[],
	options: ExchangeOptions = {},
): Promise<Exchange> {
	return new Promise((resolve) => {
		const socket = connect(port, '127.0.0.1');
		const received: Buffer[] = [];
		let reset = false;
		socket.on('data', (data: Buffer) => received.push(data));
		socket.on('error', (error: NodeJS.ErrnoException) => {
			if (error.code === 'ECONNRESET' || error.code === 'EPIPE') reset = true;
		});
		socket.on('close', () => {
			const { responses, rest } = splitResponses(Buffer.concat(received));
			resolve({ responses, rest, reset });
		});
		socket.on('connect', async () => {
			options.onSocket?.(socket);
			for (const chunk of chunks) {
				if (!socket.writable) break;
				await new Promise<void>((done) => socket.write(chunk, () => done()));
				await new Promise(setImmediate);
			}
			if (options.halfClose !== false && socket.writable) socket.end();
		});
	});
}

/** Resolves once `predicate` holds, checking on each turn of the event loop. */
export async function until(predicate: () => boolean): Promise<void> {
	while (!predicate()) await new Promise((done) => setTimeout(done, 2));
}

/**
 * The connection layer in front of `node:http`: a host polling `timestamp.json` over a kept-alive
 * connection is answered straight from the socket, without a request or response object, a
 * parser callback or a timer per request. Most of a 304's cost in `node:http` is that
 * machinery, not the answer, so this is what brings the service near a static file server.
 *
 * Every connection starts here. Requests are read in the strict form `hot-request-head.ts`
 * recognises and answered through the shared hot path (`hot-files.ts`). The first request
 * that is anything else (or that the hot path declines: a missing file, a client over its
 * budget) hands the connection to `node:http`: the bytes not yet answered are put back on the
 * socket, and the server's own connection listener takes it from there, for good. `node:http`
 * then parses, limits and times out that connection exactly as it does any other, so what the
 * app sees does not change.
 *
 * Bounds while a connection is here: a request head of at most `MAX_HOT_HEAD_BYTES` (less when
 * the server's own `maxHeaderSize` is smaller), which must arrive within the server's
 * keep-alive timeout of its first byte (or the connection is handed on, to `node:http`'s header
 * timeout); an idle connection closed after the same timeout, as `node:http` closes one; and
 * nothing more read while a client is not reading its answers.
 */
import { maxHeaderSize, type Server } from 'node:http';
import type { Socket } from 'node:net';
import { type HotAnswer, type HotFiles, isNotModified } from './hot-files.ts';
import { type HotRequestHead, MAX_HOT_HEAD_BYTES, readHotRequestHead } from './hot-request-head.ts';

export interface HotConnections {
	/** Closes every connection still here that is not in the middle of an answer. */
	closeIdle(): void;
	/** Connections currently answered here (not yet handed to `node:http`). */
	readonly open: number;
}

const HEAD_END = Buffer.from('\r\n\r\n');

/** The `Date` header, made once a second (it has one-second resolution). */
function createDateLine(): () => string {
	let second = -1;
	let line = '';
	return () => {
		const now = Date.now();
		const current = Math.floor(now / 1000);
		if (current !== second) {
			second = current;
			line = `Date: ${new Date(now).toUTCString()}\r\n`;
		}
		return line;
	};
}

interface Layer {
	server: Server;
	hot: HotFiles;
	hotTargets: ReadonlyMap<string, string>;
	trustProxy: boolean;
	timeoutMs: number;
	/** The longest head answered here: no longer than `node:http` itself would take. */
	maxHeadBytes: number;
	/**
	 * Unanswered bytes without a head's end past which no head answered here can be coming: the
	 * longest head and its CRLF CRLF. (With one byte fewer, the end may be on its way.)
	 */
	maxPendingBytes: number;
	dateLine: () => string;
	/** `node:http`'s own connection listeners, for a connection handed on. */
	handOn(socket: Socket): void;
	open: Set<HotConnection>;
	closing: boolean;
}

/** One connection while the layer answers it. */
class HotConnection {
	private pending: Buffer | undefined;
	/** When the oldest unanswered byte arrived. */
	private pendingSince = 0;
	/** When a byte last arrived or an answer last went out. */
	lastActive = Date.now();
	/** An answer is waiting for its file to be read; nothing else on the connection moves. */
	waiting = false;
	private handedOn = false;
	private ended = false;
	/** The unanswered bytes are back in the socket's buffer while the connection waits. */
	private parked = false;
	/** The last head answered and what it said: a poller sends the same bytes each time. */
	private lastHead: Buffer | undefined;
	private lastRead: HotRequestHead | undefined;
	private readonly onPump = () => this.pump();
	private readonly onEnd = () => {
		// The client sends no more; a head it left unfinished can never be answered.
		this.ended = true;
		this.finishIfEnded();
	};
	private readonly onError = () => this.socket.destroy();
	private readonly onClose = () => this.layer.open.delete(this);

	constructor(
		readonly socket: Socket,
		private readonly layer: Layer,
	) {
		socket.setNoDelay(true);
		socket.on('readable', this.onPump);
		socket.on('drain', this.onPump);
		socket.on('error', this.onError);
		socket.on('end', this.onEnd);
		socket.on('close', this.onClose);
		layer.open.add(this);
	}

	/** Called by the layer's sweep: the connection has been quiet for the timeout. */
	timedOut(): void {
		// A head begun and not finished goes on to `node:http` and its header timeout; an idle
		// keep-alive connection is closed, as `node:http` closes one. Not while the server
		// closes: `node:http` has already closed its idle connections then, and one handed to
		// it now (a client that stopped reading, its requests waiting) would hold the close
		// open for as long as the client likes.
		if (!this.layer.closing && (this.pending !== undefined || this.parked)) this.handOn();
		else this.socket.destroy();
	}

	handOn(): void {
		if (this.handedOn) return;
		this.handedOn = true;
		const { socket } = this;
		this.layer.open.delete(this);
		socket.removeListener('readable', this.onPump);
		socket.removeListener('drain', this.onPump);
		socket.removeListener('error', this.onError);
		socket.removeListener('end', this.onEnd);
		socket.removeListener('close', this.onClose);
		if (this.pending !== undefined) socket.unshift(this.pending);
		this.pending = undefined;
		this.layer.handOn(socket);
	}

	/** Reads what has arrived (never more than one head's worth at a time) and answers it. */
	pump(): void {
		const { socket } = this;
		while (!this.handedOn && !this.waiting && !socket.writableNeedDrain) {
			while (this.pending === undefined || this.pending.length < this.layer.maxPendingBytes) {
				const chunk = socket.read() as Buffer | null;
				if (chunk === null) break;
				this.lastActive = Date.now();
				if (this.pending === undefined) {
					this.pending = chunk;
					if (!this.parked) this.pendingSince = this.lastActive;
					this.parked = false;
				} else {
					this.pending = Buffer.concat([this.pending, chunk]);
				}
			}
			const before = this.pending;
			this.answerPending();
			// Stop when nothing more can move: no data left to read, or a head still partial.
			if (socket.readableLength === 0 || this.pending === before) break;
		}
		this.finishIfEnded();
	}

	/** After the client's end, once every whole request it sent is answered: close. */
	private finishIfEnded(): void {
		if (!this.ended || this.handedOn || this.waiting || this.socket.writableNeedDrain) return;
		if (this.pending === undefined || this.pending.indexOf(HEAD_END) === -1) this.socket.end();
	}

	/** Answers every whole request read so far, until one is not ours or one must wait. */
	private answerPending(): void {
		const { socket, layer } = this;
		while (this.pending !== undefined && !this.waiting && !this.handedOn) {
			// A client that does not read its answers gets no more until it does.
			if (socket.writableNeedDrain) {
				this.park();
				return;
			}
			const pending = this.pending;
			const end = pending.indexOf(HEAD_END);
			if (end === -1) {
				if (
					pending.length >= layer.maxPendingBytes ||
					Date.now() - this.pendingSince > layer.timeoutMs
				)
					this.handOn();
				return;
			}
			const head = this.readHead(pending, end);
			if (head === undefined) {
				this.handOn();
				return;
			}
			const client = { socket, forwarded: layer.trustProxy ? head.forwardedFor : undefined };
			const answer = layer.hot.answerFor(head.target, client);
			if (answer === undefined) {
				this.handOn();
				return;
			}
			if (answer instanceof Promise) {
				this.waitFor(answer, head, end);
				return;
			}
			this.consume(end);
			this.write(head, answer);
		}
	}

	private readHead(pending: Buffer, end: number): HotRequestHead | undefined {
		const last = this.lastHead;
		if (last !== undefined && last.length === end && pending.compare(last, 0, end, 0, end) === 0)
			return this.lastRead;
		const head = readHotRequestHead(
			pending.toString('latin1', 0, end),
			this.layer.hotTargets,
			this.layer.maxHeadBytes,
		);
		if (head !== undefined) {
			this.lastHead = Buffer.from(pending.subarray(0, end));
			this.lastRead = head;
		}
		return head;
	}

	/**
	 * Puts the bytes not yet answered back in the socket's buffer while the connection waits (for
	 * a file, or for the client to read). Held here instead, they would let the stream see the
	 * client's end and say so ('end'); a connection handed on after the wait could then never
	 * give them to `node:http` (a stream takes nothing back after its end), and every request the
	 * client sent before half-closing would go unanswered. In the buffer, they hold the end back
	 * until they are read again.
	 */
	private park(): void {
		if (this.pending === undefined) return;
		this.socket.unshift(this.pending);
		this.pending = undefined;
		this.parked = true;
	}

	/** Takes the parked bytes (and any that came after them) back. */
	private unpark(): void {
		if (!this.parked) return;
		const chunk = this.socket.read() as Buffer | null;
		this.parked = false;
		if (chunk !== null) this.pending = chunk;
	}

	/** The file has to be read first: nothing else on this connection moves meanwhile. */
	private waitFor(answer: Promise<HotAnswer | undefined>, head: HotRequestHead, end: number): void {
		this.waiting = true;
		this.park();
		const resume = (ready: HotAnswer | undefined) => {
			this.waiting = false;
			if (this.socket.destroyed || this.handedOn) return;
			if (ready === undefined) {
				// The parked bytes, this request first, are where `node:http` reads them.
				this.handOn();
				return;
			}
			this.unpark();
			this.consume(end);
			this.write(head, ready);
			if (this.layer.closing && this.pending === undefined) this.socket.destroy();
			else this.pump();
		};
		answer.then(resume, () => resume(undefined));
	}

	private consume(end: number): void {
		const after = end + HEAD_END.length;
		this.pending = after === this.pending?.length ? undefined : this.pending?.subarray(after);
		this.lastActive = Date.now();
		this.pendingSince = this.lastActive;
	}

	private write(head: HotRequestHead, answer: HotAnswer): void {
		const { socket, layer } = this;
		if (isNotModified(answer, head.ifNoneMatch)) {
			socket.write(
				`HTTP/1.1 304 Not Modified\r\n${layer.dateLine()}${answer.notModifiedText}\r\n`,
				'latin1',
			);
			return;
		}
		const text = `HTTP/1.1 200 OK\r\n${layer.dateLine()}${answer.okText}\r\n`;
		if (head.method === 'HEAD') {
			socket.write(text, 'latin1');
			return;
		}
		socket.cork();
		socket.write(text, 'latin1');
		socket.write(answer.body);
		socket.uncork();
	}
}

/**
 * Puts the connection layer in front of `server`'s own connection listener. Call it before
 * the server listens. `trustProxy` as for the rate limiter.
 */
export function acceptHotConnections(
	server: Server,
	hot: HotFiles,
	hotTargets: ReadonlyMap<string, string>,
	trustProxy: boolean,
): HotConnections {
	// `node:http` attaches its parser in its own 'connection' listener; it is kept and called
	// for each connection handed on, so nothing of `node:http`'s handling is lost.
	const httpListeners = server.listeners('connection') as ((socket: Socket) => void)[];
	server.removeAllListeners('connection');
	const timeoutMs = server.keepAliveTimeout > 0 ? server.keepAliveTimeout : 5000;
	// A server made with a smaller `maxHeaderSize` answers a longer head 431; the layer must not
	// answer it 200. `node:http` counts only part of a head's bytes against the limit (the
	// target, names and values), so a head shorter than the limit in all is always within it.
	const httpLimit = (server as Server & { maxHeaderSize?: number }).maxHeaderSize ?? maxHeaderSize;
	const maxHeadBytes = Math.min(MAX_HOT_HEAD_BYTES, httpLimit - 1);
	const layer: Layer = {
		server,
		hot,
		hotTargets,
		trustProxy,
		timeoutMs,
		maxHeadBytes,
		maxPendingBytes: maxHeadBytes + HEAD_END.length,
		dateLine: createDateLine(),
		handOn(socket) {
			for (const listener of httpListeners) listener.call(server, socket);
		},
		open: new Set(),
		closing: false,
	};
	// One sweep for every connection, instead of a timer per socket refreshed on every write.
	const sweep = setInterval(
		() => {
			const now = Date.now();
			for (const connection of layer.open) {
				if (!connection.waiting && now - connection.lastActive > timeoutMs) connection.timedOut();
			}
		},
		Math.min(1000, timeoutMs / 2),
	);
	sweep.unref();
	server.once('close', () => clearInterval(sweep));
	server.on('connection', (socket: Socket) => {
		new HotConnection(socket, layer).pump();
	});
	return {
		closeIdle() {
			layer.closing = true;
			for (const connection of layer.open) if (!connection.waiting) connection.socket.destroy();
		},
		get open() {
			return layer.open.size;
		},
	};
}

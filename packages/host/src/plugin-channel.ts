/**
 * The wire between the host and one isolated plugin process: one JSON message per line over
 * a pipe of our own (fd 3 in the child), not Node's IPC channel. The plugin can write raw
 * bytes to that descriptor (descriptor I/O is outside Node 20's permission model), and
 * Node's IPC reader keeps a line of any length and throws in the host on one that is not
 * JSON: one `fs.writeSync(3, 'x\n')` would bring the whole host down. Here a line is
 * bounded, and anything that is not JSON is the plugin's fault, never the host's.
 */

import type { Duplex } from 'node:stream';

/** The descriptor the plugin process finds its end of the channel on. */
export const CHANNEL_FD = 3;

/**
 * UTF-8 takes at most 3 bytes for one UTF-16 code unit (and an invalid byte decodes to one
 * unit), so a line of more than 3 bytes per allowed character is over the limit for sure,
 * before it is complete or decoded.
 */
const MAX_UTF8_BYTES_PER_CHAR = 3;
const NEWLINE = 0x0a;

export interface ChannelReader {
	/** Called with each parsed line, in order, and the line's length in characters. */
	onMessage(value: unknown, chars: number): void;
	/** Called once, with why, when the other side breaks the framing; nothing is read after. */
	onViolation(what: string): void;
	/**
	 * Reads the commonest lines without the JSON parser: the value `JSON.parse` would give, or
	 * undefined to leave the line to it.
	 */
	readCommon?(line: string): unknown;
}

/**
 * Reads newline-delimited JSON from `stream`, each line at most `maxChars` characters.
 *
 * The reader works on bytes: it finds each newline in the chunk as it came (a newline byte
 * never occurs inside a UTF-8 sequence) and decodes only complete lines, so a message that
 * fits in one chunk, the usual case, is decoded once, without copying or joining strings.
 * Only a line split over chunks is kept, as bytes, and that keeping is bounded.
 */
export function readJsonLines(stream: Duplex, maxChars: number, reader: ChannelReader): void {
	const maxBytes = maxChars * MAX_UTF8_BYTES_PER_CHAR;
	let partial: Buffer[] = [];
	let partialBytes = 0;
	let broken = false;
	const fail = (what: string) => {
		if (broken) return;
		broken = true;
		partial = [];
		partialBytes = 0;
		reader.onViolation(what);
	};
	/** Parses one complete line; false when the channel broke. */
	const deliver = (line: string): boolean => {
		if (line.length > maxChars) {
			fail('a message over the size limit');
			return false;
		}
		let value = reader.readCommon?.(line);
		if (value === undefined) {
			try {
				value = JSON.parse(line);
			} catch {
				fail('a message that is not JSON');
				return false;
			}
		}
		reader.onMessage(value, line.length);
		return !broken;
	};
	stream.on('data', (chunk: Buffer | string) => {
		if (broken) return;
		const bytes = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk;
		let start = 0;
		let newline = bytes.indexOf(NEWLINE);
		while (newline !== -1) {
			let line: string;
			if (partialBytes === 0) {
				if (newline - start > maxBytes) return fail('a message over the size limit');
				line = bytes.toString('utf8', start, newline);
			} else {
				// The line began in an earlier chunk: join its bytes once, now that it is whole.
				if (partialBytes + newline > maxBytes) return fail('a message over the size limit');
				partial.push(bytes.subarray(0, newline));
				line = Buffer.concat(partial, partialBytes + newline).toString('utf8');
				partial = [];
				partialBytes = 0;
			}
			if (!deliver(line)) return;
			start = newline + 1;
			newline = bytes.indexOf(NEWLINE, start);
		}
		if (start < bytes.length) {
			// Copied: a view would keep the whole chunk's memory alive for a few bytes.
			partial.push(Buffer.from(bytes.subarray(start)));
			partialBytes += bytes.length - start;
			if (partialBytes > maxBytes) fail('a message over the size limit');
		}
	});
	// A pipe error (the process died mid-write) is an exit, reported by the process itself.
	stream.on('error', () => undefined);
}

/**
 * Bytes queued for the other side, past which it counts as not reading its end. A plugin can
 * write requests to its descriptor with `fs.writeSync` (descriptor I/O is outside Node 20's
 * permission model) while its event loop, kept busy, never reads the answers: unbounded, every
 * answer would wait in the host's memory. The bound leaves room for every call in flight to
 * be answered with a large result.
 */
export const MAX_QUEUED_BYTES = 64 * 1024 * 1024;

/** What became of a write: done, the channel is closed, or the other side does not read. */
export type WriteOutcome = 'written' | 'closed' | 'backlog';

/** Writes one message as one write (one system call when the pipe has room). */
export function writeJsonLine(stream: Duplex, message: unknown): WriteOutcome {
	return writeLine(stream, JSON.stringify(message));
}

/** Writes one line of JSON text already made. */
export function writeLine(stream: Duplex, json: string): WriteOutcome {
	if (stream.destroyed || !stream.writable) return 'closed';
	if (stream.writableLength > MAX_QUEUED_BYTES) return 'backlog';
	stream.write(`${json}\n`);
	return 'written';
}

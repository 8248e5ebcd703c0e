/**
 * The wire between the host and one isolated plugin process: one JSON message per line over
 * a pipe of our own (fd 3 in the child), not Node's IPC channel. The plugin can write raw
 * bytes to that descriptor (descriptor I/O is outside Node 20's permission model), and
 * Node's IPC reader keeps a line of any length and throws in the host on one that is not
 * JSON: one `fs.writeSync(3, 'x\n')` would bring the whole host down. Here a line is
 * bounded, and anything that is not JSON is the plugin's fault, never the host's.
 */

import type { Duplex } from 'node:stream';
import { StringDecoder } from 'node:string_decoder';

/** The descriptor the plugin process finds its end of the channel on. */
export const CHANNEL_FD = 3;

export interface ChannelReader {
	/** Called with each parsed line, in order. */
	onMessage(value: unknown): void;
	/** Called once, with why, when the other side breaks the framing; nothing is read after. */
	onViolation(what: string): void;
}

/** Reads newline-delimited JSON from `stream`, each line at most `maxChars` characters. */
export function readJsonLines(stream: Duplex, maxChars: number, reader: ChannelReader): void {
	const decoder = new StringDecoder('utf8');
	let buffered = '';
	let broken = false;
	const fail = (what: string) => {
		if (broken) return;
		broken = true;
		buffered = '';
		reader.onViolation(what);
	};
	stream.on('data', (chunk: Buffer | string) => {
		if (broken) return;
		buffered += typeof chunk === 'string' ? chunk : decoder.write(chunk);
		let newline = buffered.indexOf('\n');
		while (newline !== -1) {
			const line = buffered.slice(0, newline);
			buffered = buffered.slice(newline + 1);
			if (line.length > maxChars) return fail('a message over the size limit');
			let value: unknown;
			try {
				value = JSON.parse(line);
			} catch {
				return fail('a message that is not JSON');
			}
			reader.onMessage(value);
			if (broken) return;
			newline = buffered.indexOf('\n');
		}
		if (buffered.length > maxChars) fail('a message over the size limit');
	});
	// A pipe error (the process died mid-write) is an exit, reported by the process itself.
	stream.on('error', () => undefined);
}

/** Writes one message; false when the channel is already closed. */
export function writeJsonLine(stream: Duplex, message: unknown): boolean {
	if (stream.destroyed || !stream.writable) return false;
	stream.write(`${JSON.stringify(message)}\n`);
	return true;
}

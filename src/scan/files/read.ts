/**
 * Reading one plugin file with a size bound. The file is opened without following a symlink
 * swapped in after the walk, and without blocking on a FIFO; at most `max + 1` bytes are read,
 * so an oversized file is detected without loading it.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';

const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export type ReadResult =
	| { status: 'ok'; bytes: Buffer; size: number }
	| { status: 'too-large'; size: number }
	| { status: 'not-a-file' }
	| { status: 'unreadable'; code: string };

export async function readBounded(path: string, max: number): Promise<ReadResult> {
	// Synchronous on purpose: plugin files are small, and four thread-pool round trips per file
	// (open, stat, read, close) cost more than the reading itself. The size bound caps each call.
	let fd: number;
	try {
		fd = openSync(path, OPEN_FLAGS);
	} catch (error) {
		const code = (error as { code?: string }).code ?? 'EIO';
		return code === 'ELOOP' ? { status: 'not-a-file' } : { status: 'unreadable', code };
	}
	try {
		const info = fstatSync(fd);
		if (!info.isFile()) return { status: 'not-a-file' };
		if (info.size > max) return { status: 'too-large', size: info.size };
		const buffer = Buffer.alloc(Math.min(max + 1, info.size + 1));
		let filled = 0;
		while (filled < buffer.length) {
			const bytesRead = readSync(fd, buffer, filled, buffer.length - filled, filled);
			if (bytesRead === 0) break;
			filled += bytesRead;
		}
		// The file grew between stat and read: judge what was actually there.
		if (filled > max) return { status: 'too-large', size: filled };
		return { status: 'ok', bytes: buffer.subarray(0, filled), size: filled };
	} catch (error) {
		return { status: 'unreadable', code: (error as { code?: string }).code ?? 'EIO' };
	} finally {
		closeSync(fd);
	}
}

const decoder = new TextDecoder('utf-8', { fatal: false, ignoreBOM: false });

/** Source text: UTF-8, with invalid bytes replaced rather than refused (tolerant like a reader). */
export function decodeSource(bytes: Uint8Array): string {
	return decoder.decode(bytes);
}

/** The first `count` bytes of a file (for judging its type); empty when unreadable. */
export async function readHead(path: string, count: number): Promise<Uint8Array> {
	let fd: number;
	try {
		fd = openSync(path, OPEN_FLAGS);
	} catch {
		return new Uint8Array(0);
	}
	try {
		if (!fstatSync(fd).isFile()) return new Uint8Array(0);
		const buffer = Buffer.alloc(count);
		const bytesRead = readSync(fd, buffer, 0, count, 0);
		return buffer.subarray(0, bytesRead);
	} catch {
		return new Uint8Array(0);
	} finally {
		closeSync(fd);
	}
}

/**
 * One read of each file of a fetched plugin, shared by the tree digest and the static scan.
 * Whichever asks first reads the file; the other is handed the same bytes. So the code the
 * scanner judges is byte for byte the code that was digested (and pinned, and installed):
 * nothing can change a file between the two, and nothing is read twice.
 *
 * Files are opened without following links and without blocking, then checked to be regular
 * files (the entry may have been swapped for a link or a FIFO since it was listed). The bytes
 * are kept only as far as the scanner could use them: files up to `keepFileBytes`, while the
 * kept total stays under `keepTotalBytes`. Anything larger is hashed as a stream, and only its
 * first bytes are kept (to judge its type); the scanner reports it as not scanned.
 */
import { createHash } from 'node:crypto';
import { closeSync, constants, createReadStream, fstatSync, openSync, readFileSync } from 'node:fs';
import { realpath } from 'node:fs/promises';
import { isAbsolute, relative as relativePath, sep } from 'node:path';
import type { FileReader, ReadResult } from '../../scan/files/read.ts';

export interface TreeFileLimits {
	/** Files up to this size are kept whole for the scanner (its per-file bound). */
	keepFileBytes: number;
	/** Most bytes kept in memory over the whole tree (the scanner's total bound). */
	keepTotalBytes: number;
}

/** The scanner's default bounds (`scan/limits.ts`): it reads no more than this anyway. */
export const DEFAULT_TREE_FILE_LIMITS: TreeFileLimits = {
	keepFileBytes: 2 * 1024 * 1024,
	keepTotalBytes: 64 * 1024 * 1024,
};

/** Bytes kept of a file too large to keep whole: enough to tell its type. */
const HEAD_BYTES = 4096;

export type TreeFile =
	| {
			kind: 'file';
			/** SHA-256 of the whole content, hex. */
			digest: string;
			size: number;
			/** The owner's execute bit, as git records it. */
			executable: boolean;
			/** The whole content, when it was kept; undefined: too large to keep. */
			bytes: Buffer | undefined;
			/** The first bytes (all of them when `bytes` is set). */
			head: Buffer;
	  }
	/** Not a regular file when opened (swapped for a link, a FIFO...). */
	| { kind: 'not-a-file' }
	| { kind: 'unreadable'; error: NodeJS.ErrnoException };

export interface TreeFiles {
	readonly root: string;
	/** The file at `relative` (`/`-separated), read on the first call only. */
	read(relative: string): Promise<TreeFile>;
	/** The same files for the scanner, which names them by absolute path. */
	scanReader(): FileReader;
	/** How many files were read from disk (each at most once). */
	readonly reads: number;
}

/** Files smaller than this are read in one synchronous call; larger ones are streamed. */
const WHOLE_READ_BYTES = 1024 * 1024;
const OPEN_FLAGS = constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0);

export function createTreeFiles(
	root: string,
	limits: TreeFileLimits = DEFAULT_TREE_FILE_LIMITS,
): TreeFiles {
	const cache = new Map<string, Promise<TreeFile>>();
	let keptTotal = 0;
	let reads = 0;
	const keep = (size: number): boolean => {
		if (size > limits.keepFileBytes || keptTotal + size > limits.keepTotalBytes) return false;
		keptTotal += size;
		return true;
	};
	const read = (relative: string): Promise<TreeFile> => {
		let found = cache.get(relative);
		if (found === undefined) {
			reads++;
			found = readOnce(joinRelative(root, relative), limits.keepFileBytes, keep);
			cache.set(relative, found);
		}
		return found;
	};
	let realRoot: Promise<string> | undefined;
	return {
		root,
		read,
		get reads() {
			return reads;
		},
		scanReader() {
			realRoot ??= realpath(root).catch(() => root);
			const relativeOf = async (path: string): Promise<string | undefined> =>
				insideRoot(root, path) ?? insideRoot(await (realRoot as Promise<string>), path);
			return {
				async bounded(path, max) {
					const relative = await relativeOf(path);
					if (relative === undefined) return { status: 'unreadable', code: 'EOUTSIDE' };
					return boundedResult(await read(relative), max);
				},
				async head(path, count) {
					const relative = await relativeOf(path);
					if (relative === undefined) return new Uint8Array(0);
					const file = await read(relative);
					return file.kind === 'file' ? file.head.subarray(0, count) : new Uint8Array(0);
				},
			};
		},
	};
}

/** What the scanner's bounded read would have returned, from the one read. */
function boundedResult(file: TreeFile, max: number): ReadResult {
	if (file.kind === 'not-a-file') return { status: 'not-a-file' };
	if (file.kind === 'unreadable') {
		return file.error.code === 'ELOOP'
			? { status: 'not-a-file' }
			: { status: 'unreadable', code: file.error.code ?? 'EIO' };
	}
	if (file.size > max) return { status: 'too-large', size: file.size };
	// Within the scanner's bound but over the memory kept for this tree: never read twice.
	if (file.bytes === undefined) return { status: 'unreadable', code: 'ENOTKEPT' };
	return { status: 'ok', bytes: file.bytes, size: file.size };
}

function joinRelative(root: string, relative: string): string {
	return `${root}${sep}${relative.split('/').join(sep)}`;
}

/** `path` relative to `root`, `/`-separated; undefined when it is not below it. */
function insideRoot(root: string, path: string): string | undefined {
	const relative = relativePath(root, path);
	if (relative === '' || isAbsolute(relative)) return undefined;
	const parts = relative.split(sep);
	if (parts.includes('..')) return undefined;
	return parts.join('/');
}

async function readOnce(
	path: string,
	keepFileBytes: number,
	keep: (size: number) => boolean,
): Promise<TreeFile> {
	// Small files, nearly all of a plugin, are read synchronously: four thread-pool round trips
	// per file (open, stat, read, close) cost more than the read itself.
	let fd: number;
	try {
		fd = openSync(path, OPEN_FLAGS);
	} catch (error) {
		return { kind: 'unreadable', error: error as NodeJS.ErrnoException };
	}
	let closeFd = true;
	try {
		const info = fstatSync(fd);
		if (!info.isFile()) return { kind: 'not-a-file' };
		const executable = (info.mode & 0o100) !== 0;
		if (info.size < WHOLE_READ_BYTES) {
			const content = readFileSync(fd);
			const digest = createHash('sha256').update(content).digest('hex');
			const bytes = keep(content.length) ? content : undefined;
			const head = bytes ?? Buffer.from(content.subarray(0, HEAD_BYTES));
			return { kind: 'file', digest, size: content.length, executable, bytes, head };
		}
		closeFd = false;
		const hash = createHash('sha256');
		const chunks: Buffer[] = [];
		let size = 0;
		let keeping = true;
		for await (const chunk of createReadStream('', { fd, autoClose: true })) {
			const buffer = chunk as Buffer;
			hash.update(buffer);
			size += buffer.length;
			// Kept while it may still fit the scanner's bound; dropped as soon as it cannot.
			if (keeping || chunks.length === 0) chunks.push(buffer);
			if (keeping && size > keepFileBytes) {
				keeping = false;
				chunks.splice(1);
			}
		}
		const whole = keeping ? Buffer.concat(chunks, size) : undefined;
		const bytes = whole !== undefined && keep(size) ? whole : undefined;
		const head = bytes ?? Buffer.concat(chunks.slice(0, 1)).subarray(0, HEAD_BYTES);
		return { kind: 'file', digest: hash.digest('hex'), size, executable, bytes, head };
	} catch (error) {
		return { kind: 'unreadable', error: error as NodeJS.ErrnoException };
	} finally {
		if (closeFd) closeSync(fd);
	}
}

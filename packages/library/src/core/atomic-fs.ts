/**
 * File writes that leave either the old content or the new, never a torn file, and
 * bounded reads that never pull a huge (or endless) file into memory. Registry caches,
 * local state and profiles all go through here.
 */
import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { type FileHandle, lstat, open, readdir, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { coreError, isVouchError } from './errors.ts';
import { sanitizeText } from './sanitize.ts';

/** Temp files end with this, so leftovers of a crash can be recognised and removed. */
export const TEMP_SUFFIX = '.vouch-tmp';

/** The file-system calls `writeFileAtomic` makes that can be replaced, e.g. to simulate a crash. */
export interface AtomicWriteFs {
	rename(from: string, to: string): Promise<void>;
}

export interface WriteFileAtomicOptions {
	/** Permission bits of the new file (before the umask). Default 0o666. */
	mode?: number;
	fs?: Partial<AtomicWriteFs>;
}

function tempPathFor(target: string): string {
	// node:crypto is loaded on first use: commands that only read files start without it.
	const random = process.getBuiltinModule('node:crypto').randomBytes(6).toString('hex');
	return join(dirname(target), `.${basename(target)}.${random}${TEMP_SUFFIX}`);
}

/**
 * Writes through a temp file in the target's directory (same file system, so the rename is
 * atomic): write, fsync, rename over the target, fsync the directory so the rename itself
 * survives a power cut. On any failure the temp file is removed and the target is untouched.
 */
export async function writeFileAtomic(
	target: string,
	data: string | Uint8Array,
	options: WriteFileAtomicOptions = {},
): Promise<void> {
	const temp = tempPathFor(target);
	const doRename = options.fs?.rename ?? rename;
	let handle: FileHandle | undefined;
	try {
		// `wx`: never reuse or follow something already at the temp path.
		handle = await open(temp, 'wx', options.mode ?? 0o666);
		await handle.writeFile(data);
		await handle.sync();
		await handle.close();
		handle = undefined;
		await doRename(temp, target);
	} catch (error) {
		await handle?.close().catch(() => undefined);
		await unlink(temp).catch(() => undefined);
		throw ioError(error, target, 'write');
	}
	await syncDirectory(dirname(target));
}

/**
 * Several files of one directory, each written as `writeFileAtomic` writes it, for the price
 * of one wait: the temp files are written and synced side by side (the file system commits
 * them together), renamed over their targets in the order given, and the directory synced
 * once. A crash leaves each target old or new, never torn; the renames happen in order, so a
 * later file is never new while an earlier one is still old.
 */
export async function writeFilesAtomic(
	files: readonly { target: string; data: string | Uint8Array }[],
	options: WriteFileAtomicOptions = {},
): Promise<void> {
	const doRename = options.fs?.rename ?? rename;
	const temps = files.map((file) => tempPathFor(file.target));
	const written = await Promise.allSettled(
		files.map(async (file, index) => {
			const temp = temps[index] as string;
			const handle = await open(temp, 'wx', options.mode ?? 0o666);
			try {
				await handle.writeFile(file.data);
				await handle.sync();
			} finally {
				await handle.close();
			}
		}),
	);
	const failed = written.findIndex((result) => result.status === 'rejected');
	if (failed !== -1) {
		await Promise.all(temps.map((temp) => unlink(temp).catch(() => undefined)));
		const { reason } = written[failed] as PromiseRejectedResult;
		throw ioError(reason, (files[failed] as { target: string }).target, 'write');
	}
	for (const [index, file] of files.entries()) {
		try {
			await doRename(temps[index] as string, file.target);
		} catch (error) {
			await Promise.all(temps.slice(index).map((temp) => unlink(temp).catch(() => undefined)));
			throw ioError(error, file.target, 'write');
		}
	}
	const dirs = new Set(files.map((file) => dirname(file.target)));
	for (const dir of dirs) await syncDirectory(dir);
}

async function syncDirectory(dir: string): Promise<void> {
	let handle: FileHandle | undefined;
	try {
		handle = await open(dir, 'r');
		await handle.sync();
	} catch {
		// Some platforms and file systems cannot fsync a directory; the rename is done anyway.
	} finally {
		await handle?.close().catch(() => undefined);
	}
}

/** O_NONBLOCK so that opening a FIFO cannot hang; regular files read the same either way. */
const READ_FLAGS = constants.O_RDONLY | (constants.O_NONBLOCK ?? 0);

/**
 * Reads a regular file of at most `maxBytes`. Reads no more than `maxBytes + 1` bytes, so a
 * huge or growing file costs nothing; the size reported by stat is not trusted.
 * Throws FILE_NOT_FOUND, FILE_TOO_LARGE or IO_ERROR (also for directories, FIFOs, devices).
 */
export async function readFileBounded(path: string, maxBytes: number): Promise<Buffer> {
	assertLimit(maxBytes);
	let handle: FileHandle | undefined;
	try {
		handle = await open(path, READ_FLAGS);
		assertRegularFile((await handle.stat()).isFile(), path);
		const chunks: Buffer[] = [];
		let total = 0;
		while (total <= maxBytes) {
			const chunk = Buffer.alloc(nextChunkSize(total, maxBytes));
			const { bytesRead } = await handle.read(chunk, 0, chunk.length, null);
			if (bytesRead === 0) break;
			chunks.push(chunk.subarray(0, bytesRead));
			total += bytesRead;
		}
		assertWithinLimit(total, maxBytes, path);
		return Buffer.concat(chunks, total);
	} catch (error) {
		throw ioError(error, path, 'read');
	} finally {
		await handle?.close().catch(() => undefined);
	}
}

/** The synchronous twin of `readFileBounded`, for start-up code that cannot await. */
export function readFileBoundedSync(path: string, maxBytes: number): Buffer {
	assertLimit(maxBytes);
	let fd: number | undefined;
	try {
		fd = openSync(path, READ_FLAGS);
		assertRegularFile(fstatSync(fd).isFile(), path);
		const chunks: Buffer[] = [];
		let total = 0;
		while (total <= maxBytes) {
			const chunk = Buffer.alloc(nextChunkSize(total, maxBytes));
			const bytesRead = readSync(fd, chunk, 0, chunk.length, null);
			if (bytesRead === 0) break;
			chunks.push(chunk.subarray(0, bytesRead));
			total += bytesRead;
		}
		assertWithinLimit(total, maxBytes, path);
		return Buffer.concat(chunks, total);
	} catch (error) {
		throw ioError(error, path, 'read');
	} finally {
		if (fd !== undefined) closeSync(fd);
	}
}

const READ_CHUNK_BYTES = 64 * 1024;

/** Never asks for more than `maxBytes + 1` in total: one byte over is enough to know. */
function nextChunkSize(total: number, maxBytes: number): number {
	return Math.min(READ_CHUNK_BYTES, maxBytes + 1 - total);
}

function assertLimit(maxBytes: number): void {
	if (!Number.isSafeInteger(maxBytes) || maxBytes < 0) {
		throw coreError('USAGE', 'maxBytes must be a non-negative integer.');
	}
}

function assertRegularFile(isFile: boolean, path: string): void {
	if (!isFile) throw coreError('IO_ERROR', `${sanitizeText(path)} is not a regular file.`);
}

function assertWithinLimit(total: number, maxBytes: number, path: string): void {
	if (total > maxBytes) {
		throw coreError('FILE_TOO_LARGE', `${sanitizeText(path)} is larger than ${maxBytes} bytes.`);
	}
}

function ioError(error: unknown, path: string, action: 'read' | 'write'): Error {
	if (isVouchError(error)) return error;
	const code = (error as NodeJS.ErrnoException | undefined)?.code;
	if (action === 'read' && (code === 'ENOENT' || code === 'ENOTDIR')) {
		return coreError('FILE_NOT_FOUND', `${sanitizeText(path)} does not exist.`, { cause: error });
	}
	const reason = code ?? (error instanceof Error ? error.message : String(error));
	return coreError(
		'IO_ERROR',
		`Cannot ${action} ${sanitizeText(path)} (${sanitizeText(reason)}).`,
		{
			cause: error,
		},
	);
}

export interface RemoveStaleTempFilesOptions {
	/** Leave younger temp files alone: another process may still be writing them. */
	minAgeMs?: number;
	now?: () => number;
}

/** Removes leftovers of interrupted `writeFileAtomic` calls in `dir`; returns how many. */
export async function removeStaleTempFiles(
	dir: string,
	options: RemoveStaleTempFilesOptions = {},
): Promise<number> {
	const minAgeMs = options.minAgeMs ?? 60 * 60 * 1000;
	const now = (options.now ?? Date.now)();
	let names: string[];
	try {
		names = await readdir(dir);
	} catch {
		return 0;
	}
	let removed = 0;
	for (const name of names) {
		if (!name.startsWith('.') || !name.endsWith(TEMP_SUFFIX)) continue;
		const path = join(dir, name);
		try {
			// lstat: a symlink with a temp name is not a leftover of ours.
			const info = await lstat(path);
			if (!info.isFile() || now - info.mtimeMs < minAgeMs) continue;
			await unlink(path);
			removed++;
		} catch {
			// Gone already, or not ours to remove: either way nothing to clean.
		}
	}
	return removed;
}

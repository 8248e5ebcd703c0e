/**
 * Appends entries to a tiled log in a directory: entry bundles and hash tiles first, each
 * written atomically, the signed checkpoint last. Until the checkpoint is renamed into place
 * the old one stands, and everything it commits to is untouched: full tiles never change, and
 * a wider partial tile has another name. A crash mid-append therefore leaves the old log valid;
 * the next append reads the old state back (verified against the old checkpoint, so a damaged
 * tile is never built upon) and overwrites whatever the crashed one left beyond it.
 * One writer at a time: the caller holds the registry's lock.
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
	type AtomicWriteFs,
	readFileBounded,
	removeStaleTempFiles,
	writeFileAtomic,
	writeFilesAtomic,
} from '../core/atomic-fs.ts';
import { isVouchError } from '../core/errors.ts';
import { openCheckpoint, type SignedCheckpoint, signCheckpoint } from './checkpoint.ts';
import { assertEntrySize, encodeEntryBundle } from './entry-bundle.ts';
import { logError } from './errors.ts';
import {
	MAX_ENTRY_BYTES_FORMAT,
	MAX_NOTE_BYTES,
	MAX_TREE_SIZE,
	TILE_HEIGHT,
	TILE_WIDTH,
} from './limits.ts';
import {
	completeSubtrees,
	emptyTreeHash,
	foldSubtreeHashes,
	leafHash,
	nodeHash,
} from './merkle.ts';
import { type NoteSigner, parseVerifierKey } from './note-keys.ts';
import { hashCountAtTileLevel, tilePath, tilesAddedBetween } from './tile-path.ts';
import { type ReadTile, TileLog } from './tile-reader.ts';

export const CHECKPOINT_PATH = 'checkpoint';

export interface AppendOptions {
	signer: NoteSigner;
	/** The checkpoint origin; defaults to the signer's key name, as C2SP recommends. */
	origin?: string;
	/** Replaceable file-system calls, so tests can interrupt an append where a crash would. */
	fs?: Partial<AtomicWriteFs>;
}

export interface AppendResult {
	/** Index of the first appended entry. */
	firstIndex: number;
	checkpoint: SignedCheckpoint;
}

/** Reads files under `dir`, bounded: the reader half of a log on disk. */
export function directoryTileReader(dir: string): ReadTile {
	return async (path, maxBytes) =>
		new Uint8Array(await readFileBounded(join(dir, ...path.split('/')), maxBytes));
}

/** The current signed checkpoint of the log in `dir`, verified; undefined for a new log. */
export async function readLogCheckpoint(
	dir: string,
	verifierKey: string,
	origin?: string,
): Promise<SignedCheckpoint | undefined> {
	let note: Buffer;
	try {
		note = await readFileBounded(join(dir, CHECKPOINT_PATH), MAX_NOTE_BYTES);
	} catch (error) {
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return undefined;
		throw error;
	}
	return openCheckpoint(note, parseVerifierKey(verifierKey), origin);
}

export async function appendEntries(
	dir: string,
	entries: readonly Uint8Array[],
	options: AppendOptions,
): Promise<AppendResult> {
	for (const entry of entries) assertEntrySize(entry, MAX_ENTRY_BYTES_FORMAT);
	const origin = options.origin ?? options.signer.name;
	const old = await readLogCheckpoint(dir, options.signer.verifierKey, origin);
	const oldSize = old?.size ?? 0;
	const size = oldSize + entries.length;
	if (size > MAX_TREE_SIZE) throw logError('LOG_INVALID_ARGUMENT', 'The log would grow too large.');
	const oldLog = new TileLog({
		readTile: directoryTileReader(dir),
		size: oldSize,
		root: old?.root ?? emptyTreeHash(),
		maxEntryBytes: MAX_ENTRY_BYTES_FORMAT,
	});

	// The hashes the new leaves combine with: the complete subtrees that make up the old tree.
	const known: Map<number, Uint8Array>[] = [];
	const remember = (level: number, index: number, hash: Uint8Array) => {
		let column = known[level];
		if (column === undefined) {
			column = new Map();
			known[level] = column;
		}
		column.set(index, hash);
	};
	for (const id of completeSubtrees(0, oldSize))
		remember(id.level, id.index, await oldLog.hashAt(id));
	const newLeaves = entries.map((entry) => leafHash(entry));
	const nodeAt = (level: number, index: number): Uint8Array => {
		const cached = known[level]?.get(index);
		if (cached !== undefined) return cached;
		const hash =
			level === 0
				? (newLeaves[index - oldSize] as Uint8Array)
				: nodeHash(nodeAt(level - 1, 2 * index), nodeAt(level - 1, 2 * index + 1));
		if (level > 0) remember(level, index, hash);
		return hash;
	};

	const files: { target: string; data: Uint8Array }[] = [];
	for (const tile of tilesAddedBetween(oldSize, size)) {
		const start = tile.index * TILE_WIDTH;
		if (tile.level === 'entries') {
			const oldEntries = start < oldSize ? await oldLog.entryBundle(tile.index) : [];
			const added = entries.slice(Math.max(0, start - oldSize), start + tile.width - oldSize);
			files.push({
				target: join(dir, tilePath(tile)),
				data: encodeEntryBundle([...oldEntries, ...added]),
			});
			continue;
		}
		const oldCount = hashCountAtTileLevel(oldSize, tile.level);
		const data = new Uint8Array(tile.width * 32);
		for (let i = 0; i < tile.width; i++) {
			const index = start + i;
			const hash =
				index < oldCount
					? await oldLog.hashAt({ level: tile.level * TILE_HEIGHT, index })
					: nodeAt(tile.level * TILE_HEIGHT, index);
			data.set(hash, i * 32);
		}
		files.push({ target: join(dir, tilePath(tile)), data });
	}
	const root =
		size === 0
			? emptyTreeHash()
			: foldSubtreeHashes(completeSubtrees(0, size).map((id) => nodeAt(id.level, id.index)));
	const note = signCheckpoint({ origin, size, root, extensions: [] }, [options.signer]);

	for (const directory of new Set(files.map((file) => dirname(file.target)))) {
		await mkdir(directory, { recursive: true });
	}
	await mkdir(dir, { recursive: true });
	const writeOptions = options.fs === undefined ? {} : { fs: options.fs };
	if (files.length > 0) await writeFilesAtomic(files, writeOptions);
	await writeFileAtomic(join(dir, CHECKPOINT_PATH), note, writeOptions);
	// A writer killed mid-write leaves temp files beside the tiles; the next run removes them.
	for (const directory of new Set([dir, ...files.map((file) => dirname(file.target))])) {
		await removeStaleTempFiles(directory);
	}
	const checkpoint = openCheckpoint(note, parseVerifierKey(options.signer.verifierKey), origin);
	return { firstIndex: oldSize, checkpoint };
}

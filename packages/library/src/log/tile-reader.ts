/**
 * Reads a tiled log through an injected `readTile` (files, HTTP, anything) and trusts nothing
 * it reads until it is tied to the checkpoint's root: the right-edge tiles of the tree (the
 * partial ones) must hash to the root, and every full tile must hash to its entry in the tile
 * above it. Entry bundles must hash to their level-0 tile. Proofs are then built from verified
 * hashes only. Every read is bounded by the exact size the tile must have.
 */
import { isVouchError } from '../core/errors.ts';
import { maxBundleBytes, parseEntryBundle } from './entry-bundle.ts';
import { logError } from './errors.ts';
import {
	DEFAULT_MAX_ENTRY_BYTES,
	HASH_BYTES,
	MAX_ENTRY_BYTES_FORMAT,
	TILE_HEIGHT,
	TILE_WIDTH,
} from './limits.ts';
import {
	assertTreeSize,
	completeSubtrees,
	equalBytes,
	foldSubtreeHashes,
	isHash,
	leafHash,
	type SubtreeId,
	treeHashOfLeafHashes,
} from './merkle.ts';
import { consistencyProofRanges, inclusionProofRanges, type LeafRange } from './proof-plan.ts';
import {
	bundleHolding,
	hashCountAtTileLevel,
	type TileId,
	tileHolding,
	tilePath,
} from './tile-path.ts';

/**
 * Fetches one tile or bundle by its path relative to the log's root. `maxBytes` is the most the
 * answer may hold: a reader should stop there (larger answers are refused anyway).
 */
export type ReadTile = (path: string, maxBytes: number) => Promise<Uint8Array>;

export interface TileLogOptions {
	readTile: ReadTile;
	size: number;
	root: Uint8Array;
	/** Bound on one entry read from a bundle (at most 65535, the format's own limit). */
	maxEntryBytes?: number;
}

export class TileLog {
	readonly size: number;
	readonly root: Uint8Array;
	private readonly readTile: ReadTile;
	private readonly maxEntryBytes: number;
	private readonly tiles = new Map<string, Promise<Uint8Array[]>>();
	/** The partial tiles of the right edge, by level, once they have been checked against the root. */
	private edge: Promise<Map<number, Uint8Array[]>> | undefined;

	constructor(options: TileLogOptions) {
		assertTreeSize(options.size);
		if (!isHash(options.root)) throw logError('LOG_INVALID_ARGUMENT', 'The root is not 32 bytes.');
		const maxEntryBytes = options.maxEntryBytes ?? DEFAULT_MAX_ENTRY_BYTES;
		if (
			!Number.isInteger(maxEntryBytes) ||
			maxEntryBytes < 0 ||
			maxEntryBytes > MAX_ENTRY_BYTES_FORMAT
		) {
			throw logError('LOG_INVALID_ARGUMENT', 'maxEntryBytes is out of range.');
		}
		this.size = options.size;
		this.root = options.root;
		this.readTile = options.readTile;
		this.maxEntryBytes = maxEntryBytes;
	}

	/** The hash of a complete subtree of this tree, from verified tiles. */
	async hashAt(id: SubtreeId): Promise<Uint8Array> {
		if ((id.index + 1) * 2 ** id.level > this.size) {
			throw logError('LOG_INVALID_ARGUMENT', `Subtree ${id.level}/${id.index} is not in the tree.`);
		}
		const tileLevel = Math.floor(id.level / TILE_HEIGHT);
		const span = 2 ** (id.level - tileLevel * TILE_HEIGHT);
		const first = id.index * span;
		const tileIndex = Math.floor(first / TILE_WIDTH);
		const hashes = await this.verifiedTile(tileLevel, tileIndex);
		const offset = first - tileIndex * TILE_WIDTH;
		return treeHashOfLeafHashes(hashes.slice(offset, offset + span));
	}

	async rangeHash(range: LeafRange): Promise<Uint8Array> {
		const ids = completeSubtrees(range.start, range.end);
		return foldSubtreeHashes(await Promise.all(ids.map((id) => this.hashAt(id))));
	}

	async inclusionProof(index: number): Promise<Uint8Array[]> {
		const ranges = inclusionProofRanges(index, this.size);
		return Promise.all(ranges.map((range) => this.rangeHash(range)));
	}

	/** The proof that the tree of `first` leaves is a prefix of this one. */
	async consistencyProof(first: number): Promise<Uint8Array[]> {
		const ranges = consistencyProofRanges(first, this.size);
		return Promise.all(ranges.map((range) => this.rangeHash(range)));
	}

	/** The verified hash of leaf `index`. */
	async leafHashAt(index: number): Promise<Uint8Array> {
		return this.hashAt({ level: 0, index });
	}

	/** The entries of bundle `bundleIndex`, each checked against its leaf hash. */
	async entryBundle(bundleIndex: number): Promise<Uint8Array[]> {
		const tile = bundleHolding(this.size, bundleIndex * TILE_WIDTH);
		const bytes = await this.fetch(tile, maxBundleBytes(tile.width, this.maxEntryBytes));
		const entries = parseEntryBundle(bytes, tile.width, this.maxEntryBytes);
		const leaves = await this.verifiedTile(0, bundleIndex);
		for (const [i, entry] of entries.entries()) {
			if (!equalBytes(leafHash(entry), leaves[i] as Uint8Array)) {
				throw logError(
					'LOG_BAD_TILE',
					`Entry ${bundleIndex * TILE_WIDTH + i} does not match its leaf hash.`,
				);
			}
		}
		return entries;
	}

	async entry(index: number): Promise<Uint8Array> {
		const entries = await this.entryBundle(Math.floor(index / TILE_WIDTH));
		return entries[index % TILE_WIDTH] as Uint8Array;
	}

	/** The hashes of a tile of this tree, fetched once, verified before they are returned. */
	private verifiedTile(level: number, index: number): Promise<Uint8Array[]> {
		const tile = tileHolding(this.size, level, index * TILE_WIDTH);
		const path = tilePath(tile);
		let pending = this.tiles.get(path);
		if (pending === undefined) {
			pending = this.loadTile(tile);
			this.tiles.set(path, pending);
			// A failed read is not cached: the next call may find the tile.
			pending.catch(() => this.tiles.delete(path));
		}
		return pending;
	}

	private async loadTile(tile: TileId): Promise<Uint8Array[]> {
		const level = tile.level as number;
		if (tile.width < TILE_WIDTH) {
			// A partial tile is on the right edge; the edge as a whole must hash to the root. The
			// copy returned is the one checked, never a second fetch that could differ.
			return (await this.verifiedEdge()).get(level) as Uint8Array[];
		}
		const hashes = await this.readHashes(tile);
		const parentLevel = level + 1;
		if (hashCountAtTileLevel(this.size, parentLevel) > tile.index) {
			const parent = await this.verifiedTile(parentLevel, Math.floor(tile.index / TILE_WIDTH));
			const expected = parent[tile.index % TILE_WIDTH] as Uint8Array;
			if (!equalBytes(treeHashOfLeafHashes(hashes), expected)) {
				throw logError('LOG_BAD_TILE', `Tile ${tilePath(tile)} does not match the tile above it.`);
			}
			return hashes;
		}
		// A full tile without a parent hash is impossible (256 hashes make one above); refuse.
		throw logError('LOG_BAD_TILE', `Tile ${tilePath(tile)} has no parent to verify it.`);
	}

	/** Reads each partial tile once and checks that together they give the checkpoint's root. */
	private verifiedEdge(): Promise<Map<number, Uint8Array[]>> {
		if (this.edge === undefined) {
			this.edge = this.checkEdge();
			this.edge.catch(() => {
				this.edge = undefined;
			});
		}
		return this.edge;
	}

	private async checkEdge(): Promise<Map<number, Uint8Array[]>> {
		const edgeTiles = new Map<number, Uint8Array[]>();
		for (let level = 0; hashCountAtTileLevel(this.size, level) > 0; level++) {
			const count = hashCountAtTileLevel(this.size, level);
			if (count % TILE_WIDTH === 0) continue;
			const tile = tileHolding(this.size, level, count - 1);
			edgeTiles.set(level, await this.readHashes(tile));
		}
		const hashes = completeSubtrees(0, this.size).map((id) => {
			const tileLevel = Math.floor(id.level / TILE_HEIGHT);
			const span = 2 ** (id.level - tileLevel * TILE_HEIGHT);
			const first = id.index * span;
			const offset = first - Math.floor(first / TILE_WIDTH) * TILE_WIDTH;
			const tile = edgeTiles.get(tileLevel) as Uint8Array[];
			return treeHashOfLeafHashes(tile.slice(offset, offset + span));
		});
		if (!equalBytes(foldSubtreeHashes(hashes), this.root)) {
			throw logError(
				'LOG_BAD_TILE',
				'The tiles at the edge of the tree do not give the checkpoint root.',
			);
		}
		return edgeTiles;
	}

	private async readHashes(tile: TileId): Promise<Uint8Array[]> {
		const bytes = await this.fetch(tile, tile.width * HASH_BYTES);
		if (bytes.length !== tile.width * HASH_BYTES) {
			throw logError(
				'LOG_BAD_TILE',
				`Tile ${tilePath(tile)} has ${bytes.length} bytes, not ${tile.width * HASH_BYTES}.`,
			);
		}
		const hashes: Uint8Array[] = [];
		for (let i = 0; i < tile.width; i++)
			hashes.push(bytes.slice(i * HASH_BYTES, (i + 1) * HASH_BYTES));
		return hashes;
	}

	private async fetch(tile: TileId, maxBytes: number): Promise<Uint8Array> {
		const path = tilePath(tile);
		let bytes: Uint8Array;
		try {
			bytes = await this.readTile(path, maxBytes);
		} catch (error) {
			if (isVouchError(error) && error.code.startsWith('LOG_')) throw error;
			// A file reader stops at the bound: what is too large is a bad tile, not a failed read.
			if (isVouchError(error) && error.code === 'FILE_TOO_LARGE') {
				throw logError('LOG_BAD_TILE', `${path} is larger than ${maxBytes} bytes.`, {
					cause: error,
				});
			}
			throw logError('LOG_READ_FAILED', `Cannot read ${path} of the log.`, { cause: error });
		}
		if (!(bytes instanceof Uint8Array) || bytes.length > maxBytes) {
			throw logError('LOG_BAD_TILE', `${path} is larger than ${maxBytes} bytes.`);
		}
		return bytes;
	}
}

/**
 * C2SP tlog-tiles paths and geometry. Tiles of height 8: the tile at level L, index N holds the
 * hashes of the subtrees of 2^(8L) leaves numbered 256N .. 256N+W-1. Paths:
 *   tile/<L>/<N>            a full tile (W = 256)
 *   tile/<L>/<N>.p/<W>      a partial tile (1 <= W <= 255), only ever at the right edge
 *   tile/entries/<N>[.p/<W>] the entries themselves, 2-byte length-prefixed
 * N is written in groups of three digits, all but the last prefixed with `x`: 1234067 is
 * x001/x234/067, so no directory holds more than 1000 names.
 */
import { logError } from './errors.ts';
import { TILE_HEIGHT, TILE_WIDTH } from './limits.ts';

export interface TileId {
	/** Tile level; `entries` for an entry bundle. */
	level: number | 'entries';
	index: number;
	/** Number of hashes (or entries): 256 for a full tile. */
	width: number;
}

export function tileIndexPath(index: number): string {
	if (!Number.isSafeInteger(index) || index < 0) {
		throw logError('LOG_INVALID_ARGUMENT', `Tile index ${String(index)} is out of range.`);
	}
	const groups: string[] = [];
	let rest = index;
	do {
		groups.unshift(String(rest % 1000).padStart(3, '0'));
		rest = Math.floor(rest / 1000);
	} while (rest > 0);
	return groups.map((group, i) => (i < groups.length - 1 ? `x${group}` : group)).join('/');
}

export function tilePath(tile: TileId): string {
	if (!Number.isInteger(tile.width) || tile.width < 1 || tile.width > TILE_WIDTH) {
		throw logError('LOG_INVALID_ARGUMENT', `Tile width ${tile.width} is out of range.`);
	}
	const partial = tile.width === TILE_WIDTH ? '' : `.p/${tile.width}`;
	return `tile/${tile.level}/${tileIndexPath(tile.index)}${partial}`;
}

/** 256^level, the number of leaves under one hash of a tile at `level`. */
export function leavesPerTileHash(level: number): number {
	return 2 ** (TILE_HEIGHT * level);
}

/** How many hashes a tree of `size` leaves has at tile level `level`. */
export function hashCountAtTileLevel(size: number, level: number): number {
	return Math.floor(size / leavesPerTileHash(level));
}

/** The tile (full, or partial at the right edge) of `size` that holds hash `hashIndex` at `level`. */
export function tileHolding(size: number, level: number, hashIndex: number): TileId {
	const count = hashCountAtTileLevel(size, level);
	if (hashIndex < 0 || hashIndex >= count) {
		throw logError('LOG_INVALID_ARGUMENT', `No hash ${hashIndex} at tile level ${level}.`);
	}
	const index = Math.floor(hashIndex / TILE_WIDTH);
	const full = Math.floor(count / TILE_WIDTH);
	return { level, index, width: index < full ? TILE_WIDTH : count % TILE_WIDTH };
}

/** The entry bundle of `size` that holds entry `entryIndex`. */
export function bundleHolding(size: number, entryIndex: number): TileId {
	const tile = tileHolding(size, 0, entryIndex);
	return { ...tile, level: 'entries' };
}

/** Every tile and bundle a tree of `size` has that a tree of `oldSize` lacks (new or wider). */
export function tilesAddedBetween(oldSize: number, size: number): TileId[] {
	const tiles: TileId[] = [];
	for (let level = 0; hashCountAtTileLevel(size, level) > 0; level++) {
		const oldCount = hashCountAtTileLevel(oldSize, level);
		const count = hashCountAtTileLevel(size, level);
		if (count === oldCount) continue;
		for (let index = Math.floor(oldCount / TILE_WIDTH); index * TILE_WIDTH < count; index++) {
			const width = Math.min(TILE_WIDTH, count - index * TILE_WIDTH);
			tiles.push({ level, index, width });
			if (level === 0) tiles.push({ level: 'entries', index, width });
		}
	}
	return tiles;
}

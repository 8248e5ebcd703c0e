/**
 * C2SP tlog-tiles: paths, entry bundles, the writer and the verified reader. A log written in
 * many appends reads back with the roots and proofs of the same tree built in memory; a crash
 * mid-append leaves the old log valid and the next append repairs it; a tile changed on disk or
 * on the wire is refused.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { readFile, utimes, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeEntryBundle, parseEntryBundle } from '../../src/log/entry-bundle.ts';
import { MemoryTree } from '../../src/log/memory-tree.ts';
import { generateNoteKey, parseSignerKey } from '../../src/log/note-keys.ts';
import { verifyConsistency, verifyInclusion } from '../../src/log/proof-verify.ts';
import { tileIndexPath, tilePath, tilesAddedBetween } from '../../src/log/tile-path.ts';
import { type ReadTile, TileLog } from '../../src/log/tile-reader.ts';
import {
	appendEntries,
	directoryTileReader,
	readLogCheckpoint,
} from '../../src/log/tile-writer.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { assertLogError, assertLogRejects, hex, leafData } from './helpers.ts';

const KEY = generateNoteKey('example.org/log');
const SIGNER = parseSignerKey(KEY.signerKey);

describe('tile paths', () => {
	it('write N in x-prefixed groups of three digits, and partial tiles with .p/W', () => {
		assert.equal(tileIndexPath(0), '000');
		assert.equal(tileIndexPath(5), '005');
		assert.equal(tileIndexPath(999), '999');
		assert.equal(tileIndexPath(1000), 'x001/000');
		assert.equal(tileIndexPath(1234067), 'x001/x234/067');
		assert.equal(tilePath({ level: 0, index: 1234067, width: 256 }), 'tile/0/x001/x234/067');
		assert.equal(tilePath({ level: 2, index: 3, width: 17 }), 'tile/2/003.p/17');
		assert.equal(
			tilePath({ level: 'entries', index: 1000, width: 1 }),
			'tile/entries/x001/000.p/1',
		);
		assertLogError(() => tilePath({ level: 0, index: 0, width: 0 }), 'LOG_INVALID_ARGUMENT');
		assertLogError(() => tilePath({ level: 0, index: 0, width: 257 }), 'LOG_INVALID_ARGUMENT');
		assertLogError(() => tileIndexPath(-1), 'LOG_INVALID_ARGUMENT');
	});

	it('list the tiles an append adds, full and partial, at every level', () => {
		const paths = tilesAddedBetween(250, 65536 + 3).map(tilePath);
		assert.ok(paths.includes('tile/0/000'));
		assert.ok(paths.includes('tile/0/255'));
		assert.ok(paths.includes('tile/0/256.p/3'));
		assert.ok(paths.includes('tile/entries/256.p/3'));
		assert.ok(paths.includes('tile/1/000'));
		assert.ok(paths.includes('tile/2/000.p/1'));
		assert.equal(paths.filter((p) => p.startsWith('tile/1/')).length, 1);
		assert.deepEqual(tilesAddedBetween(256, 256), []);
		assert.deepEqual(tilesAddedBetween(0, 1).map(tilePath), [
			'tile/0/000.p/1',
			'tile/entries/000.p/1',
		]);
	});
});

describe('entry bundles', () => {
	it('round-trip any entries, each with a 2-byte big-endian length', () => {
		fc.assert(
			fc.property(
				fc.array(fc.uint8Array({ maxLength: 300 }), { minLength: 1, maxLength: 256 }),
				(entries) => {
					const bundle = encodeEntryBundle(entries);
					assert.deepEqual(
						parseEntryBundle(bundle, entries.length, 300).map((e) => Buffer.from(e)),
						entries.map((e) => Buffer.from(e)),
					);
				},
			),
			{ numRuns: 100 },
		);
		assert.deepEqual([...encodeEntryBundle([new Uint8Array([9, 8, 7])])], [0, 3, 9, 8, 7]);
	});

	it('refuse wrong counts, cut entries, trailing bytes and entries over the bound', () => {
		const bundle = encodeEntryBundle([new Uint8Array(10), new Uint8Array(20)]);
		assertLogError(() => parseEntryBundle(bundle, 1, 100), 'LOG_BAD_TILE');
		assertLogError(() => parseEntryBundle(bundle, 3, 100), 'LOG_BAD_TILE');
		assertLogError(() => parseEntryBundle(bundle.subarray(0, -1), 2, 100), 'LOG_BAD_TILE');
		assertLogError(() => parseEntryBundle(Uint8Array.from([...bundle, 0]), 2, 100), 'LOG_BAD_TILE');
		assertLogError(() => parseEntryBundle(bundle, 2, 15), 'LOG_BAD_TILE');
		assertLogError(() => encodeEntryBundle([new Uint8Array(0x10000)]), 'LOG_INVALID_ARGUMENT');
		assertLogError(
			() => encodeEntryBundle(Array(257).fill(new Uint8Array(1))),
			'LOG_INVALID_ARGUMENT',
		);
	});
});

function entriesFrom(start: number, count: number): Uint8Array[] {
	return Array.from({ length: count }, (_, i) => leafData(start + i));
}

async function writeLog(dir: string, batches: readonly number[], memory = new MemoryTree()) {
	for (const count of batches) {
		const entries = entriesFrom(memory.size, count);
		const { firstIndex, checkpoint } = await appendEntries(dir, entries, { signer: SIGNER });
		assert.equal(firstIndex, memory.size);
		for (const entry of entries) memory.append(entry);
		assert.equal(checkpoint.size, memory.size);
		assert.equal(hex(checkpoint.root), hex(memory.root()), `root after ${memory.size}`);
	}
	return memory;
}

async function logAt(dir: string, readTile: ReadTile = directoryTileReader(dir)) {
	const checkpoint = await readLogCheckpoint(dir, KEY.verifierKey);
	assert.ok(checkpoint);
	return new TileLog({ readTile, size: checkpoint.size, root: checkpoint.root });
}

describe('the tile writer and reader', () => {
	it('build the same tree as memory, over many appends crossing tile boundaries', async () => {
		const dir = makeTempDir();
		const memory = await writeLog(dir, [1, 2, 252, 1, 1, 255, 256, 300, 1, 513]);
		const log = await logAt(dir);
		const size = memory.size;
		for (const index of [0, 1, 254, 255, 256, 511, 512, 1000, size - 1]) {
			const proof = await log.inclusionProof(index);
			assert.deepEqual(proof.map(hex), memory.inclusionProof(index).map(hex));
			verifyInclusion(memory.hashAt({ level: 0, index }), index, size, proof, log.root);
			assert.deepEqual(Buffer.from(await log.entry(index)), Buffer.from(leafData(index)));
		}
		for (const first of [0, 1, 3, 255, 256, 257, 768, size - 1, size]) {
			const proof = await log.consistencyProof(first);
			assert.deepEqual(proof.map(hex), memory.consistencyProof(first).map(hex));
			verifyConsistency(first, size, proof, memory.root(first), log.root);
		}
	});

	it('reads a tree past 65536 leaves through level-2 tiles', async () => {
		const dir = makeTempDir();
		const memory = await writeLog(dir, [65536 + 300, 5]);
		const log = await logAt(dir);
		for (const index of [0, 65535, 65536, memory.size - 1]) {
			assert.deepEqual(
				(await log.inclusionProof(index)).map(hex),
				memory.inclusionProof(index).map(hex),
			);
		}
		assert.deepEqual(
			(await log.consistencyProof(65536)).map(hex),
			memory.consistencyProof(65536).map(hex),
		);
		assert.deepEqual(
			(await log.consistencyProof(70)).map(hex),
			memory.consistencyProof(70).map(hex),
		);
	});

	it('survives a crash at every rename of an append, and the next append repairs the log', async () => {
		for (let crashAt = 0; crashAt < 8; crashAt++) {
			const dir = makeTempDir();
			const memory = await writeLog(dir, [300]);
			const before = await readFile(join(dir, 'checkpoint'), 'utf8');
			let renames = 0;
			const crashing = {
				rename: async (from: string, to: string) => {
					if (renames++ === crashAt) throw new Error('simulated crash');
					const { rename } = await import('node:fs/promises');
					await rename(from, to);
				},
			};
			const lost = entriesFrom(9000, 260);
			const crashed = await appendEntries(dir, lost, { signer: SIGNER, fs: crashing }).then(
				() => false,
				() => true,
			);
			if (!crashed) {
				// The crash point was past the last rename: the append completed.
				assert.ok(crashAt >= renames - 1);
				continue;
			}
			assert.equal(
				await readFile(join(dir, 'checkpoint'), 'utf8'),
				before,
				'the old checkpoint stands',
			);
			const old = await logAt(dir);
			assert.equal(old.size, 300);
			assert.deepEqual(
				(await old.inclusionProof(299)).map(hex),
				memory.inclusionProof(299).map(hex),
			);
			assert.deepEqual(Buffer.from(await old.entry(299)), Buffer.from(leafData(299)));
			// Different entries this time: nothing of the crashed append may survive.
			await writeLog(dir, [260, 3], memory);
			const repaired = await logAt(dir);
			for (const index of [0, 299, 300, 511, 512, 562]) {
				assert.deepEqual(Buffer.from(await repaired.entry(index)), Buffer.from(leafData(index)));
				assert.deepEqual(
					(await repaired.inclusionProof(index)).map(hex),
					memory.inclusionProof(index).map(hex),
				);
			}
		}
	});

	it('removes temp files a killed writer left beside the tiles, on the next append', async () => {
		const dir = makeTempDir();
		await writeLog(dir, [10]);
		const leftovers = [
			join(dir, 'tile/0/000.p/.11.abc123.vouch-tmp'),
			join(dir, '.checkpoint.abc123.vouch-tmp'),
		];
		for (const path of leftovers) {
			await writeFile(path, 'half');
			// Older than any writer still running could be: written long before this test ran.
			await utimes(path, new Date('2000-01-01T00:00:00Z'), new Date('2000-01-01T00:00:00Z'));
		}
		await writeLog(dir, [1], await writeLog(makeTempDir(), [10]));
		for (const path of leftovers) assert.equal(existsSync(path), false, path);
	});

	it('refuses to extend a log whose tiles on disk no longer match its checkpoint', async () => {
		const dir = makeTempDir();
		await writeLog(dir, [10]);
		const path = join(dir, 'tile/0/000.p/10');
		const tile = await readFile(path);
		tile[5] = (tile[5] as number) ^ 1;
		await writeFile(path, tile);
		await assertLogRejects(
			() => appendEntries(dir, entriesFrom(10, 1), { signer: SIGNER }),
			'LOG_BAD_TILE',
		);
		const other = parseSignerKey(generateNoteKey('example.org/log').signerKey);
		await assertLogRejects(
			() => appendEntries(dir, entriesFrom(10, 1), { signer: other }),
			'LOG_BAD_SIGNATURE',
		);
	});
});

describe('the reader refuses what the checkpoint does not vouch for', () => {
	async function tamperedRead(
		dir: string,
		target: string,
		change: (bytes: Uint8Array) => Uint8Array,
	): Promise<ReadTile> {
		const files = directoryTileReader(dir);
		return async (path, maxBytes) => {
			const bytes = await files(path, maxBytes);
			return path === target ? change(bytes) : bytes;
		};
	}
	const flip = (bytes: Uint8Array) => {
		const copy = Uint8Array.from(bytes);
		copy[0] = (copy[0] as number) ^ 1;
		return copy;
	};

	it('a changed hash in a full tile, a partial tile or a higher tile', async () => {
		const dir = makeTempDir();
		const memory = await writeLog(dir, [256 * 3 + 20]);
		for (const target of ['tile/0/001', 'tile/0/003.p/20', 'tile/1/000.p/3']) {
			const log = await logAt(dir, await tamperedRead(dir, target, flip));
			await assertLogRejects(() => log.inclusionProof(300), 'LOG_BAD_TILE');
		}
		// Untouched paths still verify through a reader that alters another tile.
		const log = await logAt(dir, await tamperedRead(dir, 'tile/0/001', flip));
		assert.deepEqual((await log.inclusionProof(5)).map(hex), memory.inclusionProof(5).map(hex));
	});

	it('a tile of the wrong length, larger than allowed, or an unreadable one', async () => {
		const dir = makeTempDir();
		await writeLog(dir, [40]);
		const short = await logAt(
			dir,
			await tamperedRead(dir, 'tile/0/000.p/40', (b) => b.subarray(1)),
		);
		await assertLogRejects(() => short.inclusionProof(3), 'LOG_BAD_TILE');
		const long = await logAt(dir, async () => new Uint8Array(40 * 32 + 1));
		await assertLogRejects(() => long.inclusionProof(3), 'LOG_BAD_TILE');
		const missing = await logAt(dir, async () => {
			throw new Error('404');
		});
		await assertLogRejects(() => missing.inclusionProof(3), 'LOG_READ_FAILED');
	});

	it('an entry changed in its bundle, or a bundle with an entry over the bound', async () => {
		const dir = makeTempDir();
		await writeLog(dir, [40]);
		const changed = await logAt(
			dir,
			await tamperedRead(dir, 'tile/entries/000.p/40', (b) => {
				const copy = Uint8Array.from(b);
				copy[3] = (copy[3] as number) ^ 1;
				return copy;
			}),
		);
		await assertLogRejects(() => changed.entry(0), 'LOG_BAD_TILE');
		const checkpoint = await readLogCheckpoint(dir, KEY.verifierKey);
		assert.ok(checkpoint);
		const tight = new TileLog({
			readTile: directoryTileReader(dir),
			size: 40,
			root: checkpoint.root,
			maxEntryBytes: 5,
		});
		await assertLogRejects(() => tight.entry(0), 'LOG_BAD_TILE');
	});

	it('a tile that changes between reads is read once, and checked once', async () => {
		const dir = makeTempDir();
		const memory = await writeLog(dir, [20]);
		const files = directoryTileReader(dir);
		let reads = 0;
		const log = await logAt(dir, async (path, maxBytes) => {
			reads++;
			const bytes = await files(path, maxBytes);
			return reads > 1 ? flip(bytes) : bytes;
		});
		for (let i = 0; i < 20; i++) {
			assert.deepEqual((await log.inclusionProof(i)).map(hex), memory.inclusionProof(i).map(hex));
		}
		assert.equal(reads, 1);
	});

	it('a subtree or an index outside the tree', async () => {
		const dir = makeTempDir();
		await writeLog(dir, [20]);
		const log = await logAt(dir);
		await assertLogRejects(() => log.inclusionProof(20), 'LOG_INVALID_ARGUMENT');
		await assertLogRejects(() => log.consistencyProof(21), 'LOG_INVALID_ARGUMENT');
		await assertLogRejects(() => log.hashAt({ level: 5, index: 0 }), 'LOG_INVALID_ARGUMENT');
	});
});

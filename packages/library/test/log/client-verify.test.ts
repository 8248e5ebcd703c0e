/**
 * The client's check of a new checkpoint (D28): signature, consistency with the stored one, and
 * inclusion of the leaf it accepted. A truncated log, a fork at the same size, a rewritten
 * history and a missing leaf are each refused with their own code.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { signCheckpoint } from '../../src/log/checkpoint.ts';
import { verifyLogUpdate } from '../../src/log/client-verify.ts';
import { generateNoteKey, parseSignerKey } from '../../src/log/note-keys.ts';
import { appendEntries, directoryTileReader } from '../../src/log/tile-writer.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { assertLogRejects, leafData } from './helpers.ts';

const KEY = generateNoteKey('example.org/log');
const SIGNER = parseSignerKey(KEY.signerKey);

async function grow(dir: string, from: number, count: number, data = leafData) {
	const entries = Array.from({ length: count }, (_, i) => data(from + i));
	return (await appendEntries(dir, entries, { signer: SIGNER })).checkpoint.note;
}

describe('verifyLogUpdate', () => {
	it('accepts a first checkpoint, then each one that extends it, with the leaf included', async () => {
		const dir = makeTempDir();
		const readTile = directoryTileReader(dir);
		let stored: string | undefined;
		let size = 0;
		for (const count of [1, 6, 300, 1, 500]) {
			const checkpoint = await grow(dir, size, count);
			size += count;
			const update = await verifyLogUpdate({
				verifierKey: KEY.verifierKey,
				stored,
				checkpoint,
				readTile,
				leaf: { data: leafData(size - 1), index: size - 1 },
			});
			assert.equal(update.checkpoint.size, size);
			assert.deepEqual(Buffer.from(await update.log.entry(0)), Buffer.from(leafData(0)));
			stored = update.checkpoint.note;
		}
		// The same checkpoint again is no change, and fine.
		const again = await verifyLogUpdate({
			verifierKey: KEY.verifierKey,
			stored,
			checkpoint: stored as string,
			readTile,
		});
		assert.equal(again.checkpoint.size, size);
	});

	it('refuses a smaller tree than the stored one (a truncated log)', async () => {
		const dir = makeTempDir();
		const small = await grow(dir, 0, 5);
		const big = await grow(dir, 5, 5);
		await assertLogRejects(
			() =>
				verifyLogUpdate({
					verifierKey: KEY.verifierKey,
					stored: big,
					checkpoint: small,
					readTile: directoryTileReader(dir),
				}),
			'LOG_INCONSISTENT',
		);
	});

	it('refuses another root at the stored size (a fork), with no tile read', async () => {
		const dir = makeTempDir();
		const honest = await grow(dir, 0, 9);
		const forkDir = makeTempDir();
		const fork = await grow(forkDir, 0, 9, (i) => (i === 4 ? new Uint8Array([4]) : leafData(i)));
		await assertLogRejects(
			() =>
				verifyLogUpdate({
					verifierKey: KEY.verifierKey,
					stored: honest,
					checkpoint: fork,
					readTile: async () => {
						throw new Error('no read is needed to see a fork');
					},
				}),
			'LOG_INCONSISTENT',
		);
	});

	it('refuses a longer tree whose history differs from the stored one', async () => {
		const dir = makeTempDir();
		const stored = await grow(dir, 0, 300);
		// The log operator rewrites entry 10 and publishes a bigger, validly signed tree.
		const forkDir = makeTempDir();
		const rewritten = await grow(forkDir, 0, 700, (i) =>
			i === 10 ? new Uint8Array([10]) : leafData(i),
		);
		await assertLogRejects(
			() =>
				verifyLogUpdate({
					verifierKey: KEY.verifierKey,
					stored,
					checkpoint: rewritten,
					readTile: directoryTileReader(forkDir),
				}),
			'LOG_INCONSISTENT',
		);
		// The honest continuation is accepted from the same stored state.
		const honest = await grow(dir, 300, 400);
		await verifyLogUpdate({
			verifierKey: KEY.verifierKey,
			stored,
			checkpoint: honest,
			readTile: directoryTileReader(dir),
		});
	});

	it('refuses a checkpoint by another key, for another origin, or a tampered stored one', async () => {
		const dir = makeTempDir();
		const checkpoint = await grow(dir, 0, 3);
		const readTile = directoryTileReader(dir);
		const other = generateNoteKey('example.org/log');
		await assertLogRejects(
			() => verifyLogUpdate({ verifierKey: other.verifierKey, checkpoint, readTile }),
			'LOG_BAD_SIGNATURE',
		);
		await assertLogRejects(
			() =>
				verifyLogUpdate({
					verifierKey: KEY.verifierKey,
					origin: 'other.example/log',
					checkpoint,
					readTile,
				}),
			'LOG_BAD_CHECKPOINT',
		);
		const tamperedStored = checkpoint.replace('\n3\n', '\n2\n');
		await assertLogRejects(
			() =>
				verifyLogUpdate({
					verifierKey: KEY.verifierKey,
					stored: tamperedStored,
					checkpoint,
					readTile,
				}),
			'LOG_BAD_SIGNATURE',
		);
		await assertLogRejects(
			() => verifyLogUpdate({ verifierKey: 'not a key', checkpoint, readTile }),
			'LOG_BAD_KEY',
		);
	});

	it('refuses when the expected leaf is not at the given index, or past the end', async () => {
		const dir = makeTempDir();
		const checkpoint = await grow(dir, 0, 20);
		const readTile = directoryTileReader(dir);
		const base = { verifierKey: KEY.verifierKey, checkpoint, readTile };
		await verifyLogUpdate({ ...base, leaf: { data: leafData(7), index: 7 } });
		await assertLogRejects(
			() => verifyLogUpdate({ ...base, leaf: { data: leafData(7), index: 8 } }),
			'LOG_NOT_INCLUDED',
		);
		await assertLogRejects(
			() => verifyLogUpdate({ ...base, leaf: { data: leafData(70), index: 20 } }),
			'LOG_NOT_INCLUDED',
		);
		await assertLogRejects(
			() => verifyLogUpdate({ ...base, leaf: { data: leafData(7), index: -1 } }),
			'LOG_NOT_INCLUDED',
		);
	});

	it('reports tiles that do not match the new checkpoint as bad tiles, not as a rewritten history', async () => {
		const dir = makeTempDir();
		const stored = await grow(dir, 0, 100);
		await grow(dir, 100, 100);
		// A checkpoint signed for a root the tiles do not give.
		const lying = signCheckpoint(
			{ origin: 'example.org/log', size: 200, root: new Uint8Array(32), extensions: [] },
			[SIGNER],
		);
		await assertLogRejects(
			() =>
				verifyLogUpdate({
					verifierKey: KEY.verifierKey,
					stored,
					checkpoint: lying,
					readTile: directoryTileReader(dir),
				}),
			'LOG_BAD_TILE',
		);
	});
});

/**
 * Reads a run of registry log entries from a verified tiled log: each bundle is checked
 * against the tree (so every entry returned is included under the checkpoint's root), each
 * entry decoded strictly. Bounded: at most MAX_ENTRIES_PER_READ entries per call, so no log
 * can make a reader hold more than that at once.
 */
import { logError } from './errors.ts';
import { TILE_WIDTH } from './limits.ts';
import { decodeRegistryLogEntry, type RegistryLogEntry } from './registry-entry.ts';
import type { TileLog } from './tile-reader.ts';

export const MAX_ENTRIES_PER_READ = 100_000;

export interface ReadEntry {
	index: number;
	entry: RegistryLogEntry;
	/** The exact bytes of the leaf. */
	bytes: Uint8Array;
}

/** Entries [from, to) of the log, in order. */
export async function readLogEntries(log: TileLog, from: number, to: number): Promise<ReadEntry[]> {
	if (
		!Number.isSafeInteger(from) ||
		!Number.isSafeInteger(to) ||
		from < 0 ||
		to > log.size ||
		from > to
	) {
		throw logError('LOG_INVALID_ARGUMENT', `No entries ${from} to ${to} in a log of ${log.size}.`);
	}
	if (to - from > MAX_ENTRIES_PER_READ) {
		throw logError(
			'LOG_INVALID_ARGUMENT',
			`At most ${MAX_ENTRIES_PER_READ} entries are read at once.`,
		);
	}
	const read: ReadEntry[] = [];
	for (let bundle = Math.floor(from / TILE_WIDTH); bundle * TILE_WIDTH < to; bundle++) {
		const entries = await log.entryBundle(bundle);
		for (const [i, bytes] of entries.entries()) {
			const index = bundle * TILE_WIDTH + i;
			if (index < from || index >= to) continue;
			let entry: RegistryLogEntry;
			try {
				entry = decodeRegistryLogEntry(bytes);
			} catch (error) {
				throw logError('LOG_BAD_ENTRY', `Entry ${index} of the log is not a registry log entry.`, {
					cause: error,
				});
			}
			read.push({ index, entry, bytes });
		}
	}
	return read;
}

/**
 * C2SP tlog-tiles entry bundles: the entries of one tile, each as a 2-byte big-endian length
 * and its bytes. Parsing is bounded: exactly the expected number of entries, each within the
 * size limit, and nothing after the last.
 */
import { logError } from './errors.ts';
import { MAX_ENTRY_BYTES_FORMAT, TILE_WIDTH } from './limits.ts';

export function encodeEntryBundle(entries: readonly Uint8Array[]): Uint8Array {
	if (entries.length > TILE_WIDTH) {
		throw logError('LOG_INVALID_ARGUMENT', `A bundle holds at most ${TILE_WIDTH} entries.`);
	}
	let total = 0;
	for (const entry of entries) {
		assertEntrySize(entry, MAX_ENTRY_BYTES_FORMAT);
		total += 2 + entry.length;
	}
	const bundle = new Uint8Array(total);
	let at = 0;
	for (const entry of entries) {
		bundle[at] = entry.length >> 8;
		bundle[at + 1] = entry.length & 0xff;
		bundle.set(entry, at + 2);
		at += 2 + entry.length;
	}
	return bundle;
}

export function assertEntrySize(entry: Uint8Array, maxBytes: number): void {
	if (!(entry instanceof Uint8Array) || entry.length > maxBytes) {
		throw logError('LOG_INVALID_ARGUMENT', `A log entry is larger than ${maxBytes} bytes.`);
	}
}

/** The largest bundle of `count` entries within `maxEntryBytes` each: the bound for reading one. */
export function maxBundleBytes(count: number, maxEntryBytes: number): number {
	return count * (2 + maxEntryBytes);
}

export function parseEntryBundle(
	bundle: Uint8Array,
	expectedCount: number,
	maxEntryBytes: number,
): Uint8Array[] {
	if (bundle.length > maxBundleBytes(expectedCount, maxEntryBytes)) {
		throw logError('LOG_BAD_TILE', 'The entry bundle is larger than its entries may be.');
	}
	const entries: Uint8Array[] = [];
	let at = 0;
	while (at < bundle.length) {
		if (entries.length === expectedCount) {
			throw logError('LOG_BAD_TILE', 'The entry bundle has bytes after its last entry.');
		}
		if (at + 2 > bundle.length) throw logError('LOG_BAD_TILE', 'An entry length is cut off.');
		const length = ((bundle[at] as number) << 8) | (bundle[at + 1] as number);
		if (length > maxEntryBytes) throw logError('LOG_BAD_TILE', 'An entry is too large.');
		if (at + 2 + length > bundle.length) throw logError('LOG_BAD_TILE', 'An entry is cut off.');
		entries.push(bundle.subarray(at + 2, at + 2 + length));
		at += 2 + length;
	}
	if (entries.length !== expectedCount) {
		throw logError(
			'LOG_BAD_TILE',
			`The bundle has ${entries.length} entries, not ${expectedCount}.`,
		);
	}
	return entries;
}

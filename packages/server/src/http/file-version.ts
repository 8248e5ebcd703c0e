/**
 * The version of a mutable signed file, where it has one: `signed.version` of the timestamp
 * metadata, the tree size of the log checkpoint (its second line, C2SP tlog-checkpoint). It lets
 * a process refuse to swap the file it serves for an older one.
 */
import { TIMESTAMP_PATH } from '../publish/timestamp-expiry.ts';

export const CHECKPOINT_PATH = 'log/checkpoint';
const MAX_VERSIONED_BYTES = 1024 * 1024;

export function versionOf(path: string, bytes: Uint8Array): number | undefined {
	if (bytes.byteLength > MAX_VERSIONED_BYTES) return undefined;
	const text = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8');
	if (path === TIMESTAMP_PATH) {
		try {
			const version = (JSON.parse(text) as { signed?: { version?: unknown } }).signed?.version;
			return typeof version === 'number' && Number.isSafeInteger(version) ? version : undefined;
		} catch {
			return undefined;
		}
	}
	if (path === CHECKPOINT_PATH) {
		const size = text.split('\n')[1] ?? '';
		return /^[0-9]{1,15}$/.test(size) ? Number(size) : undefined;
	}
	return undefined;
}

/** True when `next` is a readable version below the readable version of `held`. */
export function isBackwards(path: string, held: Uint8Array, next: Uint8Array | undefined): boolean {
	if (next === undefined) return false;
	const before = versionOf(path, held);
	const after = versionOf(path, next);
	return before !== undefined && after !== undefined && after < before;
}

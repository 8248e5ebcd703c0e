/**
 * What the last `check-updates` found, so `list` and `info` can show available updates
 * without going to the network. A hint only: `update` always asks the remote again.
 */
import { join } from 'node:path';
import { readFileBounded, writeFileAtomic } from '../core/atomic-fs.ts';
import type { UpdateCheck } from './check-updates.ts';

export interface KnownUpdate {
	from: string;
	to: string;
	checkedAt: string;
}

const MAX_BYTES = 4 * 1024 * 1024;

function cachePath(cacheDir: string): string {
	return join(cacheDir, 'updates.json');
}

export async function readUpdateCache(cacheDir: string): Promise<Record<string, KnownUpdate>> {
	try {
		const parsed = JSON.parse(
			(await readFileBounded(cachePath(cacheDir), MAX_BYTES)).toString('utf8'),
		);
		if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) return {};
		const known: Record<string, KnownUpdate> = {};
		for (const [uuid, value] of Object.entries(parsed as Record<string, unknown>)) {
			const item = value as Partial<KnownUpdate>;
			if (
				typeof item.from === 'string' &&
				typeof item.to === 'string' &&
				typeof item.checkedAt === 'string'
			) {
				known[uuid] = { from: item.from, to: item.to, checkedAt: item.checkedAt };
			}
		}
		return known;
	} catch {
		// Missing or damaged: no hints, which is harmless.
		return {};
	}
}

export async function writeUpdateCache(
	cacheDir: string,
	checks: readonly UpdateCheck[],
	now: Date,
): Promise<void> {
	const known: Record<string, KnownUpdate> = {};
	for (const check of checks) {
		if (check.status === 'available')
			known[check.uuid] = { from: check.from, to: check.to, checkedAt: now.toISOString() };
	}
	const { mkdir } = await import('node:fs/promises');
	await mkdir(cacheDir, { recursive: true });
	await writeFileAtomic(cachePath(cacheDir), JSON.stringify(known));
}

/** After an update the hint is stale: drop it, so `list` does not offer what is installed. */
export async function forgetUpdates(cacheDir: string, uuids: readonly string[]): Promise<void> {
	if (uuids.length === 0) return;
	const known = await readUpdateCache(cacheDir);
	let changed = false;
	for (const uuid of uuids) {
		if (known[uuid] !== undefined) {
			delete known[uuid];
			changed = true;
		}
	}
	if (changed) await writeFileAtomic(cachePath(cacheDir), JSON.stringify(known));
}

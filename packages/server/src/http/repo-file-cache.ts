/**
 * The signed repository's files, read from `repo_files` through a small in-process cache.
 * Clients poll `timestamp.json` and the log checkpoint constantly, almost always getting a 304,
 * so a mutable file's row is re-checked (its sha256 only) at most every `freshMs`; its bytes
 * are read again only when the digest moved. Immutable files (consistent-snapshot metadata,
 * targets, full tiles) never change once written and are kept in an LRU bounded by bytes.
 *
 * A mutable file never goes backwards in one process: a row whose version (the timestamp's
 * `signed.version`, the checkpoint's tree size) is below the one already held is not taken, so
 * a host never gets from this process a timestamp older than one this process already served.
 */
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { isBackwards } from './file-version.ts';

export interface RepoFile {
	bytes: Uint8Array;
	sha256: string;
	immutable: boolean;
}

export interface RepoFileCacheOptions {
	db: Kysely<ServiceDatabase>;
	/** How long a mutable file (or a miss) is served without asking the database. Default 300 ms. */
	freshMs?: number;
	/** Bytes of immutable files kept. Default 32 MiB. */
	immutableBytes?: number;
	/** Mutable paths and misses remembered. Default 1 000. */
	maxMutableEntries?: number;
	/** Milliseconds, monotonic; injected for tests. */
	now?: () => number;
}

interface MutableEntry {
	file: RepoFile | undefined;
	checkedAt: number;
}

export interface RepoFileCache {
	get(path: string): Promise<RepoFile | undefined>;
	/**
	 * The answer `get` would give without asking the database, when it is fresh; undefined when
	 * only `get` can tell. The hot path's way to answer without a promise.
	 */
	peek(path: string): { file: RepoFile | undefined } | undefined;
	/** Makes every mutable file be re-checked at its next read (a publish was announced). */
	expire(): void;
}

export function createRepoFileCache(options: RepoFileCacheOptions): RepoFileCache {
	const { db } = options;
	const freshMs = options.freshMs ?? 300;
	const immutableBudget = options.immutableBytes ?? 32 * 1024 * 1024;
	const maxMutable = options.maxMutableEntries ?? 1000;
	const now = options.now ?? (() => performance.now());
	const mutable = new Map<string, MutableEntry>();
	const immutable = new Map<string, RepoFile>();
	let immutableSize = 0;

	function remember(path: string, entry: MutableEntry): void {
		mutable.delete(path);
		mutable.set(path, entry);
		while (mutable.size > maxMutable) {
			const oldest = mutable.keys().next().value;
			if (oldest === undefined) break;
			mutable.delete(oldest);
		}
	}

	function keepImmutable(path: string, file: RepoFile): void {
		// A file larger than a quarter of the budget would evict too much; it is served uncached.
		if (file.bytes.byteLength > immutableBudget / 4) return;
		immutable.set(path, file);
		immutableSize += file.bytes.byteLength;
		for (const [key, value] of immutable) {
			if (immutableSize <= immutableBudget) break;
			immutable.delete(key);
			immutableSize -= value.bytes.byteLength;
		}
	}

	async function load(path: string): Promise<RepoFile | undefined> {
		const row = await db
			.selectFrom('repo_files')
			.select(['bytes', 'sha256', 'immutable'])
			.where('path', '=', path)
			.executeTakeFirst();
		if (row === undefined) return undefined;
		return { bytes: new Uint8Array(row.bytes), sha256: row.sha256, immutable: row.immutable === 1 };
	}

	/** A stale path being re-read: concurrent requests share the one query. */
	const inflight = new Map<string, Promise<RepoFile | undefined>>();

	/** Bumped by `expire()`: a re-check that began before it does not count as fresh. */
	let generation = 0;

	async function refresh(path: string, entry: MutableEntry | undefined, at: number) {
		const began = generation;
		const checkedAt = () => (began === generation ? at : Number.NEGATIVE_INFINITY);
		if (entry?.file !== undefined) {
			const row = await db
				.selectFrom('repo_files')
				.select('sha256')
				.where('path', '=', path)
				.executeTakeFirst();
			if (row?.sha256 === entry.file.sha256) {
				remember(path, { file: entry.file, checkedAt: checkedAt() });
				return entry.file;
			}
		}
		const loaded = await load(path);
		const file =
			entry?.file !== undefined && isBackwards(path, entry.file.bytes, loaded?.bytes)
				? entry.file
				: loaded;
		if (file?.immutable) {
			mutable.delete(path);
			keepImmutable(path, file);
		} else {
			remember(path, { file, checkedAt: checkedAt() });
		}
		return file;
	}

	return {
		async get(path) {
			const kept = immutable.get(path);
			if (kept !== undefined) {
				immutable.delete(path);
				immutable.set(path, kept);
				return kept;
			}
			const at = now();
			const entry = mutable.get(path);
			if (entry !== undefined && at - entry.checkedAt < freshMs) return entry.file;
			const pending = inflight.get(path);
			if (pending !== undefined) return pending;
			const started = refresh(path, entry, at).finally(() => inflight.delete(path));
			inflight.set(path, started);
			return started;
		},
		peek(path) {
			const kept = immutable.get(path);
			if (kept !== undefined) return { file: kept };
			const entry = mutable.get(path);
			if (entry !== undefined && now() - entry.checkedAt < freshMs) return entry;
			return undefined;
		},
		expire() {
			generation++;
			for (const entry of mutable.values()) entry.checkedAt = Number.NEGATIVE_INFINITY;
		},
	};
}

/**
 * The publisher's private working copy of the repository: the library signs and appends to a
 * repository *directory*, while the service keeps the repository in `repo_files`, so a
 * publish needs the files on disk. The copy is kept between publishes and brought up to date
 * from the database before each one, rather than rebuilt from scratch, because the log's full
 * tiles and old metadata only grow: downloading all of them for every publish would cost more
 * with every publish. Only files whose SHA-256 differs from the database's are fetched, and
 * each one fetched is checked against its recorded SHA-256 before it is used.
 *
 * Targets (`targets/…`) are never downloaded: a publish writes the targets it signs and never
 * reads old ones. After a publish the files that differ from the database are collected for
 * the commit; a publish that does not commit throws the whole copy away, so a half-written
 * or uncommitted state is never built upon. The directory is created 0700 under a fresh
 * temporary name and is this process's alone.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, sep } from 'node:path';
import { TEMP_SUFFIX, writeFileAtomic } from '@vouch/library/internal/core/atomic-fs';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { sha256Hex } from '@vouch/library/internal/tuf/metadata';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { isImmutablePath, isPublishedPath, isTargetPath } from './repo-paths.ts';

/** What the database holds under one path. */
export interface StoredFile {
	sha256: string;
	immutable: boolean;
}

/** A file a publish wrote that the database does not hold yet (or holds other bytes of). */
export interface ChangedFile {
	path: string;
	bytes: Buffer;
	sha256: string;
	immutable: boolean;
}

export interface WorkingCopy {
	/** The repository directory handed to `publishRepository`. */
	readonly repoDir: string;
	/** Where the change journal of a publish is written (outside the repository). */
	readonly journalPath: string;
	/** Brings the copy up to the database's state; returns what the database holds. */
	sync(db: Kysely<ServiceDatabase>): Promise<Map<string, StoredFile>>;
	/** The files that differ from `stored` after a publish ran in the copy. */
	collect(stored: ReadonlyMap<string, StoredFile>): Promise<ChangedFile[]>;
	/** Records that `changed` is now what the database holds too. */
	accept(changed: readonly ChangedFile[]): Promise<void>;
	/** Forgets everything: the next sync downloads the repository again. */
	discard(): Promise<void>;
	/** Removes the directory for good. */
	remove(): Promise<void>;
}

/** Rows fetched per query while downloading, so no single answer grows without bound. */
const FETCH_BATCH = 64;

interface LocalFile {
	sha256: string;
	/** Size, modification time and inode: a file rewritten since (atomically) differs here. */
	stamp: string;
}

export async function createWorkingCopy(parentDir = tmpdir()): Promise<WorkingCopy> {
	const base = await mkdtemp(join(parentDir, 'vouch-publisher-'));
	const repoDir = join(base, 'repo');
	const journalPath = join(base, 'changes.jsonl');
	const known = new Map<string, LocalFile>();

	const localPath = (path: string) => {
		if (!isPublishedPath(path)) {
			throw serverError(
				'PUBLISH_FAILED',
				`The repository holds a file with an unusable path (${sanitizeText(path, { maxLength: 200 })}).`,
			);
		}
		return join(repoDir, ...path.split('/'));
	};

	async function discard(): Promise<void> {
		known.clear();
		await rm(repoDir, { recursive: true, force: true });
	}

	async function sync(db: Kysely<ServiceDatabase>): Promise<Map<string, StoredFile>> {
		const rows = await db
			.selectFrom('repo_files')
			.select(['path', 'sha256', 'immutable'])
			.execute();
		const stored = new Map<string, StoredFile>(
			rows.map((row) => [row.path, { sha256: row.sha256, immutable: Number(row.immutable) === 1 }]),
		);
		// Files are never removed from the database: a local file it lacks means the database
		// is not the one this copy was made from. Start again from what it holds.
		if ([...known.keys()].some((path) => !stored.has(path))) await discard();
		await mkdir(repoDir, { recursive: true, mode: 0o700 });
		const wanted = rows
			.filter((row) => !isTargetPath(row.path) && known.get(row.path)?.sha256 !== row.sha256)
			.map((row) => row.path);
		for (let i = 0; i < wanted.length; i += FETCH_BATCH) {
			const batch = await db
				.selectFrom('repo_files')
				.select(['path', 'bytes', 'sha256'])
				.where('path', 'in', wanted.slice(i, i + FETCH_BATCH))
				.execute();
			for (const row of batch) {
				const bytes = Buffer.from(row.bytes);
				if (sha256Hex(bytes) !== row.sha256) {
					throw serverError(
						'PUBLISH_FAILED',
						`The stored repository file ${sanitizeText(row.path, { maxLength: 200 })} does not match its recorded SHA-256.`,
						{ hint: 'Restore the database from a backup; publishing stops until then.' },
					);
				}
				const file = localPath(row.path);
				await mkdir(dirname(file), { recursive: true, mode: 0o700 });
				await writeFileAtomic(file, bytes, { mode: 0o600 });
				known.set(row.path, { sha256: row.sha256, stamp: await stampOf(file) });
			}
		}
		return stored;
	}

	async function collect(stored: ReadonlyMap<string, StoredFile>): Promise<ChangedFile[]> {
		const changed: ChangedFile[] = [];
		for (const file of await listFiles(repoDir)) {
			const path = relative(repoDir, file).split(sep).join('/');
			if (!isPublishedPath(path) || path.endsWith(TEMP_SUFFIX)) continue;
			const stamp = await stampOf(file);
			if (known.get(path)?.stamp === stamp) continue;
			const bytes = await readFile(file);
			const sha256 = sha256Hex(bytes);
			const before = stored.get(path);
			if (before?.sha256 === sha256) continue;
			if (before?.immutable === true) {
				throw serverError(
					'PUBLISH_FAILED',
					`The publish rewrote ${sanitizeText(path, { maxLength: 200 })}, a file that never changes once published.`,
					{
						hint: 'The working copy and the database disagree; the publish is retried from the database.',
					},
				);
			}
			changed.push({ path, bytes, sha256, immutable: isImmutablePath(path) });
		}
		return changed;
	}

	async function accept(changed: readonly ChangedFile[]): Promise<void> {
		for (const file of changed) {
			if (isTargetPath(file.path)) continue;
			known.set(file.path, { sha256: file.sha256, stamp: await stampOf(localPath(file.path)) });
		}
		// Targets are signed anew by every publish and never read back: keep none locally.
		await rm(join(repoDir, 'targets'), { recursive: true, force: true });
	}

	return {
		repoDir,
		journalPath,
		sync,
		collect,
		accept,
		discard,
		remove: () => rm(base, { recursive: true, force: true }),
	};
}

async function stampOf(file: string): Promise<string> {
	const info = await stat(file, { bigint: true });
	return `${info.size}:${info.mtimeNs}:${info.ino}`;
}

async function listFiles(dir: string): Promise<string[]> {
	const files: string[] = [];
	let entries: import('node:fs').Dirent[];
	try {
		entries = await readdir(dir, { withFileTypes: true });
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code === 'ENOENT') return files;
		throw error;
	}
	for (const entry of entries) {
		const full = join(dir, entry.name);
		if (entry.isDirectory()) files.push(...(await listFiles(full)));
		else if (entry.isFile()) files.push(full);
	}
	return files;
}

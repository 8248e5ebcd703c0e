/**
 * The repository directory any static web server can serve:
 *
 *   metadata/1.root.json ... N.root.json, root.json (the newest root, to ship with hosts)
 *   metadata/<v>.targets.json, metadata/<v>.snapshot.json, metadata/timestamp.json
 *   targets/<sha256>.registry.json, targets/<sha256>.blacklist.json
 *   pending-root.json   (a root being signed by its key holders; never read by clients)
 *
 * Old versions stay: a client that read timestamp.json a moment before a publish must still
 * find the snapshot and targets it names (consistent snapshots).
 */
import { mkdir } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Metadata, Root, Timestamp } from '@tufjs/models';
import { readFileBounded, writeFileAtomic } from '../../core/atomic-fs.ts';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { tufError } from '../errors.ts';
import { decodeMetadata, METADATA_MAX_BYTES, type RoleName, versionedName } from '../metadata.ts';

export interface RepositoryPaths {
	dir: string;
	metadata: string;
	targets: string;
	pendingRoot: string;
}

export function repositoryPaths(dir: string): RepositoryPaths {
	return {
		dir,
		metadata: join(dir, 'metadata'),
		targets: join(dir, 'targets'),
		pendingRoot: join(dir, 'pending-root.json'),
	};
}

/** What the next publish builds on: the current root and the newest versions of each role. */
export interface RepositoryState {
	root?: Metadata<Root>;
	timestamp?: Metadata<Timestamp>;
	/** 0 when the role was never published. */
	versions: { timestamp: number; snapshot: number; targets: number };
}

export async function readRepositoryState(dir: string): Promise<RepositoryState> {
	const paths = repositoryPaths(dir);
	const root = await readOptionalMetadata(join(paths.metadata, 'root.json'), 'root');
	if (root !== undefined) {
		// root.json is a copy; the versioned file is what clients fetch during rotation.
		const versioned = join(paths.metadata, versionedName('root', root.signed.version));
		const copy = await readOptionalMetadata(versioned, 'root');
		if (copy === undefined || !copy.signed.equals(root.signed)) {
			throw inconsistent(
				dir,
				`root.json is not the same as ${versionedName('root', root.signed.version)}`,
			);
		}
	}
	const timestamp = await readOptionalMetadata(join(paths.metadata, 'timestamp.json'), 'timestamp');
	if (timestamp === undefined) {
		return {
			...(root === undefined ? {} : { root }),
			versions: { timestamp: 0, snapshot: 0, targets: 0 },
		};
	}
	const snapshotVersion = timestamp.signed.snapshotMeta.version;
	const snapshotFile = join(paths.metadata, versionedName('snapshot', snapshotVersion));
	const snapshot = await readOptionalMetadata(snapshotFile, 'snapshot');
	const targetsMeta = snapshot?.signed.meta['targets.json'];
	if (snapshot === undefined || targetsMeta === undefined) {
		throw inconsistent(
			dir,
			`timestamp.json names snapshot ${snapshotVersion}, which is missing or lists no targets`,
		);
	}
	return {
		...(root === undefined ? {} : { root }),
		timestamp,
		versions: {
			timestamp: timestamp.signed.version,
			snapshot: snapshotVersion,
			targets: targetsMeta.version,
		},
	};
}

export async function readOptionalMetadata<R extends RoleName>(path: string, role: R) {
	let bytes: Buffer;
	try {
		bytes = await readFileBounded(path, METADATA_MAX_BYTES[role]);
	} catch (error) {
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return undefined;
		throw inconsistent(path, error instanceof Error ? error.message : String(error), error);
	}
	try {
		return decodeMetadata(role, bytes);
	} catch (error) {
		throw inconsistent(
			path,
			`not ${role} metadata (${error instanceof Error ? error.message : ''})`,
			error,
		);
	}
}

export async function ensureRepositoryDirs(paths: RepositoryPaths): Promise<void> {
	await mkdir(paths.metadata, { recursive: true });
	await mkdir(paths.targets, { recursive: true });
}

/** Atomic, so a web server never serves half a file. */
export async function writeRepositoryFile(path: string, bytes: Uint8Array): Promise<void> {
	await mkdir(dirname(path), { recursive: true });
	await writeFileAtomic(path, bytes, { mode: 0o644 });
}

function inconsistent(where: string, problem: string, cause?: unknown) {
	return tufError(
		'TUF_REPOSITORY_INVALID',
		`The TUF repository at ${sanitizeText(where)} cannot be extended: ${sanitizeText(problem, { maxLength: 300 })}.`,
		{
			hint: 'Restore the repository directory from its last good copy before publishing again.',
			...(cause === undefined ? {} : { cause }),
		},
	);
}

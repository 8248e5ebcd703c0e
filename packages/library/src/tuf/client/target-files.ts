/**
 * Target files in the client's targets directory, named `<sha256>.<name>` like the repository
 * names them. Content-addressed names mean a refresh never overwrites the file the stored
 * (committed) metadata points at, so a refresh that fails half-way leaves a consistent cache.
 * Every read checks length and SHA-256 against verified metadata, on the exact bytes used.
 */
import { readdir, unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metadata, TargetFile, Targets } from '@tufjs/models';
import { readFileBounded } from '../../core/atomic-fs.ts';
import { isVouchError } from '../../core/errors.ts';
import { MAX_REGISTRY_BYTES } from '../../registry/limits.ts';
import { tufError } from '../errors.ts';
import { hashedTargetName, LOG_KEY_TARGET, sha256Hex } from '../metadata.ts';

const TARGET_FILE = /^[0-9a-f]{64}\.((registry|blacklist)\.json|log-key\.txt)$/;
const MAX_LOG_KEY_BYTES = 1024;

/** The verified record of one target, checked to be usable before anything is downloaded. */
export function requireTarget(targets: Metadata<Targets>, name: string): TargetFile {
	const info = targets.signed.targets[name];
	if (info === undefined) {
		throw tufError('TUF_TARGET_MISSING', `The signed targets do not list ${name}.`, {
			hint: 'The repository was published wrongly; tell the registry maintainers.',
		});
	}
	checkTarget(info);
	return info;
}

/**
 * The log key target. A repository without one publishes no log, and is refused: its history
 * could not be checked, and D28 makes the check part of every refresh (D1: refuse when unsure).
 */
export function requireLogKeyTarget(targets: Metadata<Targets>): TargetFile {
	const info = targets.signed.targets[LOG_KEY_TARGET];
	if (info === undefined) {
		throw tufError(
			'TUF_LOG_MISSING',
			'The signed targets list no transparency log key (log-key.txt).',
			{
				hint: 'The registry history cannot be checked, so the last verified registry is kept. Tell the registry maintainers: publish with a current `vouch registry publish`.',
			},
		);
	}
	checkTarget(info);
	if (info.length > MAX_LOG_KEY_BYTES) {
		throw tufError(
			'TUF_TARGET_INVALID',
			`The signed ${LOG_KEY_TARGET} is larger than ${MAX_LOG_KEY_BYTES} bytes.`,
		);
	}
	return info;
}

/** Bounds the download before it starts, and keeps the file name a plain hex digest. */
export function checkTarget(info: TargetFile): void {
	const sha256 = info.hashes.sha256;
	if (sha256 === undefined || !/^[0-9a-f]{64}$/.test(sha256)) {
		throw tufError('TUF_TARGET_INVALID', `The signed record of ${info.path} has no SHA-256.`);
	}
	if (info.length > MAX_REGISTRY_BYTES) {
		throw tufError(
			'TUF_TARGET_INVALID',
			`The signed ${info.path} is ${info.length} bytes; at most ${MAX_REGISTRY_BYTES} are accepted.`,
		);
	}
}

export function targetPath(targetsDir: string, info: TargetFile): string {
	return join(targetsDir, hashedTargetName(info.path, info.hashes.sha256 as string));
}

export type TargetRead =
	| { state: 'ok'; bytes: Buffer }
	| { state: 'missing' }
	| { state: 'mismatch' };

export async function readTarget(targetsDir: string, info: TargetFile): Promise<TargetRead> {
	let bytes: Buffer;
	try {
		bytes = await readFileBounded(targetPath(targetsDir, info), info.length);
	} catch (error) {
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return { state: 'missing' };
		if (isVouchError(error) && error.code === 'FILE_TOO_LARGE') return { state: 'mismatch' };
		throw error;
	}
	const matches = bytes.byteLength === info.length && sha256Hex(bytes) === info.hashes.sha256;
	return matches ? { state: 'ok', bytes } : { state: 'mismatch' };
}

/** Removes target files the stored metadata no longer names; only files of our own naming. */
export async function pruneTargets(targetsDir: string, keep: readonly TargetFile[]): Promise<void> {
	const kept = new Set(
		keep.map((info) => hashedTargetName(info.path, info.hashes.sha256 as string)),
	);
	let names: string[];
	try {
		names = await readdir(targetsDir);
	} catch {
		return;
	}
	for (const name of names) {
		if (TARGET_FILE.test(name) && !kept.has(name)) {
			await unlink(join(targetsDir, name)).catch(() => undefined);
		}
	}
}

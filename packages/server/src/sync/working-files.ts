/**
 * Reading and writing the registry's files inside a working copy of its repository. The
 * repository's content is not ours: a `plugins.toml` (or a directory on its path) committed as a
 * symbolic link would make the service read, or overwrite, a file anywhere on its machine. So
 * every component of a path is checked with `lstat`, a link anywhere is refused, and reads are
 * bounded.
 */
import { lstat, mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { readFileBounded, writeFileAtomic } from '@vouch/library/internal/core/atomic-fs';
import { sanitizeText } from '@vouch/library/internal/core/sanitize';
import { serverError } from '../errors.ts';

/** The parts of a relative, `/`-separated path inside a working copy, or INVALID_OPTIONS. */
export function relativeParts(path: string): string[] {
	const parts = path.split('/');
	const bad =
		path.length === 0 ||
		path.length > 1024 ||
		parts.some(
			(part) =>
				part === '' ||
				part === '.' ||
				part === '..' ||
				part.toLowerCase() === '.git' ||
				part.includes('\\') ||
				part.includes('\0'),
		);
	if (bad) {
		throw serverError('INVALID_OPTIONS', `Not a path inside a repository: ${sanitizeText(path)}.`, {
			hint: 'Give a relative path such as plugins.toml or registry/plugins.toml.',
		});
	}
	return parts;
}

function refused(root: string, parts: readonly string[], what: string) {
	return serverError(
		'SYNC_REFUSED',
		`${sanitizeText(parts.join('/'))} in ${sanitizeText(root)} is ${what}; it was not used.`,
		{ hint: 'The registry repository must hold plain files and directories there.' },
	);
}

type Kind = 'file' | 'directory' | 'missing';

/** What is at `root/parts`, refusing a link at any component. */
async function kindOf(root: string, parts: readonly string[]): Promise<Kind> {
	for (let i = 1; i <= parts.length; i++) {
		const info = await lstat(join(root, ...parts.slice(0, i))).catch(
			(error: NodeJS.ErrnoException) => {
				if (error.code === 'ENOENT') return undefined;
				throw error;
			},
		);
		if (info === undefined) return 'missing';
		if (info.isSymbolicLink()) throw refused(root, parts.slice(0, i), 'a symbolic link');
		const last = i === parts.length;
		if (!last && !info.isDirectory()) throw refused(root, parts.slice(0, i), 'not a directory');
		if (last) {
			if (info.isDirectory()) return 'directory';
			if (!info.isFile()) throw refused(root, parts, 'not a regular file');
			return 'file';
		}
	}
	return 'missing';
}

/** Whether `root/path` is a real directory (no link on the way); false when missing. */
export async function isDirectoryIn(root: string, path: string): Promise<boolean> {
	return (await kindOf(root, relativeParts(path))) === 'directory';
}

/** The file's bytes, undefined when missing; SYNC_REFUSED for a link, FILE_TOO_LARGE above `maxBytes`. */
export async function readFileIn(
	root: string,
	path: string,
	maxBytes: number,
): Promise<Buffer | undefined> {
	const parts = relativeParts(path);
	const kind = await kindOf(root, parts);
	if (kind === 'missing') return undefined;
	if (kind === 'directory') throw refused(root, parts, 'a directory');
	return readFileBounded(join(root, ...parts), maxBytes);
}

/** Writes atomically unless the file already holds exactly `bytes`; returns whether it wrote. */
export async function writeFileIn(
	root: string,
	path: string,
	bytes: string,
	maxBytes: number,
): Promise<boolean> {
	const parts = relativeParts(path);
	const existing = await readFileIn(root, path, maxBytes).catch((error: { code?: string }) => {
		// An oversized file there is simply replaced.
		if (error.code === 'FILE_TOO_LARGE') return undefined;
		throw error;
	});
	if (existing?.equals(Buffer.from(bytes, 'utf8')) === true) return false;
	const parent = parts.slice(0, -1);
	if (parent.length > 0) {
		// Checked again after creating: nothing on the way may be a link.
		if ((await kindOf(root, parent)) === 'missing')
			await mkdir(join(root, ...parent), { recursive: true });
		if ((await kindOf(root, parent)) !== 'directory')
			throw refused(root, parent, 'not a directory');
	}
	await writeFileAtomic(join(root, ...parts), bytes);
	return true;
}

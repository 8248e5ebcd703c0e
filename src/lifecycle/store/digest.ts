/**
 * A digest of every file of an installed plugin, recorded at install and compared at startup
 * (D19b) to notice code changed behind Vouch's back. Symlinks are recorded by their target and
 * never followed (a link could point anywhere); `.git` is git's business and is skipped.
 * Special files are refused: a FIFO could block the reader forever, and no plugin needs one.
 */
import { createHash } from 'node:crypto';
import {
	closeSync,
	constants,
	createReadStream,
	type Dirent,
	fstatSync,
	openSync,
	readFileSync,
} from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sanitizeText } from '../../core/sanitize.ts';
import { storeError } from './errors.ts';

export interface TreeDigest {
	/** Relative POSIX path → `sha256:<hex>`, or `symlink:<sha256 of the target>`. */
	files: Record<string, string>;
	/** sha256 over the sorted (path, digest) pairs. */
	treeDigest: string;
}

export interface DigestLimits {
	maxFiles: number;
	maxBytes: number;
}

/** Far above any real plugin; a repository past these is refused rather than hashed for minutes. */
export const DEFAULT_DIGEST_LIMITS: DigestLimits = { maxFiles: 20_000, maxBytes: 256 * 1024 ** 2 };

/** Files smaller than this are read whole; larger ones are streamed. */
const WHOLE_READ_BYTES = 1024 * 1024;

export async function digestTree(
	root: string,
	limits: DigestLimits = DEFAULT_DIGEST_LIMITS,
): Promise<TreeDigest> {
	const files: Record<string, string> = {};
	let count = 0;
	let bytes = 0;
	const walk = async (dir: string, prefix: string): Promise<void> => {
		// Entry types come with the listing: no lstat per file, which is most of the cost of
		// re-hashing many small plugins at startup.
		const entries = (await readdir(dir, { withFileTypes: true })).sort((a, b) =>
			a.name < b.name ? -1 : a.name > b.name ? 1 : 0,
		);
		for (const entry of entries) {
			const { name } = entry;
			if (prefix === '' && name === '.git') continue;
			const path = join(dir, name);
			const relative = prefix === '' ? name : `${prefix}/${name}`;
			if (++count > limits.maxFiles) {
				throw storeError('TREE_TOO_LARGE', `The plugin has more than ${limits.maxFiles} files.`);
			}
			const kind = await entryKind(entry, path);
			if (kind === 'directory') {
				await walk(path, relative);
			} else if (kind === 'symlink') {
				files[relative] = `symlink:${sha256(await readlink(path))}`;
			} else if (kind === 'file') {
				const hashed = await hashFile(path, relative);
				bytes += hashed.size;
				if (bytes > limits.maxBytes) {
					throw storeError('TREE_TOO_LARGE', `The plugin is larger than ${limits.maxBytes} bytes.`);
				}
				files[relative] = `sha256:${hashed.digest}`;
			} else {
				throw storeError(
					'SPECIAL_FILE',
					`${sanitizeText(relative)} is not a regular file, directory or symlink.`,
					{ hint: 'Plugins may not contain devices, sockets or FIFOs.' },
				);
			}
		}
	};
	await walk(root, '');
	return { files, treeDigest: treeDigestOf(files) };
}

export function treeDigestOf(files: Readonly<Record<string, string>>): string {
	const hash = createHash('sha256');
	for (const path of Object.keys(files).sort()) hash.update(`${path}\0${files[path]}\n`);
	return `sha256:${hash.digest('hex')}`;
}

export interface TreeChanges {
	changed: string[];
	added: string[];
	removed: string[];
}

export function compareTrees(
	recorded: Readonly<Record<string, string>>,
	current: Readonly<Record<string, string>>,
): TreeChanges {
	const changes: TreeChanges = { changed: [], added: [], removed: [] };
	for (const [path, digest] of Object.entries(current)) {
		const before = recorded[path];
		if (before === undefined) changes.added.push(path);
		else if (before !== digest) changes.changed.push(path);
	}
	for (const path of Object.keys(recorded)) {
		if (current[path] === undefined) changes.removed.push(path);
	}
	for (const list of Object.values(changes)) list.sort();
	return changes;
}

function sha256(text: string): string {
	return createHash('sha256').update(text).digest('hex');
}

/**
 * Opened without following links and without blocking, then checked again: the entry may have
 * been swapped for a link or a FIFO since it was listed.
 */
async function hashFile(path: string, relative: string): Promise<{ digest: string; size: number }> {
	// Small files, nearly all of a plugin, are read synchronously: four thread-pool round trips
	// per file (open, stat, read, close) cost more than the read itself.
	const fd = openSync(path, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
	let closeFd = true;
	try {
		const info = fstatSync(fd);
		if (!info.isFile()) {
			throw storeError('SPECIAL_FILE', `${sanitizeText(relative)} changed while it was read.`);
		}
		if (info.size < WHOLE_READ_BYTES) {
			const content = readFileSync(fd);
			return { digest: createHash('sha256').update(content).digest('hex'), size: content.length };
		}
		closeFd = false;
		const hash = createHash('sha256');
		let size = 0;
		for await (const chunk of createReadStream('', { fd, autoClose: true })) {
			hash.update(chunk as Buffer);
			size += (chunk as Buffer).length;
		}
		return { digest: hash.digest('hex'), size };
	} finally {
		if (closeFd) closeSync(fd);
	}
}

type EntryKind = 'directory' | 'symlink' | 'file' | 'special';

/** From the listing when the file system reports it; from lstat when it does not (DT_UNKNOWN). */
async function entryKind(entry: Dirent, path: string): Promise<EntryKind> {
	const info: Pick<Dirent, 'isDirectory' | 'isSymbolicLink' | 'isFile'> =
		entry.isDirectory() || entry.isSymbolicLink() || entry.isFile() || isSpecial(entry)
			? entry
			: await lstat(path);
	if (info.isDirectory()) return 'directory';
	if (info.isSymbolicLink()) return 'symlink';
	if (info.isFile()) return 'file';
	return 'special';
}

function isSpecial(entry: Dirent): boolean {
	return entry.isFIFO() || entry.isSocket() || entry.isBlockDevice() || entry.isCharacterDevice();
}

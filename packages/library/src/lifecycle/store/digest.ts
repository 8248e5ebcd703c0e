/**
 * A digest of every file of an installed plugin, recorded at install and compared at startup
 * (D19b) to notice code changed behind Vouch's back. Symlinks are recorded by their target and
 * never followed (a link could point anywhere); `.git` is git's business and is skipped.
 * Special files are refused: a FIFO could block the reader forever, and no plugin needs one.
 */
import { createHash } from 'node:crypto';
import type { Dirent } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { join } from 'node:path';
import { sanitizeText } from '../../core/sanitize.ts';
import { storeError } from './errors.ts';
import { createTreeFiles, type TreeFiles } from './tree-files.ts';

export interface TreeDigest {
	/**
	 * Relative POSIX path → `sha256:<hex>` (a regular file), `sha256+x:<hex>` (one with the
	 * owner's execute bit) or `symlink:<sha256 of the target>`.
	 */
	files: Record<string, string>;
	/** The `vouch-tree-v1` digest of `files` (docs/tree-digest.md), as pinned by registries. */
	treeDigest: string;
}

export interface DigestLimits {
	maxFiles: number;
	maxBytes: number;
}

/** Far above any real plugin; a repository past these is refused rather than hashed for minutes. */
export const DEFAULT_DIGEST_LIMITS: DigestLimits = { maxFiles: 20_000, maxBytes: 256 * 1024 ** 2 };

/**
 * `files`: the reads to share. A scan given the same `TreeFiles` sees exactly the bytes
 * digested, and no file is read twice. Without it the files are read for the digest alone,
 * and nothing is kept in memory.
 */
export async function digestTree(
	root: string,
	limits: DigestLimits = DEFAULT_DIGEST_LIMITS,
	files: TreeFiles = createTreeFiles(root, { keepFileBytes: 0, keepTotalBytes: 0 }),
): Promise<TreeDigest> {
	const digests: Record<string, string> = {};
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
				digests[relative] = `${SYMLINK_PREFIX}${sha256(await readlink(path))}`;
			} else if (kind === 'file') {
				const hashed = await files.read(relative);
				if (hashed.kind === 'unreadable') throw hashed.error;
				if (hashed.kind === 'not-a-file') {
					throw storeError('SPECIAL_FILE', `${sanitizeText(relative)} changed while it was read.`);
				}
				bytes += hashed.size;
				if (bytes > limits.maxBytes) {
					throw storeError('TREE_TOO_LARGE', `The plugin is larger than ${limits.maxBytes} bytes.`);
				}
				digests[relative] =
					`${hashed.executable ? EXECUTABLE_PREFIX : FILE_PREFIX}${hashed.digest}`;
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
	return { files: digests, treeDigest: treeDigestOf(digests) };
}

const FILE_PREFIX = 'sha256:';
const EXECUTABLE_PREFIX = 'sha256+x:';
const SYMLINK_PREFIX = 'symlink:';

/** git's modes, so a pin reads the same to anyone who knows git. */
const MODES: readonly (readonly [prefix: string, mode: string])[] = [
	[EXECUTABLE_PREFIX, '100755'],
	[FILE_PREFIX, '100644'],
	[SYMLINK_PREFIX, '120000'],
];

/**
 * `vouch-tree-v1` (docs/tree-digest.md): for every entry sorted by the UTF-8 bytes of its path,
 * `<mode> <path>\0<sha256 hex>\n`; the digest is `sha256:` and the SHA-256 of all of it.
 * Paths cannot hold NUL and the hex has a fixed length, so the encoding is unambiguous.
 */
export function treeDigestOf(files: Readonly<Record<string, string>>): string {
	const hash = createHash('sha256');
	const paths = Object.keys(files).map((path) => Buffer.from(path, 'utf8'));
	paths.sort(Buffer.compare);
	for (const bytes of paths) {
		const path = bytes.toString('utf8');
		const [mode, hex] = modeAndHex(files[path] as string, path);
		hash.update(`${mode} `);
		hash.update(bytes);
		hash.update(`\0${hex}\n`);
	}
	return `sha256:${hash.digest('hex')}`;
}

function modeAndHex(entry: string, path: string): [string, string] {
	for (const [prefix, mode] of MODES) {
		if (entry.startsWith(prefix)) return [mode, entry.slice(prefix.length)];
	}
	throw storeError('SPECIAL_FILE', `${sanitizeText(path)} has an unknown digest kind.`);
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

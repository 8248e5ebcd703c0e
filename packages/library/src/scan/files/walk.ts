/**
 * Listing a plugin's files without trusting them: a symlink is followed only when its real
 * target is a file inside the plugin (`core/plugin-links`), and that file is listed under the
 * link's name, since that is the name the runtime loads it by (an `__init__.py` linked to
 * `payload.txt` is imported as Python). A link that leaves the plugin, leads nowhere or loops
 * is listed as skipped, and becomes a high finding. Directory links are not descended: their
 * target is inside the plugin and walked where it is. Special files are never opened (a FIFO
 * would block), and the walk stops at the file-count and depth bounds. Everything left out is
 * reported, so the report says exactly what was not looked at.
 */
import type { Dirent } from 'node:fs';
import { readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { linkProblem, realRoot, resolvePluginLink } from '../../core/plugin-links.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import type { ScanLimits } from '../limits.ts';
import type { SkippedFile, SourceLanguage } from '../types.ts';

/**
 * The clone's own `.git` at the root is git's metadata, never loaded by a host. Nothing else is
 * passed over: a `.hg` or `.svn` directory, or a `.git` deeper down, is content the plugin
 * ships, and a place to hide code from a scanner that skipped it.
 */
const IGNORED_AT_ROOT = '.git';

/** Skipped files listed one by one; the rest are only counted. */
export const MAX_LISTED_SKIPS = 200;

export interface WalkedFile {
	path: string;
	/**
	 * Relative to the root, `/`-separated, for the report only: each name is sanitised (D24),
	 * since every finding and skipped entry carries it to terminals, JSON and SARIF readers.
	 */
	relative: string;
	/** The name the runtime loads it by: the link's own name when `path` is a link's target. */
	name: string;
	/** Set when listed through a symlink: the target, relative to the root (sanitised). */
	linkTarget?: string;
	/** Scan as this language whatever the name says: the file is loaded as code. */
	language?: SourceLanguage;
	/** Python runs only the `import` lines of a `.pth` file: only those are code. */
	pth?: boolean;
}

export class SkipList {
	readonly listed: SkippedFile[] = [];
	notListed = 0;

	add(file: SkippedFile): void {
		if (this.listed.length < MAX_LISTED_SKIPS) {
			this.listed.push({ ...file, file: sanitizeText(file.file, { maxLength: 300 }) });
		} else {
			this.notListed++;
		}
	}
}

export async function walkPlugin(
	root: string,
	limits: ScanLimits,
	skips: SkipList,
): Promise<WalkedFile[]> {
	const files: WalkedFile[] = [];
	const real = await realRoot(root);
	// Directories count towards `maxFiles` too: a tree of empty directories (a million of them
	// in one place, say) would otherwise keep the walk going with nothing to report.
	let directories = 0;
	const full = () => files.length + directories >= limits.maxFiles;
	const stop = (relative: string) =>
		skips.add({
			file: relative,
			reason: 'file-limit',
			detail: `over the bound of ${limits.maxFiles} files and directories; the walk stopped here`,
		});
	const pending: { path: string; relative: string; depth: number }[] = [
		{ path: root, relative: '', depth: 0 },
	];
	while (pending.length > 0) {
		const dir = pending.shift() as { path: string; relative: string; depth: number };
		let entries: Dirent[];
		try {
			entries = await readdir(dir.path, { withFileTypes: true });
		} catch (error) {
			if (dir.relative === '') throw error;
			skips.add({
				file: `${dir.relative}/`,
				reason: 'unreadable',
				detail: 'the directory could not be read',
			});
			continue;
		}
		entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
		const subdirectories: typeof pending = [];
		for (const entry of entries) {
			const name = sanitizeText(entry.name) || '?';
			const relative = dir.relative === '' ? name : `${dir.relative}/${name}`;
			const path = join(dir.path, entry.name);
			if (entry.isDirectory()) {
				if (dir.depth === 0 && entry.name === IGNORED_AT_ROOT) continue;
				if (dir.depth + 1 > limits.maxDirectoryDepth) {
					skips.add({
						file: `${relative}/`,
						reason: 'directory-depth',
						detail: `deeper than ${limits.maxDirectoryDepth} directory levels`,
					});
					continue;
				}
				if (full()) {
					stop(`${relative}/`);
					return files;
				}
				directories++;
				subdirectories.push({ path, relative, depth: dir.depth + 1 });
			} else if (entry.isSymbolicLink()) {
				const link = await resolvePluginLink(real, path);
				if (link.status !== 'inside') {
					skips.add({ file: relative, reason: 'symlink', detail: `the link ${linkProblem(link)}` });
				} else if (link.kind === 'other') {
					skips.add({ file: relative, reason: 'special-file', detail: 'links to a special file' });
				} else if (link.kind === 'file') {
					if (full()) {
						stop(relative);
						return files;
					}
					const linkTarget = sanitizeText(link.relative, { maxLength: 300 }) || '?';
					files.push({ path: link.realPath, relative, name: entry.name, linkTarget });
				}
			} else if (!entry.isFile()) {
				skips.add({ file: relative, reason: 'special-file', detail: 'not a regular file' });
			} else if (full()) {
				stop(relative);
				return files;
			} else {
				files.push({ path, relative, name: entry.name });
			}
		}
		// Breadth-first, in name order: the top-level files (the entry module) come first.
		for (const subdirectory of subdirectories) pending.push(subdirectory);
	}
	return files;
}

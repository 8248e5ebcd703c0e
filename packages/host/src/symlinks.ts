/**
 * Symlinks that leave a tree. Node's permission model follows symlinks: a link inside the
 * plugin's directory (or its data directory) that points at `~/.ssh` would let the plugin
 * read or write there although only the directory was granted. So the host refuses to start
 * a plugin whose trees hold such a link (D29). The walk is bounded, and a tree too big to
 * check is refused as well: the host fails safe.
 */
import { lstat, readdir, realpath } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { sanitizeText } from '@vouch/library';
import { hostError } from './errors.ts';

const MAX_ENTRIES = 20_000;
const MAX_DEPTH = 64;

/** Whether `path` is `root` or inside it; both real paths. */
export function isInside(root: string, path: string): boolean {
	return path === root || path.startsWith(root.endsWith(sep) ? root : `${root}${sep}`);
}

/**
 * Throws `SYMLINK_ESCAPE` for the first symlink under `root` (a real path) whose target is
 * outside `root`, or dangles (it could be pointed anywhere later).
 */
export async function assertNoSymlinkEscape(root: string, label: string): Promise<void> {
	let seen = 0;
	const pending: { dir: string; depth: number }[] = [{ dir: root, depth: 0 }];
	while (pending.length > 0) {
		const { dir, depth } = pending.pop() as { dir: string; depth: number };
		if (depth > MAX_DEPTH)
			throw symlinkEscape(label, relative(root, dir), 'the tree is nested too deeply to check');
		for (const entry of await readdir(dir, { withFileTypes: true })) {
			if (++seen > MAX_ENTRIES) throw symlinkEscape(label, '', 'the tree is too large to check');
			const path = join(dir, entry.name);
			if (entry.isSymbolicLink()) {
				let target: string;
				try {
					target = await realpath(path);
				} catch {
					throw symlinkEscape(label, relative(root, path), 'the link points nowhere');
				}
				if (!isInside(root, target))
					throw symlinkEscape(label, relative(root, path), 'the link leads outside');
			} else if (entry.isDirectory()) {
				pending.push({ dir: path, depth: depth + 1 });
			}
		}
	}
	// The root itself was given as a real path; check it is still a directory, not a link.
	if (!(await lstat(root)).isDirectory()) throw symlinkEscape(label, '', 'it is not a directory');
}

function symlinkEscape(label: string, where: string, why: string) {
	return hostError(
		'SYMLINK_ESCAPE',
		`${label}${where === '' ? '' : `: ${sanitizeText(where, { maxLength: 200 })}`}: ${why}.`,
		{ hint: 'Remove the symlink; isolated plugins may only reach their own files.' },
	);
}

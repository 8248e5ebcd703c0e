/**
 * What a fetched plugin may contain, checked before anyone is asked to trust it: no symlink
 * that leads outside the plugin's own directory (the host would load or read whatever it
 * points at: `~/.ssh`, another plugin), besides the digest's own refusals (special files,
 * size). git itself already refuses `..` and `.git` path components in trees.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir, readlink } from 'node:fs/promises';
import { isAbsolute, join, relative, resolve } from 'node:path';
import { sanitizeText } from '../core/sanitize.ts';
import { lifecycleError } from './errors.ts';

const MAX_LISTED = 10;

export async function assertSelfContained(root: string): Promise<void> {
	const escaping: string[] = [];
	const walk = async (dir: string, prefix: string): Promise<void> => {
		// Entry types come with the listing; lstat only where the file system does not say.
		for (const entry of await readdir(dir, { withFileTypes: true })) {
			const { name } = entry;
			if (prefix === '' && name === '.git') continue;
			const path = join(dir, name);
			const shown = prefix === '' ? name : `${prefix}/${name}`;
			const info: Pick<Dirent, 'isDirectory' | 'isSymbolicLink'> =
				entry.isDirectory() || entry.isSymbolicLink() || entry.isFile() ? entry : await lstat(path);
			if (info.isDirectory()) {
				await walk(path, shown);
			} else if (info.isSymbolicLink()) {
				const target = await readlink(path);
				const landing = resolve(dir, target);
				const inside = relative(root, landing);
				if (isAbsolute(target) || inside === '' || inside.startsWith('..') || isAbsolute(inside)) {
					escaping.push(`${shown} -> ${target}`);
				}
			}
		}
	};
	await walk(root, '');
	if (escaping.length > 0) {
		const listed = escaping
			.slice(0, MAX_LISTED)
			.map((item) => sanitizeText(item, { maxLength: 200 }));
		throw lifecycleError(
			'UNSAFE_CONTENT',
			`The plugin contains links that point outside it: ${listed.join(', ')}${escaping.length > MAX_LISTED ? ', …' : ''}.`,
			{ hint: 'A plugin must be self-contained. Tell its author; Vouch will not install it.' },
		);
	}
}

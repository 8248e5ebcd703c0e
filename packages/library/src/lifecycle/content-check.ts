/**
 * What a fetched plugin may contain, checked before anyone is asked to trust it: no symlink
 * whose real target is outside the plugin's own directory (the host would load or read
 * whatever it points at: `~/.ssh`, another plugin), nor one that leads nowhere or loops,
 * besides the digest's own refusals (special files, size). Where a link leads is judged by
 * `core/plugin-links` from real paths, never from the link's text. git itself already
 * refuses `..` and `.git` path components in trees.
 */
import type { Dirent } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { linkProblem, realRoot, resolvePluginLink } from '../core/plugin-links.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { lifecycleError } from './errors.ts';

const MAX_LISTED = 10;

export async function assertSelfContained(root: string): Promise<void> {
	const refused: string[] = [];
	const real = await realRoot(root);
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
				const resolution = await resolvePluginLink(real, path);
				if (resolution.status !== 'inside') {
					refused.push(`${shown} -> ${resolution.target} (${linkProblem(resolution)})`);
				}
			}
		}
	};
	await walk(root, '');
	if (refused.length > 0) {
		const listed = refused
			.slice(0, MAX_LISTED)
			.map((item) => sanitizeText(item, { maxLength: 240 }));
		throw lifecycleError(
			'UNSAFE_CONTENT',
			`The plugin contains links that lead outside it, nowhere, or in a loop: ${listed.join(', ')}${refused.length > MAX_LISTED ? ', …' : ''}.`,
			{ hint: 'A plugin must be self-contained. Tell its author; Vouch will not install it.' },
		);
	}
}

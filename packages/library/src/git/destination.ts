/** The empty directory a clone goes into, and leaving it as it was found when a clone fails. */
import { mkdir, readdir, rm } from 'node:fs/promises';
import { join } from 'node:path';
import { sanitizeText } from '../core/sanitize.ts';
import { gitError } from './errors.ts';

/** Checks that `dest` is missing or empty; returns whether it had to be created. */
export async function prepareDestination(dest: string): Promise<boolean> {
	let entries: string[];
	try {
		entries = await readdir(dest);
	} catch (error) {
		if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
			throw gitError('GIT_INVALID_ARGUMENT', `${sanitizeText(dest)} is not a usable directory.`, {
				cause: error,
			});
		}
		await mkdir(dest, { recursive: true });
		return true;
	}
	if (entries.length > 0) {
		throw gitError(
			'GIT_INVALID_ARGUMENT',
			`${sanitizeText(dest)} is not empty; a clone needs an empty or new directory.`,
		);
	}
	return false;
}

/** Leaves `dest` as it was found: removed if it was created, else emptied. */
export async function clearDestination(dest: string, created: boolean): Promise<void> {
	if (created) {
		await rm(dest, { recursive: true, force: true });
		return;
	}
	const entries = await readdir(dest).catch(() => []);
	for (const entry of entries) await rm(join(dest, entry), { recursive: true, force: true });
}

/**
 * What interrupted work left in the plugins directory, and whether it may go now.
 *
 * Backups (`.vouch-old`) are only made and removed under the store lock, and once recovery has
 * settled every journal none refers to them: they belong to nobody. Staging directories are
 * filled *without* the lock (a clone can take minutes), so one may belong to an install still
 * running in another process. Each is therefore named after the process that made it (pid and
 * host): the staging of a killed run is known as such at once, whatever its age, and that of a
 * live process is never taken from under it. A staging directory whose name does not say who
 * made it (made by hand, or by an older version) is judged by its age alone.
 */
import { createHash, randomBytes } from 'node:crypto';
import { lstat, readdir } from 'node:fs/promises';
import { hostname } from 'node:os';
import { join } from 'node:path';

/** Under the plugins directory, so the final rename never crosses a file system. */
export const STAGING_DIR = '.vouch-staging';
export const BACKUP_DIR = '.vouch-old';

export interface LeftoverPolicy {
	/** A staging directory of unknown origin younger than this may be a clone in progress. */
	stagingMinAgeMs: number;
	/** The wall clock that a directory's time is compared with. */
	now: () => Date;
	/** Whether a pid runs on this host. */
	isAlive: (pid: number) => boolean;
}

/** `path` is relative to the plugins directory, e.g. `.vouch-staging/p123-…`. */
export type Leftover =
	| { path: string; verdict: 'removable' }
	| { path: string; verdict: 'in-use'; pid: number }
	| { path: string; verdict: 'young'; removableAt: Date };

const OWNED_NAME = /^p([1-9][0-9]{0,9})-([0-9a-f]{12})-[0-9a-f]{12}$/;

/** A fresh staging directory name that records its maker: `p<pid>-<host tag>-<random>`. */
export function stagingName(pid: number = process.pid): string {
	return `p${pid}-${hostTag()}-${randomBytes(6).toString('hex')}`;
}

/** Who made a staging directory, if its name says; `sameHost` false means the pid says nothing here. */
export function stagingOwner(name: string): { pid: number; sameHost: boolean } | undefined {
	const match = OWNED_NAME.exec(name);
	if (match === null) return undefined;
	return { pid: Number(match[1]), sameHost: match[2] === hostTag() };
}

/** A digest, so that the name carries no odd characters a host name may have. */
function hostTag(): string {
	return createHash('sha256').update(hostname()).digest('hex').slice(0, 12);
}

/**
 * Every backup and staging entry with its verdict. Meaningful only when no other process holds
 * the store lock (backups of a live transaction are in use); callers check that first.
 */
export async function findLeftovers(
	pluginsDir: string,
	policy: LeftoverPolicy,
): Promise<Leftover[]> {
	const found: Leftover[] = [];
	for (const name of await listDir(join(pluginsDir, BACKUP_DIR))) {
		found.push({ path: join(BACKUP_DIR, name), verdict: 'removable' });
	}
	for (const name of await listDir(join(pluginsDir, STAGING_DIR))) {
		const path = join(STAGING_DIR, name);
		const owner = stagingOwner(name);
		if (owner?.sameHost === true) {
			found.push(
				policy.isAlive(owner.pid)
					? { path, verdict: 'in-use', pid: owner.pid }
					: { path, verdict: 'removable' },
			);
			continue;
		}
		// lstat: a symlink is judged (and later removed) itself, never followed.
		const info = await lstat(join(pluginsDir, path)).catch(() => undefined);
		if (info === undefined) continue;
		const removableAt = new Date(info.mtimeMs + policy.stagingMinAgeMs);
		found.push(
			policy.now().getTime() >= removableAt.getTime()
				? { path, verdict: 'removable' }
				: { path, verdict: 'young', removableAt },
		);
	}
	return found;
}

async function listDir(dir: string): Promise<string[]> {
	return (await readdir(dir).catch(() => [] as string[])).sort();
}

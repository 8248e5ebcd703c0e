/**
 * D27 for local clones: a directory holding a git repository is checked under the address of
 * its `origin` remote as well as its path. Otherwise cloning a blacklisted repository to disk
 * and installing the copy by path would pass every URL entry of the blacklist.
 */
import { sourceKind } from '../core/canonical-url.ts';
import type { GitPort } from './ports.ts';

/**
 * The origin address of `url` when it names a local repository, else undefined. Read through
 * `src/git` (never by parsing `.git/config` here), so it is the address git would use.
 */
export async function localOrigin(
	url: string,
	git: Pick<GitPort, 'remoteUrl'>,
): Promise<string | undefined> {
	if (sourceKind(url) !== 'local') return undefined;
	const origin = await git.remoteUrl(url);
	return origin === undefined || origin.trim() === '' ? undefined : origin;
}

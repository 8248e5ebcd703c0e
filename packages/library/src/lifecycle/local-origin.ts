/**
 * D27 for local clones: a directory holding a git repository is checked under the address of
 * its `origin` remote as well as its path. Otherwise cloning a blacklisted repository to disk
 * and installing the copy by path would pass every URL entry of the blacklist.
 *
 * A copy of a copy is common (a working copy cloned from another on the same disk), and git
 * records the path of the first copy as the second's origin. So the chain is followed, path to
 * path, until it reaches an address that is not on this machine.
 */
import { sourceKind, tryCanonicalUrl } from '../core/canonical-url.ts';
import type { GitPort } from './ports.ts';

/** Local copies followed back towards the remote they came from; real chains are short. */
export const MAX_LOCAL_ORIGIN_HOPS = 8;

/**
 * The origin address of `url` when it names a local repository, else undefined: the address
 * furthest up the chain of local copies (usually the remote it was first cloned from). Read
 * through `src/git` (never by parsing `.git/config` here), so it is the address git would use.
 */
export async function localOrigin(
	url: string,
	git: Pick<GitPort, 'remoteUrl'>,
): Promise<string | undefined> {
	return (await localOrigins(url, git)).at(-1);
}

/**
 * Every address up the chain of origins of a local repository, nearest first; empty for a
 * remote address or a repository without an origin. Only the first origin must be readable:
 * further copies may have been moved or deleted since, and then the chain ends there.
 */
export async function localOrigins(
	url: string,
	git: Pick<GitPort, 'remoteUrl'>,
): Promise<string[]> {
	if (sourceKind(url) !== 'local') return [];
	const chain: string[] = [];
	const seen = new Set<string>([tryCanonicalUrl(url) ?? url]);
	let next: string | undefined = url;
	for (let hop = 0; hop < MAX_LOCAL_ORIGIN_HOPS && next !== undefined; hop++) {
		const origin = hop === 0 ? await git.remoteUrl(next) : await readLater(git, next);
		if (origin === undefined || origin.trim() === '') break;
		chain.push(origin);
		next = undefined;
		// Only an absolute path (or file:// URL) is followed: git writes those for a clone, and a
		// relative one would be read against the wrong directory here.
		if (sourceKind(origin) !== 'local' || !isAbsoluteLocal(origin)) break;
		const key = tryCanonicalUrl(origin);
		if (key === undefined || seen.has(key)) break;
		seen.add(key);
		next = key;
	}
	return chain;
}

function isAbsoluteLocal(text: string): boolean {
	const trimmed = text.trim();
	return trimmed.startsWith('/') || trimmed.startsWith('~') || /^file:\/\//i.test(trimmed);
}

async function readLater(
	git: Pick<GitPort, 'remoteUrl'>,
	path: string,
): Promise<string | undefined> {
	try {
		return await git.remoteUrl(path);
	} catch {
		// Gone or no longer a repository: what is known so far is all there is.
		return undefined;
	}
}

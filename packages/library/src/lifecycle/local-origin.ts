/**
 * D27 for local clones: a directory holding a git repository is checked under the address of
 * its `origin` remote as well as its path. Otherwise cloning a blacklisted repository to disk
 * and installing the copy by path would pass every URL entry of the blacklist.
 *
 * A copy of a copy is common (a working copy cloned from another on the same disk), and git
 * records the path of the first copy as the second's origin. So the chain is followed, path to
 * path, until it reaches an address that is not on this machine.
 *
 * A local origin is also known by its real path (D11): a clone of `/srv/innocent.git`, a
 * symlink to `/srv/repos/evil.git`, answers for the real repository, so a blacklist entry
 * written for the real path is not missed. The real path is what is recorded, so the later
 * checks that read the record (startup, enable, list, info) compare the same name.
 */
import { sourceKind, tryCanonicalUrl } from '../core/canonical-url.ts';
import type { GitPort } from './ports.ts';

/** Local copies followed back towards the remote they came from; real chains are short. */
export const MAX_LOCAL_ORIGIN_HOPS = 8;

type OriginReader = Pick<GitPort, 'remoteUrl' | 'originFetchUrl'>;

/** The path with every symlink resolved; the path itself when it does not exist. */
export type RealPath = (path: string) => Promise<string>;

/** What a local repository answers for (D27). */
export interface LocalOriginChain {
	/** Every address up the chain, nearest first, as written and as git rewrites it. */
	addresses: string[];
	/**
	 * The furthest origin as written in its config, or its real path when it is a local path:
	 * what is recorded (`originUrl`).
	 */
	origin?: string;
	/** The same as git fetches from it, when a rewrite makes it differ (`originFetchUrl`). */
	fetchedOrigin?: string;
}

/**
 * The chain of origins of a local repository; empty for a remote address or a repository
 * without an origin. Each origin counts as written in the config and as git rewrites it
 * (`url.<base>.insteadOf`): a shorthand like `gh:badorg/x` names no host until rewritten, and
 * a rewrite to a mirror must not hide the address the blacklist names. Only the first origin
 * must be readable: further copies may have been moved or deleted since, and then the chain
 * ends there.
 */
export async function localOrigins(
	url: string,
	git: OriginReader,
	realPath: RealPath,
): Promise<LocalOriginChain> {
	const chain: LocalOriginChain = { addresses: [] };
	if (sourceKind(url) !== 'local') return chain;
	const seen = new Set<string>([tryCanonicalUrl(url) ?? url]);
	let next: string | undefined = url;
	for (let hop = 0; hop < MAX_LOCAL_ORIGIN_HOPS && next !== undefined; hop++) {
		const found = hop === 0 ? await readBoth(git, next) : await readLater(git, next);
		if (found === undefined) break;
		const stored = await realLocalPath(found.stored, realPath);
		const fetched =
			found.fetched === undefined ? undefined : await realLocalPath(found.fetched, realPath);
		// As written and as resolved: an entry may name either.
		for (const address of [found.stored, stored, found.fetched, fetched]) {
			if (address !== undefined && !chain.addresses.includes(address)) {
				chain.addresses.push(address);
			}
		}
		chain.origin = stored;
		if (fetched === undefined || fetched === stored) delete chain.fetchedOrigin;
		else chain.fetchedOrigin = fetched;
		next = undefined;
		// git fetches from the rewritten address. Only an absolute path (or file:// URL) is
		// followed: git writes those for a clone, and a relative one would be read against the
		// wrong directory here.
		const from = fetched ?? stored;
		if (!isAbsoluteLocal(from)) break;
		const key = tryCanonicalUrl(from);
		if (key === undefined || seen.has(key)) break;
		seen.add(key);
		next = key;
	}
	return chain;
}

function isAbsoluteLocal(text: string): boolean {
	if (sourceKind(text) !== 'local') return false;
	const trimmed = text.trim();
	return trimmed.startsWith('/') || trimmed.startsWith('~') || /^file:\/\//i.test(trimmed);
}

/**
 * An absolute local address as the real path of the repository it names (symlinks and `..`
 * resolved, `~` expanded); any other address as it is. A relative path is left alone: git
 * reads it against a directory this module does not know.
 */
async function realLocalPath(address: string, realPath: RealPath): Promise<string> {
	if (!isAbsoluteLocal(address)) return address;
	const path = tryCanonicalUrl(address);
	return path === undefined ? address : await realPath(path);
}

interface OriginRead {
	stored: string;
	/** Set only when git's rewrite changes it. */
	fetched?: string;
}

/**
 * The stored origin and, when it differs, the one git fetches from; undefined for none. git
 * also finds an origin where `.git/config` has no `remote.origin.url` line (an included
 * file, the old `.git/remotes/origin` and `.git/branches/origin` files): then the address
 * git fetches from is the only one there is, and it counts as the stored one.
 */
async function readBoth(git: OriginReader, dir: string): Promise<OriginRead | undefined> {
	const stored = usable(await git.remoteUrl(dir));
	const fetched = usable(await git.originFetchUrl(dir));
	if (stored === undefined) return fetched === undefined ? undefined : { stored: fetched };
	return fetched === undefined || fetched === stored ? { stored } : { stored, fetched };
}

async function readLater(git: OriginReader, dir: string): Promise<OriginRead | undefined> {
	try {
		return await readBoth(git, dir);
	} catch {
		// Gone or no longer a repository: what is known so far is all there is.
		return undefined;
	}
}

function usable(address: string | undefined): string | undefined {
	return address === undefined || address.trim() === '' ? undefined : address;
}

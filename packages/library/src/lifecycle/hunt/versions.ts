/**
 * Which versions of a plugin were ever offered to users: the registry's refs, every tag of the
 * repository (those of the entry's versioning scheme first, newest first: any tag can be
 * installed with `--ref`, D15), and every reviewed-release pin (D19b), also one whose commit no
 * ref points at any more. A commit offered under several names is searched once.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import { parseVersioningScheme, sortTagsNewestFirst } from '../../core/versions.ts';
import { isFullCommitId } from '../../git/arguments.ts';
import type { RemoteRefs } from '../../git/ls-remote.ts';
import type { RegistryPlugin } from '../../registry/model.ts';

/** Versions searched per plugin: bounds the work one registry entry can cause. */
export const MAX_HUNT_VERSIONS = 200;

export interface PublishedVersion {
	/** The names it was offered under (`v1.2.0`, `main`, `pin v1.1.0`), sanitised. */
	names: string[];
	commit: string;
}

export interface VersionPlan {
	versions: PublishedVersion[];
	/** What to fetch: branch and tag names, and pinned commits no ref reaches. */
	wanted: { branches: string[]; tags: string[]; commits: string[] };
	/** Versions left out past MAX_HUNT_VERSIONS. */
	omitted: number;
	/** Registry refs and pins the repository does not have (reported, not searched). */
	missing: string[];
}

export function planVersions(
	plugin: RegistryPlugin,
	listing: RemoteRefs,
	limit = MAX_HUNT_VERSIONS,
): VersionPlan {
	const byCommit = new Map<string, PublishedVersion>();
	const wanted: VersionPlan['wanted'] = { branches: [], tags: [], commits: [] };
	const missing: string[] = [];
	let omitted = 0;
	const add = (name: string, commit: string, fetch: () => void): void => {
		const existing = byCommit.get(commit);
		if (existing !== undefined) {
			if (!existing.names.includes(name)) existing.names.push(name);
			return;
		}
		if (byCommit.size >= limit) {
			omitted++;
			return;
		}
		byCommit.set(commit, { names: [name], commit });
		fetch();
	};
	for (const ref of plugin.refs) {
		const branch = listing.branches.get(ref.name);
		const tag = listing.tags.get(ref.name);
		if (branch !== undefined) add(safeName(ref.name), branch, () => wanted.branches.push(ref.name));
		else if (tag !== undefined) add(safeName(ref.name), tag, () => wanted.tags.push(ref.name));
		else missing.push(safeName(ref.name));
	}
	for (const pin of plugin.releases) {
		const commit = pin.commit.toLowerCase();
		const name = `pin ${safeName(pin.ref)}`;
		if (!isFullCommitId(commit)) {
			missing.push(name);
			continue;
		}
		add(name, commit, () => {
			// A commit a tag or branch still names is fetched through it: servers may refuse ids.
			const tag = [...listing.tags].find(([, at]) => at === commit)?.[0];
			const branch = [...listing.branches].find(([, at]) => at === commit)?.[0];
			if (tag !== undefined) wanted.tags.push(tag);
			else if (branch !== undefined) wanted.branches.push(branch);
			else wanted.commits.push(commit);
		});
	}
	for (const tag of orderedTags(plugin, listing)) {
		add(safeName(tag), listing.tags.get(tag) as string, () => wanted.tags.push(tag));
	}
	return { versions: [...byCommit.values()], wanted, omitted, missing };
}

/** The scheme's version tags newest first, then every other tag in name order. */
function orderedTags(plugin: RegistryPlugin, listing: RemoteRefs): string[] {
	const all = [...listing.tags.keys()].sort();
	let versioned: string[] = [];
	if (plugin.versioningScheme !== undefined) {
		try {
			const scheme = parseVersioningScheme(plugin.versioningScheme);
			versioned = sortTagsNewestFirst(all, scheme, { includePreRelease: true });
		} catch {
			versioned = []; // lint reports the scheme itself; every tag is still searched below
		}
	}
	const seen = new Set(versioned);
	return [...versioned, ...all.filter((tag) => !seen.has(tag))];
}

function safeName(name: string): string {
	return sanitizeText(name, { maxLength: 120 });
}

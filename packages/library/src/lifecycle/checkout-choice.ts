/**
 * Which ref to fetch and how to name its type (D14, D15), from a remote listing and the
 * registry entry. A requested ref must exist; a full commit id is a pin that never moves.
 */
import { sanitizeText } from '../core/sanitize.ts';
import { parseVersioningScheme, type VersionScheme } from '../core/tag-schemes.ts';
import { sortTagsNewestFirst } from '../core/versions.ts';
import type { RegistryPlugin, RegistryRef } from '../registry/model.ts';
import { chooseRef, refAllowsApi } from '../registry/ref-choice.ts';
import { releasePolicy } from '../registry/release-policy.ts';
import { lifecycleError } from './errors.ts';
import type { RefType, RemoteListing } from './ports.ts';

export interface RefCandidate {
	/** Undefined: the remote's default branch. */
	ref?: string;
	refType?: RefType;
	why: string;
}

const FULL_COMMIT = /^[0-9a-f]{40}$/;
/** How many of the newest version tags install will open looking for a compatible one. */
export const MAX_TAGS_TRIED = 5;

export function schemeOf(entry: RegistryPlugin | undefined): VersionScheme | undefined {
	if (entry?.versioningScheme === undefined) return undefined;
	try {
		return parseVersioningScheme(entry.versioningScheme);
	} catch {
		// An unusable scheme means "no version tags" (spec item 54): the refs decide.
		return undefined;
	}
}

/**
 * The refs of the releases the registry pinned, newest first, for an entry the release policy
 * holds to its pins (D19b, `registry/release-policy.ts`); undefined when install and update may
 * choose freely.
 */
export function reviewedReleaseRefs(entry: RegistryPlugin | undefined): string[] | undefined {
	// The entry's own level: the plugin's UUID, and so its final trust, is not known before the
	// fetch. `trust.plugin` is this same entry whenever the release check applies (D6).
	const policy = entry === undefined ? undefined : releasePolicy(entry.trustLevel, entry);
	if (entry === undefined || policy?.kind !== 'pinned') return undefined;
	const names = [...new Set(policy.pins.map((release) => release.ref))];
	const scheme = schemeOf(entry);
	const ordered =
		scheme === undefined ? names : sortTagsNewestFirst(names, scheme, { includePreRelease: true });
	return [...ordered, ...names.filter((name) => !ordered.includes(name))];
}

export function refTypeOf(name: string, listing: RemoteListing): RefType | undefined {
	if (listing.branches.has(name)) return 'branch';
	if (listing.tags.has(name)) return 'tag';
	return undefined;
}

/**
 * The refs to try, best first. With `--ref` there is exactly one. Otherwise: the newest
 * version tags (whose manifests are checked after fetching), then the first registry ref whose
 * API bounds allow the host, then, for a plugin the registry does not describe, the default
 * branch.
 */
export interface RefCandidatesInput {
	requestedRef?: string;
	listing: RemoteListing;
	entry?: RegistryPlugin;
	hostApiVersions: string[];
	includePreRelease: boolean;
}

/**
 * A plugin whose registry entry lists author keys installs only a signed tag (D19b), so its
 * default choice skips branches. The signature check itself refuses whatever else is asked for.
 */
export function refCandidates(input: RefCandidatesInput): RefCandidate[] {
	const candidates = anyRefCandidates(input);
	if (input.requestedRef !== undefined || (input.entry?.signers.length ?? 0) === 0) {
		return candidates;
	}
	const tags = candidates.filter((candidate) => candidate.refType === 'tag');
	return tags.length > 0 ? tags : candidates;
}

function anyRefCandidates(input: RefCandidatesInput): RefCandidate[] {
	const { listing, entry } = input;
	if (input.requestedRef !== undefined) {
		const requested = input.requestedRef.trim();
		const type = refTypeOf(requested, listing);
		if (type !== undefined) return [{ ref: requested, refType: type, why: 'requested' }];
		if (FULL_COMMIT.test(requested.toLowerCase())) {
			return [{ ref: requested.toLowerCase(), refType: 'commit', why: 'requested commit' }];
		}
		// chooseRef words the error with the list of what exists (D15: never fall back).
		chooseRef({
			refs: entry?.refs ?? [],
			hostApiVersions: input.hostApiVersions,
			requestedRef: requested,
			availableRefs: [...listing.branches.keys(), ...listing.tags.keys()],
		});
		throw lifecycleError('SOURCE_NOT_FOUND', `No ref ${sanitizeText(requested)}.`);
	}
	const candidates: RefCandidate[] = [];
	// D19b: a plugin with reviewed releases installs one of those, newest first.
	const reviewed = reviewedReleaseRefs(entry);
	if (reviewed !== undefined) {
		for (const ref of reviewed) {
			const refType = refTypeOf(ref, listing);
			if (refType !== undefined) candidates.push({ ref, refType, why: 'reviewed release' });
		}
		return candidates.slice(0, MAX_TAGS_TRIED);
	}
	const scheme = schemeOf(entry);
	if (scheme !== undefined) {
		const tags = sortTagsNewestFirst([...listing.tags.keys()], scheme, {
			includePreRelease: input.includePreRelease,
		});
		for (const tag of tags.slice(0, MAX_TAGS_TRIED)) {
			candidates.push({ ref: tag, refType: 'tag', why: 'newest version tag' });
		}
	}
	const refs: RegistryRef[] = entry?.refs ?? [];
	const compatible = refs.find((ref) => refAllowsApi(ref, input.hostApiVersions));
	if (compatible !== undefined) {
		candidates.push({
			ref: compatible.name,
			refType: refTypeOf(compatible.name, listing) ?? 'branch',
			why: 'first registry ref compatible with the host API',
		});
	}
	if (entry === undefined) {
		const head = listing.head?.target?.replace(/^refs\/heads\//, '');
		candidates.push(
			head === undefined
				? { why: 'default branch' }
				: { ref: head, refType: 'branch', why: 'default branch' },
		);
	}
	return candidates;
}

/**
 * What an update would do for one installed plugin (D14), decided from the remote listing
 * alone, so `check-updates` needs one `ls-remote` per plugin and no clone:
 * - a commit pin never moves;
 * - a version tag moves to the newest newer tag of the scheme (pre-releases only with `--pre`
 *   or when the installed tag is itself one); any other tag never moves;
 * - a branch follows its own tip, never another branch;
 * - a local directory is re-read in place;
 * - a plugin whose registry entry pins reviewed releases (D19b) moves only to the newest of
 *   those, from a tag or a branch alike.
 */
import { sanitizeText } from '../core/sanitize.ts';
import type { VersionScheme } from '../core/tag-schemes.ts';
import { newerTags } from '../core/versions.ts';
import type { RegistryPlugin } from '../registry/model.ts';
import { reviewedReleaseRefs } from './checkout-choice.ts';
import { lifecycleError } from './errors.ts';
import type { RefType, RemoteListing } from './ports.ts';

export interface InstalledRef {
	ref?: string;
	refType: RefType | 'local';
	commit?: string;
}

export type UpdatePlan =
	| { kind: 'up-to-date'; reason: string }
	| { kind: 'pinned'; reason: string }
	| { kind: 'reload'; reason: string }
	| { kind: 'update'; ref?: string; refType: RefType; commit: string; reason: string };

export function planUpdate(input: {
	installed: InstalledRef;
	listing: RemoteListing;
	scheme: VersionScheme | undefined;
	includePreRelease: boolean;
	/** Reviewed release refs, newest first, when the registry pins this plugin. */
	reviewedRefs?: readonly string[];
}): UpdatePlan {
	const { installed, listing } = input;
	if (
		input.reviewedRefs !== undefined &&
		(installed.refType === 'tag' || installed.refType === 'branch')
	) {
		return planReviewedUpdate(installed, listing, input.reviewedRefs);
	}
	switch (installed.refType) {
		case 'local':
			return { kind: 'reload', reason: 'local directory: re-read in place' };
		case 'commit':
			return { kind: 'pinned', reason: 'pinned to a commit, which never moves' };
		case 'tag': {
			const current = installed.ref ?? '';
			if (input.scheme === undefined) {
				return { kind: 'up-to-date', reason: `tag ${sanitizeText(current)} is not a version tag` };
			}
			const newer = newerTags(current, [...listing.tags.keys()], input.scheme, {
				includePreRelease: input.includePreRelease,
			});
			const next = newer[0];
			if (next === undefined) {
				return { kind: 'up-to-date', reason: `no version newer than ${sanitizeText(current)}` };
			}
			return {
				kind: 'update',
				ref: next,
				refType: 'tag',
				commit: listing.tags.get(next) as string,
				reason: `${sanitizeText(current)} -> ${sanitizeText(next)}`,
			};
		}
		case 'branch': {
			const branch = installed.ref ?? listing.head?.target?.replace(/^refs\/heads\//, '');
			const tip = branch === undefined ? listing.head?.commit : listing.branches.get(branch);
			if (tip === undefined) {
				throw lifecycleError(
					'SOURCE_NOT_FOUND',
					`The branch ${sanitizeText(branch ?? '(default)')} no longer exists upstream.`,
					{ hint: 'Choose another ref with `vouch switch-ref <plugin> <ref>`.' },
				);
			}
			if (tip === installed.commit) {
				return { kind: 'up-to-date', reason: `${sanitizeText(branch ?? 'HEAD')} is at its tip` };
			}
			return {
				kind: 'update',
				...(branch === undefined ? {} : { ref: branch }),
				refType: 'branch',
				commit: tip,
				reason: `${sanitizeText(branch ?? 'HEAD')} @ ${short(installed.commit)} -> ${short(tip)}`,
			};
		}
	}
}

/** The `reviewedRefs` input for an entry, as a spreadable option. */
export function reviewed(entry: RegistryPlugin | undefined): { reviewedRefs?: string[] } {
	const refs = reviewedReleaseRefs(entry);
	return refs === undefined ? {} : { reviewedRefs: refs };
}

function planReviewedUpdate(
	installed: InstalledRef,
	listing: RemoteListing,
	reviewedRefs: readonly string[],
): UpdatePlan {
	for (const ref of reviewedRefs) {
		const tag = listing.tags.get(ref);
		const commit = tag ?? listing.branches.get(ref);
		if (commit === undefined) continue;
		if (commit === installed.commit) {
			return { kind: 'up-to-date', reason: `at the newest reviewed release ${sanitizeText(ref)}` };
		}
		return {
			kind: 'update',
			ref,
			refType: tag === undefined ? 'branch' : 'tag',
			commit,
			reason: `${sanitizeText(installed.ref ?? short(installed.commit))} -> ${sanitizeText(ref)} (reviewed release)`,
		};
	}
	return { kind: 'up-to-date', reason: 'none of the reviewed releases is published upstream' };
}

function short(commit: string | undefined): string {
	return commit === undefined ? '(unknown)' : commit.slice(0, 7);
}

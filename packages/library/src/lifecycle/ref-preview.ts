/**
 * What `info` shows about refs: the branches and tags the remote really has, and the ref an
 * install would choose. The choice is `refCandidates`, the very function install fetches by
 * (D15, D19b), so the preview cannot drift from what happens; only the manifest API check,
 * which needs the code, is left to the fetch.
 */
import { isVouchError } from '../core/errors.ts';
import { sortTagsNewestFirst } from '../core/versions.ts';
import type { RegistryPlugin } from '../registry/model.ts';
import { type RefCandidate, refCandidates, schemeOf } from './checkout-choice.ts';
import type { GitPort, RemoteListing } from './ports.ts';

export interface RefPreview {
	/** The branch the remote's HEAD points at, when it says. */
	head?: string;
	/** Branch names, sorted. */
	branches: string[];
	/** Tag names: version tags of the entry's scheme newest first, then the rest sorted. */
	tags: string[];
	/** The ref install would fetch first; undefined when none could be chosen. */
	choice?: RefCandidate;
	/** Why nothing could be chosen (e.g. no ref supports the host API). */
	noChoice?: string;
}

export interface RefPreviewInput {
	url: string;
	/** The registry entry; undefined for a plugin the registry does not describe. */
	entry: RegistryPlugin | undefined;
	hostApiVersions: string[];
	includePreRelease: boolean;
}

/** Lists the remote (errors propagate: the caller says why nothing was listed). */
export async function previewRefs(
	input: RefPreviewInput,
	git: Pick<GitPort, 'lsRemote'>,
): Promise<RefPreview> {
	return refPreviewOf(await git.lsRemote(input.url), input);
}

/** The preview of a listing already made. Pure. */
export function refPreviewOf(
	listing: RemoteListing,
	input: Omit<RefPreviewInput, 'url'>,
): RefPreview {
	const head = listing.head?.target?.replace(/^refs\/heads\//, '');
	const preview: RefPreview = {
		...(head === undefined ? {} : { head }),
		branches: [...listing.branches.keys()].sort(),
		tags: orderedTags([...listing.tags.keys()], input.entry),
	};
	try {
		const [first] = refCandidates({
			listing,
			...(input.entry === undefined ? {} : { entry: input.entry }),
			hostApiVersions: input.hostApiVersions,
			includePreRelease: input.includePreRelease,
		});
		if (first !== undefined) preview.choice = first;
		else preview.noChoice = 'no listed ref is one install may choose';
	} catch (error) {
		if (!isVouchError(error)) throw error;
		preview.noChoice = error.message;
	}
	return preview;
}

function orderedTags(tags: string[], entry: RegistryPlugin | undefined): string[] {
	const scheme = schemeOf(entry);
	const versions =
		scheme === undefined ? [] : sortTagsNewestFirst(tags, scheme, { includePreRelease: true });
	const isVersion = new Set(versions);
	const others = tags.filter((tag) => !isVersion.has(tag)).sort();
	return [...versions, ...others];
}

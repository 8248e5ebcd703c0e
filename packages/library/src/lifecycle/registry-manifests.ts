/**
 * Reads a plugin's MANIFEST.toml at each ref a registry entry lists, for `vouch registry plugin
 * add | update`. Each ref is cloned shallow through the git module (any git host, no forge's
 * web API) into a private temporary directory that is removed afterwards; git runs under its
 * timeouts and output bounds, and the manifest reader under its size bound. A missing ref or
 * an invalid manifest at any ref refuses the whole plugin.
 */
import { join } from 'node:path';
import { sanitizeText } from '../core/sanitize.ts';
import type { Manifest } from '../manifest/model.ts';
import { readManifest } from '../manifest/read.ts';
import { refTypeOf } from './checkout-choice.ts';
import { lifecycleError } from './errors.ts';
import type { GitPort } from './ports.ts';

/** Each ref is a clone: a spec naming more is refused before any network traffic. */
export const MAX_MANIFEST_REFS = 20;

export interface RefManifest {
	ref: string;
	commit: string;
	manifest: Manifest;
}

export interface RegistryManifestDeps {
	git: Pick<GitPort, 'lsRemote' | 'clone'>;
	makeTempDir(): Promise<string>;
	removeDir(path: string): Promise<void>;
	/** The profile's categories; others only warn in the manifest reader. */
	categories?: readonly string[];
}

/**
 * The manifests at `refs`, in order; with no refs, at the remote's default branch (its name is
 * returned as the ref).
 */
export async function readManifestsAtRefs(
	input: { url: string; refs: readonly string[] },
	deps: RegistryManifestDeps,
): Promise<RefManifest[]> {
	if (input.refs.length > MAX_MANIFEST_REFS) {
		throw lifecycleError('NOT_SUPPORTED', `At most ${MAX_MANIFEST_REFS} refs are read.`);
	}
	const listing = await deps.git.lsRemote(input.url);
	const head = listing.head?.target?.replace(/^refs\/heads\//, '');
	const refs = input.refs.length > 0 ? input.refs : [head ?? 'main'];
	const parent = await deps.makeTempDir();
	try {
		const results: RefManifest[] = [];
		for (const [position, ref] of refs.entries()) {
			const refType = refTypeOf(ref, listing);
			if (refType === undefined) {
				throw lifecycleError(
					'SOURCE_NOT_FOUND',
					`${sanitizeText(input.url)} has no branch or tag ${sanitizeText(ref)}.`,
					{ hint: 'Every ref in --refs must exist upstream.' },
				);
			}
			const dest = join(parent, `ref-${position}`);
			const { commit } = await deps.git.clone({ url: input.url, ref, refType, dest });
			const read = await readManifest(
				dest,
				deps.categories === undefined ? {} : { categories: deps.categories },
			);
			if (read.manifest === undefined) {
				const problems = read.errors
					.slice(0, 5)
					.map((issue) => sanitizeText(issue.message, { maxLength: 200 }))
					.join('; ');
				throw lifecycleError(
					'MANIFEST_INVALID',
					`The MANIFEST.toml at ${sanitizeText(ref)} is not valid: ${problems}`,
					{ hint: 'Fix the manifest upstream, then add the plugin again.' },
				);
			}
			results.push({ ref, commit, manifest: read.manifest });
		}
		return results;
	} finally {
		await deps.removeDir(parent);
	}
}

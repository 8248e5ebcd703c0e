/**
 * Computes a reviewed-release pin (D19b) from a real clone: the commit git checks out for the
 * ref, and the `vouch-tree-v1` digest of the checkout (docs/tree-digest.md). Content that no
 * install would accept (a symlink leaving the plugin, a FIFO) is refused here too, so no pin
 * is ever made for a release that cannot be installed.
 */
import { join } from 'node:path';
import { sanitizeText } from '../core/sanitize.ts';
import type { ReleasePin } from '../registry/model.ts';
import { refTypeOf } from './checkout-choice.ts';
import { assertSelfContained } from './content-check.ts';
import { lifecycleError } from './errors.ts';
import type { GitPort, RefType } from './ports.ts';
import type { TreeDigest } from './store/index.ts';

export interface PinReleaseDeps {
	git: Pick<GitPort, 'lsRemote' | 'clone'>;
	digest(dir: string): Promise<TreeDigest>;
	/** A fresh private directory, and its removal. */
	makeTempDir(): Promise<string>;
	removeDir(path: string): Promise<void>;
}

export interface ComputedPin extends ReleasePin {
	refType: RefType;
}

const FULL_COMMIT = /^[0-9a-f]{40}$/i;

export async function computeReleasePin(
	input: { url: string; ref: string },
	deps: PinReleaseDeps,
): Promise<ComputedPin> {
	const listing = await deps.git.lsRemote(input.url);
	const refType =
		refTypeOf(input.ref, listing) ?? (FULL_COMMIT.test(input.ref) ? 'commit' : undefined);
	if (refType === undefined) {
		throw lifecycleError(
			'SOURCE_NOT_FOUND',
			`${sanitizeText(input.url)} has no branch or tag ${sanitizeText(input.ref)}.`,
			{ hint: 'Pin a release tag that exists upstream.' },
		);
	}
	const parent = await deps.makeTempDir();
	try {
		const dest = join(parent, 'checkout');
		const { commit } = await deps.git.clone({ url: input.url, ref: input.ref, refType, dest });
		await assertSelfContained(dest);
		const { treeDigest } = await deps.digest(dest);
		return { ref: input.ref, commit, tree: treeDigest, refType };
	} finally {
		await deps.removeDir(parent);
	}
}

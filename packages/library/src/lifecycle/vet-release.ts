/**
 * What install and update both ask of fetched code before anyone is asked to trust it, in one
 * order: a reviewed release (D19b pins), signed by a listed author (D19b signers), and what the
 * static scan finds (D21). Nothing here asks: the consent screen shows the scan and the notices,
 * then asks the scan gate's question with the others.
 */
import type { RegistryPlugin } from '../registry/model.ts';
import type { TrustResult } from '../registry/trust.ts';
import { type AuthorSignatureCheck, checkFetchedSignature } from './author-signature.ts';
import type { PluginWorkDeps } from './deps.ts';
import type { FetchedPlugin } from './fetch-candidate.ts';
import { checkRelease, type ReleaseCheck, UNSIGNED_RELEASE_LABEL } from './release-check.ts';
import { type ScanOutcome, scanFetched } from './scan-gate.ts';
import type { TreeDigest } from './store/index.ts';

export interface VetReleaseInput {
	fetched: FetchedPlugin;
	digest: TreeDigest;
	trust: TrustResult;
	/** The registry entry for the source, when trust did not match one (a UUID mismatch). */
	entry: RegistryPlugin | undefined;
	/** A local directory registered in place: no commit, no tag, nothing to pin. */
	local: boolean;
	/**
	 * The scan, when it was started as soon as the files were on disk (install); its outcome
	 * is reviewed here all the same, at the same point. Without it the scan starts here.
	 */
	scan?: Promise<ScanOutcome>;
}

export interface VettedRelease {
	release: ReleaseCheck;
	author: AuthorSignatureCheck;
	scan: ScanOutcome;
	/** Lines for the trust part of the consent screen (an unverified release). */
	notices: string[];
}

export async function vetRelease(
	input: VetReleaseInput,
	deps: PluginWorkDeps,
): Promise<VettedRelease> {
	const { fetched, trust } = input;
	const release: ReleaseCheck = input.local
		? { state: 'not-required' }
		: checkRelease({
				trust,
				signedRegistry: deps.snapshot.signed,
				commit: fetched.commit,
				tree: input.digest.treeDigest,
			});
	const notices = release.state === 'unsigned-registry' ? [`${UNSIGNED_RELEASE_LABEL}.`] : [];
	const author: AuthorSignatureCheck = input.local
		? { state: 'not-required' }
		: await checkFetchedSignature(fetched, trust.plugin ?? input.entry, deps);
	// Started as soon as the files were on disk when the caller could (install, update).
	const scan = await (input.scan ?? scanFetched(fetched.dir, deps));
	return { release, author, scan, notices };
}

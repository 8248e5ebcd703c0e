/**
 * What install and update both ask of fetched code before anyone is asked to trust it, in one
 * order: a reviewed release (D19b pins), signed by a listed author (D19b signers), and what the
 * static scan finds (D21), with the scan's own confirmation for unreviewed plugins.
 */
import type { RegistryPlugin } from '../registry/model.ts';
import type { TrustResult } from '../registry/trust.ts';
import { type AuthorSignatureCheck, checkFetchedSignature } from './author-signature.ts';
import type { PluginWorkDeps } from './deps.ts';
import type { FetchedPlugin } from './fetch-candidate.ts';
import { checkRelease, type ReleaseCheck, UNSIGNED_RELEASE_LABEL } from './release-check.ts';
import { reviewScan, type ScanOutcome, scanFetched } from './scan-gate.ts';
import type { TreeDigest } from './store/index.ts';

export interface VetReleaseInput {
	fetched: FetchedPlugin;
	digest: TreeDigest;
	trust: TrustResult;
	/** The registry entry for the source, when trust did not match one (a UUID mismatch). */
	entry: RegistryPlugin | undefined;
	pluginName: string;
	/** `install`, `update`... */
	action: string;
	acceptFindings: boolean;
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
	if (release.state === 'unsigned-registry') deps.reporter.warn(`${UNSIGNED_RELEASE_LABEL}.`);
	const author: AuthorSignatureCheck = input.local
		? { state: 'not-required' }
		: await checkFetchedSignature(fetched, trust.plugin ?? input.entry, deps);
	// For unreviewed plugins, shown before the trust prompt, with a yes of its own for
	// high-severity findings.
	const scan = await (input.scan ?? scanFetched(fetched.dir, deps));
	await reviewScan(
		{
			outcome: scan,
			trust: trust.level,
			pluginName: input.pluginName,
			action: input.action,
			acceptFindings: input.acceptFindings,
		},
		deps,
	);
	return { release, author, scan };
}

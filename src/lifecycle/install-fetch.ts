/**
 * Install steps 3–4: bring the plugin's files within reach. A local directory without git is
 * read where it is; a git source is cloned into staging at the first ref candidate whose
 * manifest is valid and supports the host (D15), with the refs listed only when a choice must
 * be made.
 */
import { sanitizeText } from '../core/sanitize.ts';
import { type RefCandidate, refCandidates } from './checkout-choice.ts';
import { lifecycleError } from './errors.ts';
import { type FetchedPlugin, fetchCompatible } from './fetch-candidate.ts';
import type { InstallDeps, InstallOptions } from './install.ts';
import type { RedirectCheck } from './ports.ts';
import type { InstallSource } from './source.ts';

/** What was fetched; `placed` once it has been moved into the plugins directory. */
export type Fetched = FetchedPlugin & { placed?: boolean };

export async function fetchInstallSource(
	source: InstallSource,
	options: InstallOptions,
	deps: InstallDeps,
	redirectGuard: RedirectCheck,
): Promise<Fetched> {
	if (source.kind === 'local') {
		if (options.ref !== undefined) {
			throw lifecycleError('NOT_SUPPORTED', 'A local directory without git has no refs.', {
				hint: 'Leave out --ref, or make the directory a git repository.',
			});
		}
		const result = await deps.readManifest(source.url, { categories: deps.categories });
		if (result.manifest === undefined) {
			throw lifecycleError(
				'MANIFEST_INVALID',
				`The plugin's MANIFEST.toml is not valid (${result.errors.length} problems).`,
				{ hint: `Run \`vouch validate ${sanitizeText(source.url)}\` for the list.` },
			);
		}
		return {
			dir: source.url,
			commit: '',
			candidate: { why: 'local directory' },
			manifest: result.manifest,
			warnings: result.warnings.map((issue) => issue.message),
		};
	}
	// An unregistered plugin without --ref installs its default branch: the clone says which,
	// so the extra round trip of listing refs is saved.
	let candidates: RefCandidate[] = [{ why: 'default branch' }];
	if (options.ref !== undefined || source.entry !== undefined) {
		deps.reporter.progress(`Listing refs of ${sanitizeText(source.url)}`);
		const listing = await deps.git.lsRemote(source.url, { redirectGuard });
		candidates = refCandidates({
			...(options.ref === undefined ? {} : { requestedRef: options.ref }),
			listing,
			...(source.entry === undefined ? {} : { entry: source.entry }),
			hostApiVersions: deps.hostApiVersions,
			includePreRelease: options.pre,
		});
	}
	return fetchCompatible(
		{
			url: source.url,
			redirectGuard,
			candidates,
			hostApiVersions: deps.hostApiVersions,
			categories: deps.categories,
		},
		{
			git: deps.git,
			staging: {
				create: () => deps.files.createStaging(),
				remove: (path) => deps.files.removeStaging(path),
			},
			readManifest: deps.readManifest,
			reporter: deps.reporter,
		},
	);
}

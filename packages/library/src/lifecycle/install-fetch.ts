/**
 * Install steps 3–4: bring the plugin's files within reach. A local directory without git is
 * read where it is; a git source is cloned into staging at the first ref candidate whose
 * manifest is valid and supports the host (D15), with the refs listed only when a choice must
 * be made.
 */
import { sanitizeText } from '../core/sanitize.ts';
import { type RefCandidate, refCandidates } from './checkout-choice.ts';
import { lifecycleError } from './errors.ts';
import { type FetchedPlugin, fetchCompatible, userFacingWarnings } from './fetch-candidate.ts';
import type { InstallDeps, InstallOptions } from './install.ts';
import type { RedirectCheck, RemoteListing } from './ports.ts';
import type { InstallSource } from './source.ts';
import type { InstalledPlugin } from './store/index.ts';

/** What was fetched; `placed` once it has been moved into the plugins directory. */
export type Fetched = FetchedPlugin & { placed?: boolean };

export async function fetchInstallSource(
	source: InstallSource,
	options: InstallOptions,
	deps: InstallDeps,
	redirectGuard: RedirectCheck,
	/** The installed copy a `--reinstall` replaces: without `--ref`, its ref is kept. */
	replacing?: InstalledPlugin,
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
			warnings: userFacingWarnings(result.warnings),
		};
	}
	// git reads the directory the user named: a linked worktree's own HEAD (the commit checked
	// out there), not its main repository's. Both addresses are checked by the blacklist, and the
	// git module hands git that directory's exact repository (D11).
	const gitSource = source.typedPath ?? source.url;
	// An unregistered plugin without --ref installs its default branch: the clone says which,
	// so the extra round trip of listing refs is saved.
	let candidates: RefCandidate[] = [{ why: 'default branch' }];
	const kept = options.ref === undefined ? keptRef(replacing) : undefined;
	if (kept !== undefined) {
		deps.reporter.progress(`Listing refs of ${sanitizeText(source.url)}`);
		candidates = [assertKeptRefExists(kept, await deps.git.lsRemote(gitSource, { redirectGuard }))];
	} else if (options.ref !== undefined || source.entry !== undefined) {
		deps.reporter.progress(`Listing refs of ${sanitizeText(source.url)}`);
		const listing = await deps.git.lsRemote(gitSource, { redirectGuard });
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
			url: gitSource,
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

/**
 * A reinstall without `--ref` fetches what was installed: the same tag, branch or commit pin.
 * Moving a plugin installed at `v1.0.0` onto the default branch would install code nobody
 * chose, and drop a pin the user made on purpose.
 */
function keptRef(installed: InstalledPlugin | undefined): RefCandidate | undefined {
	if (installed === undefined || installed.source.kind !== 'git') return undefined;
	const { refType, ref, commit } = installed.source;
	if (refType === 'commit' && commit !== undefined) {
		return { ref: commit, refType: 'commit', why: 'the installed commit' };
	}
	if ((refType === 'tag' || refType === 'branch') && ref !== undefined) {
		return { ref, refType, why: `the installed ${refType}` };
	}
	return undefined;
}

/** D15: a ref that has gone is an error naming it, never a silent move to another one. */
function assertKeptRefExists(kept: RefCandidate, listing: RemoteListing): RefCandidate {
	const ref = kept.ref as string;
	const present =
		kept.refType === 'commit' ||
		(kept.refType === 'tag' ? listing.tags.has(ref) : listing.branches.has(ref));
	if (present) return kept;
	throw lifecycleError(
		'SOURCE_NOT_FOUND',
		`The ${kept.refType} ${sanitizeText(ref)} this plugin was installed at no longer exists.`,
		{ hint: 'Pick the ref to reinstall with --ref.' },
	);
}

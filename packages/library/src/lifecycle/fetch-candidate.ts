/**
 * Fetches the plugin into a staging directory and reads its manifest, trying the ref
 * candidates in order until one supports the host's API (D15). Nothing here touches the
 * installed plugins: every attempt lives in its own staging directory, removed on failure.
 */
import { apiVersionsIntersect } from '../core/api-version.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { Manifest, ManifestIssue, ManifestResult } from '../manifest/index.ts';
import type { RefCandidate } from './checkout-choice.ts';
import { lifecycleError } from './errors.ts';
import type { GitPort, RedirectCheck } from './ports.ts';
import type { LifecycleReporter } from './prompter.ts';

export interface StagingPort {
	/** A new, empty directory on the plugins directory's filesystem. */
	create(): Promise<string>;
	remove(path: string): Promise<void>;
}

export interface FetchInput {
	url: string;
	/** Decides whether an HTTP redirect may be followed (D27); without it none is. */
	redirectGuard?: RedirectCheck;
	candidates: readonly RefCandidate[];
	hostApiVersions: string[];
	categories: readonly string[];
}

export interface FetchDeps {
	git: GitPort;
	staging: StagingPort;
	readManifest(dir: string, options: { categories: readonly string[] }): Promise<ManifestResult>;
	reporter: LifecycleReporter;
}

export interface FetchedPlugin {
	dir: string;
	commit: string;
	candidate: RefCandidate;
	manifest: Manifest;
	/** Sanitised manifest warnings, to show the user (see `userFacingWarnings`). */
	warnings: string[];
	/** Where git really fetched from, when a checked redirect was followed (D27). */
	fetchedFrom?: string;
}

export async function fetchCompatible(input: FetchInput, deps: FetchDeps): Promise<FetchedPlugin> {
	const tried: string[] = [];
	for (const candidate of input.candidates) {
		const dir = await deps.staging.create();
		let keep = false;
		try {
			const label = candidate.ref === undefined ? 'the default branch' : candidate.ref;
			deps.reporter.progress(`Fetching ${sanitizeText(label)} from ${sanitizeText(input.url)}`);
			const { commit, branch, fetchedFrom } = await deps.git.clone({
				url: input.url,
				dest: dir,
				...(input.redirectGuard === undefined ? {} : { redirectGuard: input.redirectGuard }),
				...(candidate.ref === undefined ? {} : { ref: candidate.ref }),
				...(candidate.refType === undefined ? {} : { refType: candidate.refType }),
			});
			const result = await deps.readManifest(dir, { categories: input.categories });
			if (result.manifest === undefined) throw manifestInvalid(result);
			if (!apiVersionsIntersect(result.manifest.api, input.hostApiVersions)) {
				tried.push(`${label} (api ${result.manifest.api.join(', ')})`);
				continue;
			}
			keep = true;
			return {
				dir,
				commit,
				// The default branch has a name once cloned; updates follow that branch.
				candidate:
					candidate.ref === undefined && branch !== undefined
						? { ...candidate, ref: branch, refType: 'branch' }
						: candidate,
				manifest: result.manifest,
				warnings: userFacingWarnings(result.warnings),
				...(fetchedFrom === undefined ? {} : { fetchedFrom }),
			};
		} finally {
			if (!keep) await deps.staging.remove(dir);
		}
	}
	throw lifecycleError(
		'INCOMPATIBLE_API',
		tried.length === 0
			? 'No ref of this plugin could be chosen for this host.'
			: `No ref of this plugin supports the host's API ${input.hostApiVersions.join(', ')}. Tried: ${sanitizeText(tried.join('; '), { maxLength: 600 })}.`,
		{ hint: 'Pick a ref with --ref, or ask the author for a release for this host version.' },
	);
}

function manifestInvalid(result: ManifestResult): Error {
	const listed = result.errors.slice(0, 20).map((issue) => `  - ${issue.message} [${issue.code}]`);
	return lifecycleError(
		'MANIFEST_INVALID',
		`The plugin's MANIFEST.toml is not valid:\n${listed.join('\n')}`,
		{
			hint: 'Tell the plugin author; `vouch validate <dir>` shows the same list.',
			details: { errors: result.errors.slice(0, 100) },
		},
	);
}

/**
 * The manifest warnings worth a user's attention at install. A missing `[capabilities]` table
 * is advice for the author (`vouch validate` gives it); the user learns what it means from the
 * consent screen's capabilities line.
 */
export function userFacingWarnings(warnings: readonly ManifestIssue[]): string[] {
	return warnings
		.filter((issue) => issue.code !== 'CAPABILITIES_UNDECLARED')
		.map((issue) => issue.message);
}

/**
 * The TUF verifier behind the registry loader's verifier seam (D19). The text the loader hands
 * over is not trusted and not used: the verifier fetches the repository itself through tuf-js,
 * starting from the root the host ships, and returns the registry document rebuilt from the
 * verified `registry.json` and `blacklist.json` targets, marked signed, with the expiry that
 * drives the D1 staleness policy.
 *
 * `verify` always refreshes from the repository. `loadCached` reads the last verified state
 * without the network (re-verified, D25), for callers that fall back to it when offline.
 */
import { resolve } from 'node:path';
import type {
	RegistryVerifier,
	RegistryVerifierInput,
	VerifiedRegistryText,
} from '../../registry/sources/verifier.ts';
import type { RoleName } from '../metadata.ts';
import { DEFAULT_TUF_REFRESH_TIMEOUT_MS, DEFAULT_TUF_TIMEOUT_MS } from './defaults.ts';
import { mergeRegistryTargets } from './registry-document.ts';
import { fetchRegistryScanSummary } from './scan-report.ts';
import type { RegistryScanSummary } from './scan-summary.ts';
import { pruneTargets } from './target-files.ts';
import { readShippedRoot, removeTrustedState } from './trusted-state.ts';
import { repositoryUrls } from './url-policy.ts';
import { readCachedTargets, type VerifiedTargets } from './verified-targets.ts';

export interface TufVerifierOptions {
	/** The root metadata the host ships (the profile's `trusted_root`). */
	trustedRootPath: string;
	/** Where the verified metadata is kept between runs. */
	metadataDir: string;
	/** Where verified target files are kept between runs. */
	targetsDir: string;
	/**
	 * The repository's base URL (https, loopback http, `file://` or an absolute path). Default:
	 * the `source` of each `verify` call, which the loader sets to the profile's registry URL.
	 */
	repositoryUrl?: string;
	fetch?: typeof fetch;
	now?: () => Date;
	/** Per request. Default 30 s. */
	timeoutMs?: number;
	/** One whole refresh, every request together. Default 2 minutes. */
	refreshTimeoutMs?: number;
}

export interface TufVerifiedRegistry extends VerifiedRegistryText {
	format: 'json';
	signed: true;
	expiresAt: Date;
	/** From the local cache, without contacting the repository. */
	offline: boolean;
	versions: Record<RoleName, number>;
}

export interface TufVerifier extends RegistryVerifier {
	verify(input: RegistryVerifierInput): Promise<TufVerifiedRegistry>;
	/** Runs the TUF client workflow against the repository and stores the verified state. */
	refresh(repositoryUrl?: string): Promise<TufVerifiedRegistry>;
	/** The last verified registry, re-verified from the cache; no network. */
	loadCached(): Promise<TufVerifiedRegistry>;
	/** Forgets the cached state (after a TUF_CACHE_TAMPERED a person has looked at). */
	resetCache(): Promise<void>;
	/**
	 * The summary of the registry's scan report of `id` at `commit`, verified against the
	 * stored targets metadata; undefined when the registry publishes none for that commit.
	 */
	scanSummary(
		id: string,
		commit: string,
		repositoryUrl?: string,
	): Promise<RegistryScanSummary | undefined>;
}

export function createTufVerifier(options: TufVerifierOptions): TufVerifier {
	const metadataDir = resolve(options.metadataDir);
	const targetsDir = resolve(options.targetsDir);
	const now = options.now ?? (() => new Date());
	const fetchImpl = options.fetch ?? globalThis.fetch;

	async function refresh(location?: string): Promise<TufVerifiedRegistry> {
		const shipped = await readShippedRoot(options.trustedRootPath);
		const urls = repositoryUrls(location ?? options.repositoryUrl ?? '');
		// Loaded here, not at the top: tuf-js and its download stack cost a noticeable part of a
		// process's start-up, and most runs read the cached state or never touch TUF at all.
		const { refreshRepository } = await import('./refresh.ts');
		const targets = await refreshRepository({
			shipped,
			metadataDir,
			targetsDir,
			urls,
			fetch: fetchImpl,
			timeoutMs: options.timeoutMs ?? DEFAULT_TUF_TIMEOUT_MS,
			refreshTimeoutMs: options.refreshTimeoutMs ?? DEFAULT_TUF_REFRESH_TIMEOUT_MS,
			now: now(),
		});
		return toRegistry(targets);
	}

	return {
		verify: (input) => refresh(options.repositoryUrl ?? input.source),
		refresh,
		async loadCached() {
			const shipped = await readShippedRoot(options.trustedRootPath);
			return toRegistry(await readCachedTargets({ shipped, metadataDir, targetsDir }));
		},
		async resetCache() {
			await removeTrustedState(metadataDir);
			await pruneTargets(targetsDir, []);
		},
		async scanSummary(id, commit, location) {
			return fetchRegistryScanSummary(
				{
					shipped: await readShippedRoot(options.trustedRootPath),
					metadataDir,
					urls: repositoryUrls(location ?? options.repositoryUrl ?? ''),
					fetch: fetchImpl,
					timeoutMs: options.timeoutMs ?? DEFAULT_TUF_TIMEOUT_MS,
				},
				id,
				commit,
			);
		},
	};
}

function toRegistry(targets: VerifiedTargets): TufVerifiedRegistry {
	return {
		text: mergeRegistryTargets(targets.registry, targets.blacklist),
		format: 'json',
		signed: true,
		expiresAt: targets.expiresAt,
		offline: targets.offline,
		versions: targets.versions,
	};
}

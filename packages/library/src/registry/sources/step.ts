/**
 * What the per-source steps (`local.ts`, `remote.ts`) share with the loader: the options of
 * one load, what a source produced, and how an attempt ended.
 */
import type { HostProfile } from '../../core/profile.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import type { RegistryFormat } from '../decode.ts';
import type { Registry } from '../model.ts';
import { type RegistryCacheEntry, type RegistryCacheRead, readRegistryCache } from './cache.ts';
import type { RegistryVerifier, VerifiedRegistryText } from './verifier.ts';

/** `auto`: use a young cache, revalidate an old one, fall back to it offline. `refresh`: always ask the network. */
export type RegistryLoadMode = 'auto' | 'refresh';

/** A spinner or anything like it; the loader says when a slow step starts and ends. */
export interface LoadProgress {
	start(message: string): void;
	stop(): void;
}

export interface LoadRegistryFromSourcesOptions {
	/** Tried in order: http(s) URLs, `file://` URLs or local paths. */
	sources: readonly string[];
	/** `cacheDir` holds `registry/<key>.cache`; the other two are the D1 and D23 policies. */
	profile: Pick<HostProfile, 'cacheDir' | 'refreshIntervalHours' | 'maxStalenessDays'>;
	verifier: RegistryVerifier;
	/**
	 * A TUF repository client (D19). When set, every source is a repository base URL read
	 * through it, and `verifier` is not used: the signed metadata is the only source of trust.
	 */
	signed?: SignedRegistryReader;
	fetch: typeof fetch;
	now: () => Date;
	/** Base for relative paths, in the source list and inside the registry. */
	cwd: string;
	/** Expansion of `~`. Default: the user's home directory. */
	home?: string;
	/** The profile's hosts with case-insensitive repository paths (D2). */
	caseInsensitivePathHosts?: readonly string[];
	/** Default `auto`. */
	mode?: RegistryLoadMode;
	/** Per request. Default: the loader's 30 s. */
	timeoutMs?: number;
	/** Largest registry accepted, fetched or cached. Default 16 MiB. */
	maxBytes?: number;
	progress?: LoadProgress;
}

/** A signed registry read from a TUF repository: verified before it is returned. */
export interface SignedRegistryText extends VerifiedRegistryText {
	signed: true;
	expiresAt: Date;
}

/** The TUF client as the loader sees it (`src/tuf` implements it). */
export interface SignedRegistryReader {
	/** Runs the TUF client workflow against the repository at `location`. */
	refresh(location: string): Promise<SignedRegistryText>;
	/** The last verified state, verified again from the local cache; no network. */
	loadCached(): Promise<SignedRegistryText>;
}

/** What a source produced, before verification and parsing. */
export interface SourceText {
	/** Sanitised, credentials redacted. */
	source: string;
	text: string;
	format?: RegistryFormat;
	fetchedAt: Date;
	fromCache: boolean;
	notModified: boolean;
	local: boolean;
	/** The absolute path of a local registry file. */
	path?: string;
}

export interface Accepted {
	registry: Registry;
	signed: boolean;
	expiresAt?: Date;
}

export interface LoadContext extends LoadRegistryFromSourcesOptions {
	mode: RegistryLoadMode;
	/** Collected across the whole load and returned with the result. */
	warnings: string[];
	/** Verifies, then parses; throws on anything that is not an acceptable registry. */
	accept(text: SourceText): Promise<Accepted>;
	/** Parses what the TUF client has verified itself. */
	acceptVerified(text: SourceText, verified: VerifiedRegistryText): Accepted;
}

export interface LoadedText {
	text: SourceText;
	accepted: Accepted;
}

/**
 * A source either loaded, or failed in a way that lets the chain move on. Failures that stop
 * the chain are thrown instead. `standIn` reads a copy kept from an earlier load, verified
 * again, that may stand in if every source fails (the offline fallback).
 */
export type SourceAttempt =
	| ({ kind: 'loaded' } & LoadedText)
	| { kind: 'failed'; error: unknown; standIn?: () => Promise<LoadedText> };

export function cachedText(
	location: string,
	entry: RegistryCacheEntry,
	notModified: boolean,
): SourceText {
	return {
		source: sanitizeText(location),
		text: entry.text,
		...(entry.format === undefined ? {} : { format: entry.format }),
		fetchedAt: entry.fetchedAt,
		fromCache: true,
		notModified,
		local: false,
	};
}

export function ignoredCacheWarning(location: string, problem: unknown): string {
	const reason = problem instanceof Error ? problem.message : String(problem);
	return `Ignored the cached copy of ${sanitizeText(location)}: ${sanitizeText(reason, { maxLength: 300 })}`;
}

export function readCacheFor(location: string, context: LoadContext): Promise<RegistryCacheRead> {
	return readRegistryCache(context.profile.cacheDir, location, {
		now: context.now(),
		...(context.maxBytes === undefined ? {} : { maxBytes: context.maxBytes }),
	});
}

/**
 * Loads the registry from a host's ordered sources, with a per-URL cache, conditional requests
 * and an offline fallback. Every byte, fetched or cached, goes through the verifier and the
 * parser on every load (D25), so the cache saves network round trips, never checks.
 *
 * With a TUF client (a profile with a trusted root), a source is a signed repository read by
 * `signed.ts`, unless it names a registry file, which stays an unsigned source.
 *
 * Sources are tried in order and the first that loads wins (`local.ts` and `remote.ts` say
 * how each kind is read). A source that cannot be reached moves on to the next; one that
 * answers with something broken stops the chain (`failures.ts`). When every source fails,
 * `auto` mode falls back to the first usable cached copy, in source order, and marks the
 * result `offline`. `refresh` mode never does: a refresh that could not reach the network
 * has failed.
 */

import { dirname } from 'node:path';
import { assessBlacklistFreshness, type BlacklistFreshness } from '../../blacklist/staleness.ts';
import { pickUrlContext } from '../../core/canonical-url.ts';
import { anchorLocalPaths } from '../local-paths.ts';
import type { Registry } from '../model.ts';
import { parseRegistryText } from '../parse.ts';
import {
	describeFailure,
	isPolicyRefusal,
	noRegistryAvailable,
	type SourceFailure,
} from './failures.ts';
import { readLocalSource } from './local.ts';
import { fetchRemoteSource } from './remote.ts';
import { readSignedSource } from './signed.ts';
import {
	type Accepted,
	ignoredCacheWarning,
	type LoadContext,
	type LoadedText,
	type LoadRegistryFromSourcesOptions,
	type SourceText,
} from './step.ts';
import type { VerifiedRegistryText } from './verifier.ts';

export interface RegistryLoadResult {
	registry: Registry;
	/** Where it came from: a path, or the URL with credentials redacted. */
	source: string;
	signed: boolean;
	/** Signed sources: when the verified metadata expires. */
	expiresAt?: Date;
	/** The text was the cached copy (young enough, confirmed by a 304, or the offline fallback). */
	fromCache: boolean;
	/** The network failed and the cached copy stood in. */
	offline: boolean;
	/** The server answered 304 to this load's conditional request. */
	notModified: boolean;
	/** Read from a local path or `file://`: never cached. */
	local: boolean;
	/** Last successful contact with the source (a 200 or a 304; for a local file, this read). */
	fetchedAt: Date;
	/** D1: how far the blacklist in `registry` can be trusted now; callers apply the policy. */
	freshness: BlacklistFreshness;
	/** Sources tried before the one that answered, and why each failed. */
	failures: SourceFailure[];
	/** Problems that did not stop the load: an ignored cache file, a cache that could not be written. */
	warnings: string[];
}

export async function loadRegistryFromSources(
	options: LoadRegistryFromSourcesOptions,
): Promise<RegistryLoadResult> {
	const context: LoadContext = {
		...options,
		mode: options.mode ?? 'auto',
		warnings: [],
		accept: (text) => acceptText(text, options),
		acceptVerified: (text, verified) => parseVerified(text, verified, options),
	};
	const failures: SourceFailure[] = [];
	const standIns: { location: string; read: () => Promise<LoadedText> }[] = [];
	let lastError: unknown;
	for (const location of options.sources) {
		const attempt =
			options.signed !== undefined && !isRegistryDocument(location)
				? await readSignedSource(location, context, options.signed)
				: isRemote(location)
					? await fetchRemoteSource(location, context)
					: await readLocalSource(location, context);
		if (attempt.kind === 'loaded') {
			return result(attempt.text, attempt.accepted, failures, context, false);
		}
		failures.push(describeFailure(location, attempt.error));
		lastError = attempt.error;
		if (attempt.standIn !== undefined) standIns.push({ location, read: attempt.standIn });
	}
	if (context.mode === 'auto') {
		for (const { location, read } of standIns) {
			try {
				const loaded = await read();
				return result(loaded.text, loaded.accepted, failures, context, true);
			} catch (error) {
				if (isPolicyRefusal(error)) throw error;
				context.warnings.push(ignoredCacheWarning(location, error));
			}
		}
	}
	throw noRegistryAvailable({ failures, lastError, refresh: context.mode === 'refresh' });
}

/**
 * A location naming a registry file (`.toml` or `.json`) rather than a TUF repository's base:
 * read as an unsigned document even where the profile has a trusted root, so it meets the
 * unsigned verifier and its refusal, not a confusing "no TUF metadata here".
 */
export function isRegistryDocument(location: string): boolean {
	let path = location.trim();
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(path)) {
		try {
			path = new URL(path).pathname;
		} catch {
			return false;
		}
	}
	return /\.(toml|json)$/i.test(path);
}

/** Only http(s) goes to the network; every other location is the local reader's to judge. */
export function isRemote(location: string): boolean {
	return /^https?:\/\//i.test(location.trim());
}

async function acceptText(
	text: SourceText,
	options: LoadRegistryFromSourcesOptions,
): Promise<Accepted> {
	const verified = await options.verifier.verify({
		source: text.source,
		text: text.text,
		...(text.format === undefined ? {} : { format: text.format }),
	});
	return parseVerified(text, verified, options);
}

/** Parses text a verifier (or the TUF client) has already accepted. */
function parseVerified(
	text: SourceText,
	verified: VerifiedRegistryText,
	options: LoadRegistryFromSourcesOptions,
): Accepted {
	const format = verified.format ?? text.format;
	const parsed = parseRegistryText(verified.text, {
		label: text.source,
		...pickUrlContext(options),
		...(format === undefined ? {} : { format }),
		...(options.maxBytes === undefined ? {} : { maxBytes: options.maxBytes }),
	});
	// Only a registry the user keeps on disk may list local repositories (D11); its relative
	// paths mean "next to the registry file", whatever directory the command runs in.
	const registry =
		text.local && text.path !== undefined
			? anchorLocalPaths(parsed, dirname(text.path), pickUrlContext(options))
			: parsed;
	return {
		registry,
		signed: verified.signed,
		...(verified.expiresAt === undefined ? {} : { expiresAt: verified.expiresAt }),
	};
}

function result(
	text: SourceText,
	accepted: Accepted,
	failures: SourceFailure[],
	context: LoadContext,
	offline: boolean,
): RegistryLoadResult {
	const freshness = assessBlacklistFreshness({
		signed: accepted.signed,
		...(accepted.expiresAt === undefined ? {} : { verifiedExpiresAt: accepted.expiresAt }),
		lastFetchedAt: text.fetchedAt,
		now: context.now(),
		maxStalenessDays: context.profile.maxStalenessDays,
	});
	return {
		registry: accepted.registry,
		source: text.source,
		signed: accepted.signed,
		...(accepted.expiresAt === undefined ? {} : { expiresAt: accepted.expiresAt }),
		fromCache: text.fromCache,
		offline,
		notModified: text.notModified,
		local: text.local,
		fetchedAt: text.fetchedAt,
		freshness,
		failures,
		warnings: context.warnings,
	};
}

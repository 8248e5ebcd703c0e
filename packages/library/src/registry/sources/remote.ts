/**
 * An http(s) source with its cache. In `auto` mode a cached copy younger than the profile's
 * refresh interval is used as it is (D23). Otherwise the URL is fetched, conditionally when a
 * cached copy exists: a 304 reuses that copy and counts as a successful contact. A copy that
 * no longer verifies or parses is dropped and the URL fetched in full, so a damaged cache
 * costs one request, never the load.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import { registryError } from '../errors.ts';
import { type RegistryNotModified, type RegistrySource, readRegistrySource } from '../load.ts';
import { type RegistryCacheEntry, writeRegistryCache } from './cache.ts';
import { isOutage, isPolicyRefusal, movesOn } from './failures.ts';
import {
	cachedText,
	ignoredCacheWarning,
	type LoadContext,
	readCacheFor,
	type SourceAttempt,
	type SourceText,
} from './step.ts';
import { usableValidators } from './validators.ts';

type FetchOutcome =
	| { kind: 'body'; read: RegistrySource }
	| { kind: 'not-modified'; read: RegistryNotModified }
	| { kind: 'failed'; error: unknown };

export async function fetchRemoteSource(
	location: string,
	context: LoadContext,
): Promise<SourceAttempt> {
	let entry = await cachedEntry(location, context);
	if (entry !== undefined && context.mode === 'auto' && isYoung(entry, context)) {
		const attempt = await tryCached(location, entry, false, context);
		if (attempt !== undefined) return attempt;
		entry = undefined;
	}
	const outcome = await fetchOnce(location, context, entry);
	if (outcome.kind === 'failed') {
		// Only an outage lets the cached copy stand in later; a refused redirect does not.
		const cached = entry;
		return isOutage(outcome.error) && cached !== undefined
			? {
					kind: 'failed',
					error: outcome.error,
					standIn: async () => {
						const text = cachedText(location, cached, false);
						return { text, accepted: await context.accept(text) };
					},
				}
			: { kind: 'failed', error: outcome.error };
	}
	if (outcome.kind === 'body') return acceptBody(location, outcome.read, context);
	if (entry !== undefined) {
		const confirmed: RegistryCacheEntry = {
			...entry,
			...usableValidators(outcome.read),
			fetchedAt: context.now(),
		};
		const attempt = await tryCached(location, confirmed, true, context);
		if (attempt !== undefined) {
			await saveCache(location, confirmed, context);
			return attempt;
		}
	}
	// The copy the server confirmed turned out unusable: ask again for the full text.
	const again = await fetchOnce(location, context, undefined);
	if (again.kind === 'body') return acceptBody(location, again.read, context);
	return { kind: 'failed', error: again.kind === 'failed' ? again.error : unexpected304(location) };
}

/** The cached copy when it looks like one of ours; an invalid file is noted and ignored. */
async function cachedEntry(
	location: string,
	context: LoadContext,
): Promise<RegistryCacheEntry | undefined> {
	const read = await readCacheFor(location, context);
	if (read.state === 'invalid') context.warnings.push(ignoredCacheWarning(location, read.problem));
	return read.state === 'hit' ? read.entry : undefined;
}

function isYoung(entry: RegistryCacheEntry, context: LoadContext): boolean {
	const intervalMs = context.profile.refreshIntervalHours * 60 * 60 * 1000;
	if (!Number.isFinite(intervalMs) || intervalMs <= 0) return false;
	return context.now().getTime() - entry.fetchedAt.getTime() < intervalMs;
}

/** Verifies and parses a cached copy (D25); undefined when it fails and should be ignored. */
async function tryCached(
	location: string,
	entry: RegistryCacheEntry,
	notModified: boolean,
	context: LoadContext,
): Promise<SourceAttempt | undefined> {
	const text = cachedText(location, entry, notModified);
	try {
		return { kind: 'loaded', text, accepted: await context.accept(text) };
	} catch (error) {
		if (isPolicyRefusal(error)) throw error;
		context.warnings.push(ignoredCacheWarning(location, error));
		return undefined;
	}
}

async function fetchOnce(
	location: string,
	context: LoadContext,
	entry: RegistryCacheEntry | undefined,
): Promise<FetchOutcome> {
	context.progress?.start(
		`${entry === undefined ? 'Fetching' : 'Revalidating'} the registry from ${sanitizeText(location)}`,
	);
	try {
		const read = await readRegistrySource(location, {
			fetch: context.fetch,
			cwd: context.cwd,
			validators: entry === undefined ? {} : usableValidators(entry),
			...(context.home === undefined ? {} : { home: context.home }),
			...(context.timeoutMs === undefined ? {} : { timeoutMs: context.timeoutMs }),
			...(context.maxBytes === undefined ? {} : { maxBytes: context.maxBytes }),
		});
		return read.notModified === true ? { kind: 'not-modified', read } : { kind: 'body', read };
	} catch (error) {
		if (movesOn(error)) return { kind: 'failed', error };
		throw error;
	} finally {
		context.progress?.stop();
	}
}

/** A fresh body: verified and parsed before it may replace the cached copy. */
async function acceptBody(
	location: string,
	read: RegistrySource,
	context: LoadContext,
): Promise<SourceAttempt> {
	const text: SourceText = {
		source: read.label,
		text: read.text,
		...(read.format === undefined ? {} : { format: read.format }),
		fetchedAt: context.now(),
		fromCache: false,
		notModified: false,
		local: false,
	};
	const accepted = await context.accept(text);
	await saveCache(
		location,
		{
			url: location,
			...(read.format === undefined ? {} : { format: read.format }),
			...usableValidators(read),
			fetchedAt: text.fetchedAt,
			text: read.text,
		},
		context,
	);
	return { kind: 'loaded', text, accepted };
}

/** A cache that cannot be written costs the next load a download, nothing more. */
async function saveCache(
	location: string,
	entry: RegistryCacheEntry,
	context: LoadContext,
): Promise<void> {
	try {
		await writeRegistryCache(context.profile.cacheDir, { ...entry, url: location });
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		context.warnings.push(
			`Could not update the registry cache for ${sanitizeText(location)}: ${sanitizeText(reason, { maxLength: 300 })}`,
		);
	}
}

function unexpected304(location: string) {
	return registryError(
		'REGISTRY_FETCH_FAILED',
		`Cannot fetch the registry from ${sanitizeText(location)}: HTTP 304 to an unconditional request`,
	);
}

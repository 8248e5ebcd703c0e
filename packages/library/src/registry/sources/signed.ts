/**
 * A source that is a TUF repository (D19). The TUF client fetches and verifies the metadata
 * and the registry and blacklist targets itself; nothing the loader could fetch or cache is
 * trusted. The loader keeps only the time of the last successful refresh for each URL (in the
 * registry cache, with an empty body), which drives the refresh interval (D23): a refresh
 * younger than that is served from the client's verified cache without the network.
 *
 * Editing that time can only cost a refresh or skip one; the blacklist's freshness comes from
 * the verified timestamp expiry (D1), which no local file can extend (D25).
 */
import { isVouchError } from '../../core/errors.ts';
import { redactUrlCredentials, sanitizeText } from '../../core/sanitize.ts';
import { readRegistryCache, writeRegistryCache } from './cache.ts';
import { isOutage, movesOn } from './failures.ts';
import type {
	LoadContext,
	LoadedText,
	SignedRegistryReader,
	SignedRegistryText,
	SourceAttempt,
} from './step.ts';

export async function readSignedSource(
	location: string,
	context: LoadContext,
	reader: SignedRegistryReader,
): Promise<SourceAttempt> {
	const label = sanitizeText(redactUrlCredentials(location.trim()));
	const contact = await lastRefresh(location, context);
	if (context.mode === 'auto' && contact !== undefined && isYoung(contact, context)) {
		try {
			return {
				kind: 'loaded',
				...fromVerifiedCache(label, await reader.loadCached(), contact, context),
			};
		} catch {
			// No usable cached state: a refresh below rebuilds it from the shipped root.
		}
	}
	context.progress?.start(`Refreshing the signed registry from ${label}`);
	let verified: SignedRegistryText;
	try {
		verified = await reader.refresh(location);
	} catch (error) {
		const standIn = async () =>
			fromVerifiedCache(label, await reader.loadCached(), contact, context);
		// Offline: the last verified state may stand in, with its own (possibly past) expiry.
		if (isOutage(error)) return { kind: 'failed', error, standIn };
		if (movesOn(error)) return { kind: 'failed', error };
		// A refused repository (rollback, freeze, bad signatures...) cannot make the verified
		// state any older: it stays what a normal load uses, named as a failure. A refresh
		// reports the refusal itself.
		if (context.mode === 'auto' && isRepositoryRefusal(error)) {
			return { kind: 'failed', error, standIn };
		}
		throw error;
	} finally {
		context.progress?.stop();
	}
	const fetchedAt = context.now();
	await saveRefreshTime(location, fetchedAt, context);
	const text = {
		source: label,
		text: verified.text,
		format: verified.format ?? 'json',
		fetchedAt,
		fromCache: false,
		notModified: false,
		local: false,
	} as const;
	return { kind: 'loaded', text, accepted: context.acceptVerified(text, verified) };
}

/** Errors about what the repository served, not about the local state or the host's setup. */
const LOCAL_PROBLEMS: ReadonlySet<string> = new Set([
	'TUF_CACHE_TAMPERED',
	'TUF_TRUSTED_ROOT_INVALID',
	'TUF_NO_CACHE',
]);

function isRepositoryRefusal(error: unknown): boolean {
	// LOG_*: the repository's transparency log was refused (D28), a refusal like TUF's.
	return (
		isVouchError(error) &&
		(error.code.startsWith('TUF_') || error.code.startsWith('LOG_')) &&
		!LOCAL_PROBLEMS.has(error.code)
	);
}

function fromVerifiedCache(
	label: string,
	verified: SignedRegistryText,
	contact: Date | undefined,
	context: LoadContext,
): LoadedText {
	const text = {
		source: label,
		text: verified.text,
		format: verified.format ?? 'json',
		// Unknown last contact: the expiry is the latest moment the state was known good.
		fetchedAt: contact ?? earlier(verified.expiresAt, context.now()),
		fromCache: true,
		notModified: false,
		local: false,
	} as const;
	return { text, accepted: context.acceptVerified(text, verified) };
}

function earlier(a: Date, b: Date): Date {
	return a.getTime() < b.getTime() ? a : b;
}

async function lastRefresh(location: string, context: LoadContext): Promise<Date | undefined> {
	const read = await readRegistryCache(context.profile.cacheDir, location, { now: context.now() });
	return read.state === 'hit' ? read.entry.fetchedAt : undefined;
}

function isYoung(contact: Date, context: LoadContext): boolean {
	const intervalMs = context.profile.refreshIntervalHours * 60 * 60 * 1000;
	if (!Number.isFinite(intervalMs) || intervalMs <= 0) return false;
	const age = context.now().getTime() - contact.getTime();
	return age >= 0 && age < intervalMs;
}

/** A time that cannot be written costs the next load a refresh, nothing more. */
async function saveRefreshTime(location: string, fetchedAt: Date, context: LoadContext) {
	try {
		await writeRegistryCache(context.profile.cacheDir, {
			url: location,
			format: 'json',
			fetchedAt,
			text: '',
		});
	} catch (error) {
		const reason = error instanceof Error ? error.message : String(error);
		context.warnings.push(
			`Could not record the refresh of ${sanitizeText(location)}: ${sanitizeText(reason, { maxLength: 300 })}`,
		);
	}
}

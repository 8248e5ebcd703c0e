/**
 * What each kind of failure means for the fallback chain (spec §11 item 44):
 * - the source could not be reached or does not exist: try the next one;
 * - the source answered with something broken (unparsable text, an invalid blacklist entry,
 *   an oversized body, a refused signature): stop. A broken registry is a signal, not an
 *   outage, and quietly taking an older copy from elsewhere could hide a blacklist change.
 */
import { isVouchError, type VouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { type RegistrySourcesErrorCode, sourcesError } from './errors.ts';

/** One source that did not give a registry, for messages and `--json`. */
export interface SourceFailure {
	/** The location, sanitised and with credentials redacted. */
	source: string;
	code: string;
	message: string;
}

/** The next source is tried after these. */
const MOVE_ON: ReadonlySet<string> = new Set([
	'REGISTRY_FETCH_FAILED',
	'REGISTRY_TIMEOUT',
	'REGISTRY_NOT_FOUND',
	'INSECURE_REGISTRY_URL',
	'UNSUPPORTED_REGISTRY_URL',
	// The same, from the TUF client reading a signed repository.
	'TUF_FETCH_FAILED',
	'TUF_TIMEOUT',
	'TUF_NOT_FOUND',
	'TUF_INSECURE_URL',
	'TUF_UNSUPPORTED_URL',
]);

/** Outages, after which the cached copy of that URL may stand in. */
const OFFLINE: ReadonlySet<string> = new Set([
	'REGISTRY_FETCH_FAILED',
	'REGISTRY_TIMEOUT',
	'TUF_FETCH_FAILED',
	'TUF_TIMEOUT',
]);

/**
 * Refusals that hold whatever the source: a cached copy failing them is not "a corrupt cache
 * to ignore" but the answer, so they end the load at once.
 */
const POLICY: ReadonlySet<string> = new Set<RegistrySourcesErrorCode>([
	'UNSIGNED_REGISTRY_REFUSED',
]);

export function movesOn(error: unknown): error is VouchError {
	return isVouchError(error) && MOVE_ON.has(error.code);
}

export function isOutage(error: unknown): boolean {
	return isVouchError(error) && OFFLINE.has(error.code);
}

export function isPolicyRefusal(error: unknown): boolean {
	return isVouchError(error) && POLICY.has(error.code);
}

export function describeFailure(location: string, error: unknown): SourceFailure {
	const message = error instanceof Error ? error.message : String(error);
	return {
		source: sanitizeText(location, { maxLength: 300 }),
		code: isVouchError(error) ? error.code : 'UNKNOWN',
		message: sanitizeText(message, { maxLength: 500 }),
	};
}

export interface NoRegistryContext {
	failures: readonly SourceFailure[];
	lastError: unknown;
	/** A refresh never falls back to the cache, so the hint differs. */
	refresh: boolean;
}

/** Every source failed: name them all, the last error first since it is the one that ended the chain. */
export function noRegistryAvailable(context: NoRegistryContext): VouchError {
	const { failures } = context;
	const last = failures.at(-1);
	const headline =
		last === undefined
			? 'No registry could be loaded: the host profile lists no registry sources.'
			: `No registry could be loaded: ${last.message}`;
	// Loader messages already name their source; anything else gets it in front.
	const lines = failures.map(
		(failure) =>
			`  - ${failure.message.includes(failure.source) ? failure.message : `${failure.source}: ${failure.message}`}`,
	);
	// The last source's own hint names who can act (a wrong address, the network, the server).
	const lastHint =
		isVouchError(context.lastError) && context.lastError.hint !== undefined
			? `${context.lastError.hint} `
			: '';
	const hint = context.refresh
		? `${lastHint}Then run \`vouch refresh\` again (any cached copy is kept), or use another registry: \`vouch config set registry <file|url>\`.`
		: `${lastHint}Then run \`vouch refresh\`, or use another registry: \`vouch config set registry <file|url>\`.`;
	return sourcesError(
		'NO_REGISTRY_AVAILABLE',
		failures.length > 1 ? `${headline}\nSources tried:\n${lines.join('\n')}` : headline,
		{ hint, cause: context.lastError, details: { failures: failures.map((f) => ({ ...f })) } },
	);
}

/**
 * Full git commit ids, as a blacklist entry names them and as the matcher compares them. Only
 * a full id is accepted: an abbreviation could name two commits, and which one git picks
 * depends on the repository.
 */

/** SHA-1 (40 hex digits) or SHA-256 (64). */
export const COMMIT_HASH_SHAPE = /^(?:[0-9A-Fa-f]{40}|[0-9A-Fa-f]{64})$/;

/** A commit id as compared: lowercase, or undefined when it is not a full id. */
export function normaliseCommit(value: unknown): string | undefined {
	if (typeof value !== 'string') return undefined;
	const text = value.trim();
	return COMMIT_HASH_SHAPE.test(text) ? text.toLowerCase() : undefined;
}

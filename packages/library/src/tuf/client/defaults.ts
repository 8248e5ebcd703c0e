/**
 * Defaults shared by the TUF client's modules. Kept apart from `fetcher.ts` so that callers that
 * only need a default do not load tuf-js, which the fetcher extends: tuf-js and its download
 * stack are loaded only by a refresh or a download that actually talks to a repository.
 */

/** Per request, body included. */
export const DEFAULT_TUF_TIMEOUT_MS = 30_000;

/**
 * One whole refresh: every request together (roots, metadata, targets, the log). Without it a
 * server that answers each request just inside the per-request limit could hold a startup
 * check for as long as it liked.
 */
export const DEFAULT_TUF_REFRESH_TIMEOUT_MS = 120_000;

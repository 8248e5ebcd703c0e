/**
 * Defaults shared by the TUF client's modules. Kept apart from `fetcher.ts` so that callers that
 * only need a default do not load tuf-js, which the fetcher extends: tuf-js and its download
 * stack are loaded only by a refresh or a download that actually talks to a repository.
 */

/** Per request, body included. */
export const DEFAULT_TUF_TIMEOUT_MS = 30_000;

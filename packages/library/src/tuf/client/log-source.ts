/**
 * Reads a registry's transparency log from beside its TUF repository (`<base>/log/`), through
 * the same fetcher as the metadata: the same transport rules (D11), redirects checked, the
 * same timeout, and every file bounded by the size it must have.
 */
import { DownloadHTTPError, DownloadLengthMismatchError } from 'tuf-js/dist/error.js';
import { redactUrlCredentials, sanitizeText } from '../../core/sanitize.ts';
import { MAX_NOTE_BYTES } from '../../log/limits.ts';
import type { ReadTile } from '../../log/tile-reader.ts';
import { CHECKPOINT_PATH } from '../../log/tile-writer.ts';
import { tufError } from '../errors.ts';
import { type OverallLimit, TufFetcher } from './fetcher.ts';
import type { RepositoryUrls } from './url-policy.ts';

export const LOG_PATH = 'log/';

export interface LogSource {
	/** Where the log is, for messages. */
	url: string;
	/** The signed checkpoint; TUF_LOG_MISSING when the repository has none. */
	readCheckpoint(): Promise<Uint8Array>;
	readTile: ReadTile;
}

export interface LogSourceOptions {
	urls: RepositoryUrls;
	fetch: typeof fetch;
	timeoutMs: number;
	/** The limit of the refresh the log is read for. */
	overall?: OverallLimit;
}

export function logSource(options: LogSourceOptions): LogSource {
	const fetcher = new TufFetcher({
		fetch: options.fetch,
		timeoutMs: options.timeoutMs,
		...(options.overall === undefined ? {} : { overall: options.overall }),
	});
	const base = new URL(LOG_PATH, options.urls.base).href;
	return {
		url: base,
		readCheckpoint: async () => {
			try {
				return await fetcher.downloadBytes(`${base}${CHECKPOINT_PATH}`, MAX_NOTE_BYTES);
			} catch (error) {
				if (
					error instanceof DownloadHTTPError &&
					(error.statusCode === 404 || error.statusCode === 403)
				) {
					throw tufError(
						'TUF_LOG_MISSING',
						`The repository publishes a log key but no log checkpoint at ${sanitizeText(redactUrlCredentials(base))}.`,
						{
							hint: 'The registry history cannot be checked, so the last verified registry is kept. Tell the registry maintainers.',
						},
					);
				}
				if (error instanceof DownloadLengthMismatchError) {
					throw tufError(
						'TUF_TOO_LARGE',
						`The log checkpoint is larger than ${MAX_NOTE_BYTES} bytes.`,
					);
				}
				throw error;
			}
		},
		readTile: (path, maxBytes) => fetcher.downloadBytes(`${base}${path}`, maxBytes),
	};
}

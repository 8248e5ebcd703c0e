/**
 * The transport tuf-js downloads through. It reads https, loopback http and `file://`, follows
 * at most a few redirects (each checked like the first URL), bounds time and size, and speaks
 * tuf-js's error protocol: a missing file is tuf-js's own `DownloadHTTPError` with status 404,
 * which is how the updater learns that no newer `N.root.json` exists. Every other failure is a
 * typed Vouch error that aborts the refresh.
 *
 * tuf-js wraps some failures into a bare RuntimeError that keeps only a message, so the fetcher
 * also remembers the last failure and the last metadata it delivered, for `classify.ts` to say
 * precisely what went wrong.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { BaseFetcher } from 'tuf-js';
import { DownloadHTTPError, DownloadLengthMismatchError } from 'tuf-js/dist/error.js';
import { isVouchError } from '../../core/errors.ts';
import { describeNetworkFailure } from '../../core/network-failure.ts';
import { redactUrlCredentials, sanitizeText } from '../../core/sanitize.ts';
import { tufError } from '../errors.ts';
import { assertFetchable } from './url-policy.ts';

const MAX_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

export interface TufFetcherOptions {
	fetch: typeof fetch;
	/** Per request, body included. */
	timeoutMs: number;
	/** The limit of the whole refresh this fetcher serves, shared by every request it makes. */
	overall?: OverallLimit;
}

/** A time limit several requests share: its signal aborts whatever request is running. */
export interface OverallLimit {
	signal: AbortSignal;
	ms: number;
}

export interface FetchRecord {
	url: string;
	error?: unknown;
	bytes?: Buffer;
}

export class TufFetcher extends BaseFetcher {
	readonly #fetch: typeof fetch;
	readonly #timeoutMs: number;
	readonly #overall: OverallLimit | undefined;
	/** The size limit of the download in progress, to refuse a large declared length early. */
	#maxLength = 0;
	/** The last download that failed, cleared by every new download. */
	lastFailure: FetchRecord | undefined;
	/** The last metadata delivered to tuf-js. */
	lastDelivered: FetchRecord | undefined;
	/** Every metadata file delivered, in order: the refresh keeps the new roots among them. */
	readonly delivered: FetchRecord[] = [];

	constructor(options: TufFetcherOptions) {
		super();
		this.#fetch = options.fetch;
		this.#timeoutMs = options.timeoutMs;
		this.#overall = options.overall;
	}

	override async downloadFile<T>(
		url: string,
		maxLength: number,
		handler: (file: string) => Promise<T>,
	): Promise<T> {
		this.lastFailure = undefined;
		this.#maxLength = maxLength;
		try {
			return await super.downloadFile(url, maxLength, handler);
		} catch (error) {
			this.lastFailure = { url, error };
			throw error;
		}
	}

	override async downloadBytes(url: string, maxLength: number): Promise<Buffer> {
		const bytes = await super.downloadBytes(url, maxLength);
		this.lastDelivered = { url, bytes };
		this.delivered.push(this.lastDelivered);
		return bytes;
	}

	async fetch(location: string): Promise<NodeJS.ReadableStream> {
		const url = new URL(location);
		assertFetchable(url);
		return url.protocol === 'file:' ? this.#readFile(url) : this.#readHttp(url);
	}

	async #readFile(url: URL): Promise<NodeJS.ReadableStream> {
		const path = fileURLToPath(url);
		try {
			// O_NONBLOCK: a FIFO planted in the repository cannot hang the client.
			const handle = await open(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
			const info = await handle.stat();
			if (!info.isFile()) {
				await handle.close();
				throw fetchFailed(url, 'not a regular file');
			}
			if (info.size > this.#maxLength) {
				await handle.close();
				// The same error tuf-js raises when a body runs past the limit.
				throw new DownloadLengthMismatchError('Max length reached');
			}
			return handle.createReadStream();
		} catch (error) {
			if (isVouchError(error) || error instanceof DownloadLengthMismatchError) throw error;
			const code = (error as NodeJS.ErrnoException).code;
			if (code === 'ENOENT' || code === 'ENOTDIR') throw new DownloadHTTPError('not found', 404);
			throw fetchFailed(url, code ?? 'unreadable', error);
		}
	}

	async #readHttp(first: URL): Promise<NodeJS.ReadableStream> {
		const own = AbortSignal.timeout(this.#timeoutMs);
		const overall = this.#overall;
		const signal = overall === undefined ? own : AbortSignal.any([own, overall.signal]);
		const failure = (error: unknown, at: URL) => networkError(error, signal, at, overall);
		let url = first;
		for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
			assertFetchable(url, { redirect: hop > 0 });
			let response: Response;
			try {
				response = await this.#fetch(url, { redirect: 'manual', signal });
			} catch (error) {
				throw failure(error, url);
			}
			if (REDIRECT_STATUSES.has(response.status)) {
				await response.body?.cancel().catch(() => undefined);
				const target = response.headers.get('location');
				if (target === null) throw fetchFailed(url, `HTTP ${response.status} without a Location`);
				url = new URL(target, url);
				continue;
			}
			if (!response.ok || response.body === null) {
				await response.body?.cancel().catch(() => undefined);
				// tuf-js reads 403 and 404 as "no such file" (the end of the root chain).
				throw new DownloadHTTPError(`HTTP ${response.status}`, response.status);
			}
			const declared = Number(response.headers.get('content-length') ?? Number.NaN);
			if (declared > this.#maxLength) {
				await response.body.cancel().catch(() => undefined);
				throw new DownloadLengthMismatchError('Max length reached');
			}
			return Readable.from(bodyChunks(response.body, url, failure));
		}
		throw fetchFailed(first, `more than ${MAX_REDIRECTS} redirects`);
	}
}

/** The body as chunks, with network failures and the timeout turned into typed errors. */
async function* bodyChunks(
	body: ReadableStream<Uint8Array>,
	url: URL,
	failure: (error: unknown, at: URL) => unknown,
): AsyncGenerator<Uint8Array> {
	const reader = body.getReader();
	let done = false;
	try {
		for (;;) {
			let chunk: Awaited<ReturnType<typeof reader.read>>;
			try {
				chunk = await reader.read();
			} catch (error) {
				throw failure(error, url);
			}
			if (chunk.done) {
				done = true;
				return;
			}
			yield chunk.value;
		}
	} finally {
		// The consumer stopped early (a length limit): stop the transfer too.
		if (!done) await reader.cancel().catch(() => undefined);
	}
}

function shown(url: URL): string {
	return sanitizeText(redactUrlCredentials(url.href), { maxLength: 300 });
}

/** "fetch failed" unwrapped into its cause, with a hint for whoever can act (core/network-failure). */
function networkError(
	error: unknown,
	signal: AbortSignal,
	url: URL,
	overall: OverallLimit | undefined,
) {
	const failure = describeNetworkFailure(error, {
		url,
		timedOut: signal.aborted,
		what: 'the TUF repository',
	});
	const details = { cause: failure.cause, host: failure.host };
	if (overall?.signal.aborted === true) {
		return tufError(
			'TUF_TIMEOUT',
			`The refresh from ${shown(url)} took longer than ${Math.round(overall.ms / 1000)} s in all; the repository answers too slowly.`,
			{ cause: error, hint: failure.hint, details: { ...details, limit: 'refresh' } },
		);
	}
	if (signal.aborted) {
		return tufError('TUF_TIMEOUT', `${shown(url)} did not answer in time (${failure.reason}).`, {
			cause: error,
			hint: failure.hint,
			details,
		});
	}
	return tufError('TUF_FETCH_FAILED', `Cannot download ${shown(url)}: ${failure.reason}.`, {
		cause: error,
		hint: failure.hint,
		details,
	});
}

function fetchFailed(url: URL, problem: string, cause?: unknown) {
	return tufError(
		'TUF_FETCH_FAILED',
		`Cannot download ${shown(url)}: ${sanitizeText(problem, { maxLength: 200 })}.`,
		{
			hint: 'Check the network and the repository URL.',
			...(cause === undefined ? {} : { cause }),
		},
	);
}

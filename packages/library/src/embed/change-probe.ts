/**
 * "Has the registry changed?", asked cheaply (D23, rapid response). A signed registry is asked
 * for its TUF `timestamp.json`, an unsigned one for the registry file itself, with the ETag of
 * the last answer in `If-None-Match`: an unchanged registry costs one request and a `304`
 * with no body. A local file is asked by its size, time and inode.
 *
 * The probe only decides *whether* to refresh. It never trusts what it reads: the full refresh
 * (TUF verification, or the unsigned verifier) decides what is true. So it leans towards
 * "changed" whenever it is unsure (a redirect, no ETag and a body too large to compare), and
 * what it learnt is remembered only once the refresh it triggered succeeded, so a failed
 * refresh is retried at the next poll instead of being hidden behind a 304.
 */
import { createHash } from 'node:crypto';
import { stat } from 'node:fs/promises';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeNetworkFailure } from '../core/network-failure.ts';
import { redactUrlCredentials, sanitizeText } from '../core/sanitize.ts';
import { checkTransport } from '../core/transport-policy.ts';
import { sourcesError } from '../registry/sources/errors.ts';
import { isRegistryDocument, isRemote } from '../registry/sources/load-sources.ts';
import { repositoryUrls } from '../tuf/client/url-policy.ts';

export interface ProbeResult {
	changed: boolean;
	/** Remembers this answer as the known state; call it once the refresh it led to succeeded. */
	accept(): void;
}

export interface ChangeProbe {
	/** What is asked, credentials removed, for messages. */
	readonly target: string;
	/** Throws REGISTRY_POLL_FAILED when the question cannot be answered. */
	check(): Promise<ProbeResult>;
}

export interface ChangeProbeOptions {
	/** The registry source: a TUF repository base, a registry file URL, or a local path. */
	source: string;
	/** Whether the source is read as a TUF repository (the profile has a trusted root). */
	signed: boolean;
	fetch: typeof fetch;
	cwd: string;
	/** Per probe, body included. Default 30 s. */
	timeoutMs?: number;
	/** Largest body read to compare when the server sends no ETag. Default 1 MiB. */
	maxBytes?: number;
}

const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_BYTES = 1024 * 1024;

/** A probe for the source, or undefined when none can be built (the full round then decides). */
export function changeProbeFor(options: ChangeProbeOptions): ChangeProbe | undefined {
	const { source } = options;
	if (!isRemote(source)) return fileProbe(localPath(source, options.cwd, options.signed));
	const url =
		options.signed && !isRegistryDocument(source)
			? new URL('timestamp.json', repositoryUrls(source).metadata)
			: new URL(source);
	// The same transport rule as the refresh (D11): a probe is a request like any other.
	if (!checkTransport(url.href, { kind: 'registry-source' }).allowed) return undefined;
	return httpProbe(url, options);
}

function localPath(source: string, cwd: string, signed: boolean): string {
	const path = source.startsWith('file:')
		? fileURLToPath(source)
		: isAbsolute(source)
			? source
			: resolve(cwd, source);
	// A local TUF repository changes when its timestamp does.
	return signed && !isRegistryDocument(source) ? resolve(path, 'metadata', 'timestamp.json') : path;
}

function httpProbe(url: URL, options: ChangeProbeOptions): ChangeProbe {
	const timeoutMs = options.timeoutMs ?? DEFAULT_TIMEOUT_MS;
	const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
	const target = sanitizeText(redactUrlCredentials(url.href), { maxLength: 300 });
	/** The last accepted answer: the server's ETag, or a digest of the body when it sends none. */
	let known: { etag?: string; digest?: string } = {};

	return {
		target,
		async check() {
			const signal = AbortSignal.timeout(timeoutMs);
			const headers: Record<string, string> = { accept: 'application/json, */*' };
			if (known.etag !== undefined) headers['if-none-match'] = known.etag;
			let response: Response;
			try {
				// Redirects are not followed here: the refresh follows them under its own rules.
				response = await options.fetch(url, { headers, redirect: 'manual', signal });
			} catch (error) {
				throw pollFailed(target, error, signal.aborted, url);
			}
			if (response.status === 304) {
				await response.body?.cancel().catch(() => undefined);
				// "Not modified" only means something against the ETag that was sent. A 304 to a
				// request without one (a cache, a proxy or a server answering 304 to everything)
				// says nothing: refresh, or such an answer would hide every change until the next
				// full round.
				return { changed: known.etag === undefined, accept() {} };
			}
			if (response.status >= 300 && response.status < 400) {
				await response.body?.cancel().catch(() => undefined);
				return { changed: true, accept() {} };
			}
			if (!response.ok) {
				await response.body?.cancel().catch(() => undefined);
				throw sourcesError('REGISTRY_POLL_FAILED', `${target} answered HTTP ${response.status}.`, {
					details: { cause: 'http-status', status: response.status },
				});
			}
			const etag = response.headers.get('etag') ?? undefined;
			if (etag !== undefined && etag.length <= 1024) {
				await response.body?.cancel().catch(() => undefined);
				return {
					changed: etag !== known.etag,
					accept() {
						known = { etag };
					},
				};
			}
			const digest = await boundedDigest(response, maxBytes, signal, target, url);
			return {
				// Too large to compare: refresh, the verified load has its own bounds.
				changed: digest === undefined || digest !== known.digest,
				accept() {
					known = digest === undefined ? {} : { digest };
				},
			};
		},
	};
}

/** SHA-256 of the body, or undefined when it is longer than `maxBytes` (reading stops there). */
async function boundedDigest(
	response: Response,
	maxBytes: number,
	signal: AbortSignal,
	target: string,
	url: URL,
): Promise<string | undefined> {
	if (response.body === null) return createHash('sha256').digest('hex');
	const declared = Number(response.headers.get('content-length') ?? Number.NaN);
	if (declared > maxBytes) {
		await response.body.cancel().catch(() => undefined);
		return undefined;
	}
	const hash = createHash('sha256');
	const reader = response.body.getReader();
	let total = 0;
	try {
		for (;;) {
			const chunk = await reader.read();
			if (chunk.done) return hash.digest('hex');
			total += chunk.value.byteLength;
			if (total > maxBytes) return undefined;
			hash.update(chunk.value);
		}
	} catch (error) {
		throw pollFailed(target, error, signal.aborted, url);
	} finally {
		await reader.cancel().catch(() => undefined);
	}
}

function fileProbe(path: string): ChangeProbe {
	const target = sanitizeText(path, { maxLength: 300 });
	let known: string | undefined;
	return {
		target,
		async check() {
			let key: string;
			try {
				const info = await stat(path, { bigint: true });
				key = `${info.ino}:${info.size}:${info.mtimeNs}:${info.ctimeNs}`;
			} catch (error) {
				throw sourcesError('REGISTRY_POLL_FAILED', `Cannot read ${target}.`, {
					cause: error,
					details: { cause: (error as NodeJS.ErrnoException).code ?? 'unreadable' },
				});
			}
			return {
				changed: key !== known,
				accept() {
					known = key;
				},
			};
		},
	};
}

function pollFailed(target: string, error: unknown, timedOut: boolean, url: URL) {
	const failure = describeNetworkFailure(error, { url, timedOut, what: 'the registry' });
	return sourcesError(
		'REGISTRY_POLL_FAILED',
		`Cannot ask ${target} whether the registry changed: ${failure.reason}.`,
		{ cause: error, hint: failure.hint, details: { cause: failure.cause } },
	);
}

/**
 * Reads registry text from a local path, a `file://` URL or an `http(s)://` URL. Every read is
 * bounded: a size limit enforced while the body streams in (a hostile server cannot make the
 * client buffer gigabytes first), and a timeout over the whole exchange, redirects included.
 * Plain `http://` is accepted only for loopback hosts: anything else could be rewritten in
 * transit, blacklist included. Caching and multi-URL fallback live with the callers
 * (`src/registry/sources/`); this module only knows how to make one conditional request: send
 * the validators of a cached copy and report "not modified" when the server says 304.
 */

import { open } from 'node:fs/promises';
import { homedir } from 'node:os';
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { isVouchError } from '../core/errors.ts';
import { describeNetworkFailure } from '../core/network-failure.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { checkRedirectTarget } from '../core/transport-policy.ts';
import type { RegistryFormat } from './decode.ts';
import { type RegistryErrorCode, registryError } from './errors.ts';
import { MAX_REGISTRY_BYTES } from './limits.ts';
import {
	conditionalHeaders,
	isConditional,
	type RegistryValidators,
	usableValidators,
} from './sources/validators.ts';

export type { RegistryValidators } from './sources/validators.ts';

export interface RegistrySourceDeps {
	fetch?: typeof fetch;
	/** Base for relative paths. Default: the process working directory. */
	cwd?: string;
	/** Expansion of a leading `~`. Default: the user's home directory. */
	home?: string;
	/** For the whole network exchange. Default 30 s. */
	timeoutMs?: number;
	/** Default 16 MiB. */
	maxBytes?: number;
}

export interface ConditionalRegistrySourceDeps extends RegistrySourceDeps {
	/** Validators of the caller's copy. Local files ignore them and are always read. */
	validators: RegistryValidators;
}

export interface RegistrySource extends RegistryValidators {
	notModified?: false;
	text: string;
	/** From the file extension or the content type; absent means "sniff it". */
	format?: RegistryFormat;
	/** For messages: the resolved path, or the URL with credentials redacted. */
	label: string;
	/** A local file's absolute path: its directory anchors the relative paths it lists (D11). */
	path?: string;
}

/** A 304 answer to a conditional request: the caller's copy is current. */
export interface RegistryNotModified extends RegistryValidators {
	notModified: true;
	label: string;
}

export const DEFAULT_REGISTRY_TIMEOUT_MS = 30_000;
const MAX_HTTP_REDIRECTS = 5;
const REDIRECT_STATUSES: ReadonlySet<number> = new Set([301, 302, 303, 307, 308]);

/**
 * With `validators`, an http(s) read is conditional and may answer `{ notModified: true }`.
 * Without them a 304 is a failure like any other non-2xx status: nothing could be reused.
 */
export function readRegistrySource(
	location: string,
	deps: ConditionalRegistrySourceDeps,
): Promise<RegistrySource | RegistryNotModified>;
export function readRegistrySource(
	location: string,
	deps?: RegistrySourceDeps,
): Promise<RegistrySource>;
export async function readRegistrySource(
	location: string,
	deps: RegistrySourceDeps & { validators?: RegistryValidators } = {},
): Promise<RegistrySource | RegistryNotModified> {
	const text = location.trim();
	const maxBytes = deps.maxBytes ?? MAX_REGISTRY_BYTES;
	if (/^https?:\/\//i.test(text)) return readHttp(text, deps, maxBytes);
	if (/^file:\/\//i.test(text)) {
		let path: string;
		try {
			path = fileURLToPath(text);
		} catch (error) {
			throw registryError(
				'UNSUPPORTED_REGISTRY_URL',
				`${sanitizeText(text)} is not a usable file URL.`,
				{
					cause: error,
				},
			);
		}
		return readLocal(path, maxBytes);
	}
	if (/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(text)) {
		throw registryError(
			'UNSUPPORTED_REGISTRY_URL',
			`Registries are read from https:// URLs or local files, not ${sanitizeText(text)}.`,
		);
	}
	return readLocal(localPath(text, deps), maxBytes);
}

function localPath(text: string, deps: RegistrySourceDeps): string {
	const home = deps.home ?? homedir();
	const expanded = text === '~' ? home : text.startsWith('~/') ? home + text.slice(1) : text;
	return isAbsolute(expanded) ? resolve(expanded) : resolve(deps.cwd ?? process.cwd(), expanded);
}

async function readLocal(path: string, maxBytes: number): Promise<RegistrySource> {
	const label = sanitizeText(path);
	let handle: Awaited<ReturnType<typeof open>>;
	try {
		handle = await open(path, 'r');
	} catch (error) {
		throw registryError(
			'REGISTRY_NOT_FOUND',
			`Cannot read the registry file ${sanitizeText(path)}.`,
			{
				cause: error,
				hint: 'Check the path. `vouch config list` shows where the registry setting comes from.',
			},
		);
	}
	try {
		const stats = await handle.stat();
		if (!stats.isFile()) {
			throw registryError('REGISTRY_NOT_FOUND', `${sanitizeText(path)} is not a file.`);
		}
		if (stats.size > maxBytes) throw tooLarge(label, maxBytes);
		// Read at most one byte past the limit: the file may grow after stat.
		const buffer = Buffer.alloc(Math.min(stats.size, maxBytes) + 1);
		let filled = 0;
		for (;;) {
			const { bytesRead } = await handle.read(buffer, filled, buffer.length - filled, filled);
			if (bytesRead === 0) break;
			filled += bytesRead;
			if (filled === buffer.length) break;
		}
		if (filled > maxBytes) throw tooLarge(label, maxBytes);
		const format = formatFromPath(path);
		const text = decodeUtf8(buffer.subarray(0, filled), label);
		return format === undefined ? { text, label, path } : { text, format, label, path };
	} finally {
		await handle.close();
	}
}

async function readHttp(
	location: string,
	deps: RegistrySourceDeps & { validators?: RegistryValidators },
	maxBytes: number,
): Promise<RegistrySource | RegistryNotModified> {
	const label = sanitizeText(location);
	const fetchImpl = deps.fetch ?? globalThis.fetch;
	const signal = AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_REGISTRY_TIMEOUT_MS);
	// Validators may come from a cache file anyone with the user's rights can edit: unusable
	// ones are dropped, and the request is simply less conditional.
	const sent = usableValidators(deps.validators);
	const headers = {
		accept: 'application/toml, application/json;q=0.9, */*;q=0.5',
		...conditionalHeaders(sent),
	};
	let url = parseUrl(location, label);
	for (let hop = 0; hop <= MAX_HTTP_REDIRECTS; hop++) {
		assertTransportAllowed(url, label);
		let response: Response;
		try {
			// Redirects are followed here, so each target passes the transport check before
			// anything is sent to it: an https registry cannot bounce the client to plain http.
			response = await fetchImpl(url, { redirect: 'manual', signal, headers });
		} catch (error) {
			throw networkError(error, signal, label);
		}
		if (REDIRECT_STATUSES.has(response.status)) {
			await response.body?.cancel().catch(() => undefined);
			const target = response.headers.get('location');
			if (target === null) throw fetchFailed(label, `HTTP ${response.status} without a Location`);
			url = parseUrl(new URL(target, url).href, label);
			continue;
		}
		// A 304 to a request that sent no validator is a server fault, not "reuse your copy".
		if (response.status === 304 && isConditional(sent)) {
			await response.body?.cancel().catch(() => undefined);
			// A 304 may carry fresher validators; keep the old ones where it does not.
			return { notModified: true, label, ...sent, ...responseValidators(response) };
		}
		if (!response.ok) {
			await response.body?.cancel().catch(() => undefined);
			throw httpFailed(label, url, response.status);
		}
		const declared = Number(response.headers.get('content-length') ?? Number.NaN);
		if (declared > maxBytes) {
			await response.body?.cancel().catch(() => undefined);
			throw tooLarge(label, maxBytes);
		}
		const bytes = await readBodyBounded(response, maxBytes, signal, label);
		const text = decodeUtf8(bytes, label);
		const format =
			formatFromContentType(response.headers.get('content-type')) ?? formatFromPath(url.pathname);
		return {
			text,
			...(format === undefined ? {} : { format }),
			label,
			...responseValidators(response),
		};
	}
	throw fetchFailed(label, `more than ${MAX_HTTP_REDIRECTS} redirects`);
}

/** Stored in the cache and sent back later, so held to the same rules as sent ones. */
function responseValidators(response: Response): RegistryValidators {
	return usableValidators({
		etag: response.headers.get('etag'),
		lastModified: response.headers.get('last-modified'),
	});
}

async function readBodyBounded(
	response: Response,
	maxBytes: number,
	signal: AbortSignal,
	label: string,
): Promise<Uint8Array> {
	if (response.body === null) return new Uint8Array(0);
	const reader = response.body.getReader();
	const chunks: Uint8Array[] = [];
	let total = 0;
	try {
		for (;;) {
			const { done, value } = await reader.read();
			if (done) break;
			total += value.byteLength;
			if (total > maxBytes) {
				await reader.cancel().catch(() => undefined);
				throw tooLarge(label, maxBytes);
			}
			chunks.push(value);
		}
	} catch (error) {
		if (isVouchError(error)) throw error;
		throw networkError(error, signal, label);
	}
	return Buffer.concat(chunks, total);
}

/** D11 for every hop: the first address and each redirect target stay on https (or loopback http). */
function assertTransportAllowed(url: URL, label: string): void {
	const decision = checkRedirectTarget(url.href, { kind: 'registry-source' });
	if (decision.allowed) return;
	if (decision.transport === 'http') {
		throw registryError(
			'INSECURE_REGISTRY_URL',
			`Refusing to read the registry over plain http from ${sanitizeText(url.host)} (${label}).`,
			{
				hint: 'Use an https:// URL. Plain http is accepted only for this machine (127.0.0.1, localhost, [::1]).',
			},
		);
	}
	throw registryError(
		'UNSUPPORTED_REGISTRY_URL',
		`Registries are read over https, not ${sanitizeText(url.protocol)} (${label}).`,
	);
}

function parseUrl(text: string, label: string): URL {
	try {
		return new URL(text);
	} catch (error) {
		throw registryError('UNSUPPORTED_REGISTRY_URL', `${label} is not a valid URL.`, {
			cause: error,
		});
	}
}

/** "fetch failed" unwrapped into its cause, with a hint for whoever can act (core/network-failure). */
function networkError(error: unknown, signal: AbortSignal, label: string) {
	const failure = describeNetworkFailure(error, {
		url: label,
		timedOut: signal.aborted,
		what: 'the registry',
	});
	if (signal.aborted) {
		return registryError(
			'REGISTRY_TIMEOUT',
			`The registry at ${label} did not answer in time (${failure.reason}).`,
			{ cause: error, hint: failure.hint, details: { cause: failure.cause, host: failure.host } },
		);
	}
	return registryError(
		'REGISTRY_FETCH_FAILED',
		`Cannot fetch the registry from ${label}: ${failure.reason}`,
		{
			cause: error,
			hint: failure.hint,
			details: {
				cause: failure.cause,
				host: failure.host,
				...(failure.systemCode === undefined ? {} : { systemCode: failure.systemCode }),
			},
		},
	);
}

function httpFailed(label: string, url: URL, status: number) {
	const failure = describeNetworkFailure(undefined, { url, status, what: 'the registry' });
	return registryError(
		'REGISTRY_FETCH_FAILED',
		`Cannot fetch the registry from ${label}: ${failure.reason}`,
		{
			hint: failure.hint,
			details: { cause: failure.cause, host: failure.host, status },
		},
	);
}

function fetchFailed(label: string, problem: string) {
	const code: RegistryErrorCode = 'REGISTRY_FETCH_FAILED';
	return registryError(code, `Cannot fetch the registry from ${label}: ${problem}`, {
		hint: "The server answered in a way Vouch cannot follow: tell the registry's maintainer.",
	});
}

function tooLarge(label: string, maxBytes: number) {
	return registryError(
		'REGISTRY_TOO_LARGE',
		`The registry from ${sanitizeText(label)} is larger than ${maxBytes} bytes.`,
		{ details: { maxBytes } },
	);
}

function decodeUtf8(bytes: Uint8Array, label: string): string {
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch (error) {
		throw registryError(
			'REGISTRY_PARSE_ERROR',
			`The registry from ${sanitizeText(label)} is not UTF-8 text.`,
			{ cause: error },
		);
	}
}

export function formatFromPath(path: string): RegistryFormat | undefined {
	const lower = path.toLowerCase();
	if (lower.endsWith('.toml')) return 'toml';
	if (lower.endsWith('.json')) return 'json';
	return undefined;
}

export function formatFromContentType(contentType: string | null): RegistryFormat | undefined {
	if (contentType === null) return undefined;
	const type = (contentType.split(';', 1)[0] ?? '').trim().toLowerCase();
	if (type === 'application/json' || type.endsWith('+json')) return 'json';
	if (type === 'application/toml' || type.endsWith('/x-toml') || type === 'text/toml')
		return 'toml';
	return undefined;
}

/**
 * One cache file per remote registry URL: the exact bytes the server sent, with the validators
 * for conditional requests and the time of the last successful contact. The file is written
 * atomically, so a crash leaves the old copy or the new one.
 *
 * The cache is user-writable and unsigned, so it is never trusted: the loader re-verifies and
 * re-parses the body on every load (D25). Here a file only has to look like one of ours. Any
 * file that does not (truncated, edited, oversized, for another URL, dated in the future) is
 * reported as invalid, which callers treat as "no cache": never fatal, and replaced by the next
 * good fetch.
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as z from 'zod';
import { readFileBounded, removeStaleTempFiles, writeFileAtomic } from '../../core/atomic-fs.ts';
import { MAX_URL_LENGTH } from '../../core/canonical-url.ts';
import { isVouchError } from '../../core/errors.ts';
import { redactUrlCredentials, sanitizeText } from '../../core/sanitize.ts';
import type { RegistryFormat } from '../decode.ts';
import { MAX_REGISTRY_BYTES } from '../limits.ts';
import { MAX_VALIDATOR_LENGTH, usableValidator } from './validators.ts';

export interface RegistryCacheEntry {
	/** The registry URL without credentials (never stored, D2) or fragment. */
	url: string;
	format?: RegistryFormat;
	etag?: string;
	lastModified?: string;
	/** Last successful network contact: a 200 or a 304. */
	fetchedAt: Date;
	text: string;
}

export type RegistryCacheRead =
	| { state: 'hit'; entry: RegistryCacheEntry }
	| { state: 'missing' }
	| { state: 'invalid'; problem: string };

export interface ReadRegistryCacheOptions {
	now: Date;
	/** Largest body accepted. Default: the registry size limit. */
	maxBytes?: number;
}

/** First line of every cache file: a file without it is not one of ours. */
const MAGIC = 'vouch-registry-cache/1';
const MAX_HEADER_BYTES = 16 * 1024;
/** Clock skew tolerated between the write and a later read. */
const FUTURE_TOLERANCE_MS = 5 * 60 * 1000;

/** Built on first use: a local registry file never reads the cache. */
let headerSchemaBuilt: ReturnType<typeof buildHeaderSchema> | undefined;
function headerSchema() {
	headerSchemaBuilt ??= buildHeaderSchema();
	return headerSchemaBuilt;
}

function buildHeaderSchema() {
	return z.strictObject({
		url: z.string().min(1).max(MAX_URL_LENGTH),
		format: z.enum(['toml', 'json']).optional(),
		etag: z.string().max(MAX_VALIDATOR_LENGTH).optional(),
		lastModified: z.string().max(MAX_VALIDATOR_LENGTH).optional(),
		fetchedAt: z.iso.datetime({ offset: true }),
		bytes: z.number().int().nonnegative(),
		sha256: z.string().regex(/^[0-9a-f]{64}$/),
	});
}

/**
 * The URL a cache entry is kept under: parsed and re-serialised (scheme and host lowercased,
 * default port dropped), without credentials or fragment, which never change what is fetched.
 */
export function registryCacheUrl(location: string): string {
	const text = location.trim();
	try {
		const url = new URL(text);
		url.username = '';
		url.password = '';
		url.hash = '';
		return url.href;
	} catch {
		return redactUrlCredentials(text);
	}
}

/** `<cacheDir>/registry/<sha256 of the cache URL>.cache` */
export function registryCachePath(cacheDir: string, location: string): string {
	const key = newSha256().update(registryCacheUrl(location), 'utf8').digest('hex');
	return join(cacheDir, 'registry', `${key}.cache`);
}

export async function readRegistryCache(
	cacheDir: string,
	location: string,
	options: ReadRegistryCacheOptions,
): Promise<RegistryCacheRead> {
	const path = registryCachePath(cacheDir, location);
	const maxBody = options.maxBytes ?? MAX_REGISTRY_BYTES;
	let bytes: Buffer;
	try {
		bytes = await readFileBounded(path, maxBody + MAX_HEADER_BYTES);
	} catch (error) {
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND') return { state: 'missing' };
		const reason = error instanceof Error ? error.message : String(error);
		return { state: 'invalid', problem: sanitizeText(reason, { maxLength: 300 }) };
	}
	try {
		return { state: 'hit', entry: decodeCacheFile(bytes, location, options.now, maxBody) };
	} catch (error) {
		return { state: 'invalid', problem: error instanceof Error ? error.message : String(error) };
	}
}

export async function writeRegistryCache(
	cacheDir: string,
	entry: RegistryCacheEntry,
): Promise<void> {
	const dir = join(cacheDir, 'registry');
	await mkdir(dir, { recursive: true });
	await writeFileAtomic(registryCachePath(cacheDir, entry.url), encodeCacheFile(entry));
	// Leftovers of writes a crash interrupted; only old ones, another process may be writing.
	// Their age is judged by the clock the entry was dated with, not a second, hidden one.
	await removeStaleTempFiles(dir, { now: () => entry.fetchedAt.getTime() });
}

export function encodeCacheFile(entry: RegistryCacheEntry): Buffer {
	const body = Buffer.from(entry.text, 'utf8');
	const etag = usableValidator(entry.etag);
	const lastModified = usableValidator(entry.lastModified);
	const header = {
		url: registryCacheUrl(entry.url),
		...(entry.format === undefined ? {} : { format: entry.format }),
		...(etag === undefined ? {} : { etag }),
		...(lastModified === undefined ? {} : { lastModified }),
		fetchedAt: entry.fetchedAt.toISOString(),
		bytes: body.byteLength,
		sha256: sha256(body),
	};
	// JSON.stringify never emits a raw newline, so the header is exactly one line.
	return Buffer.concat([Buffer.from(`${MAGIC}\n${JSON.stringify(header)}\n`, 'utf8'), body]);
}

/** Throws an Error whose message says what is wrong; the caller reports it as "invalid". */
export function decodeCacheFile(
	bytes: Buffer,
	location: string,
	now: Date,
	maxBody: number = MAX_REGISTRY_BYTES,
): RegistryCacheEntry {
	const firstEnd = bytes.indexOf(0x0a);
	if (firstEnd === -1 || bytes.subarray(0, firstEnd).toString('latin1') !== MAGIC) {
		throw new Error('not a registry cache file');
	}
	const headerEnd = bytes.indexOf(0x0a, firstEnd + 1);
	if (headerEnd === -1 || headerEnd - firstEnd > MAX_HEADER_BYTES) {
		throw new Error('the cache header is missing or too long');
	}
	let raw: unknown;
	try {
		raw = JSON.parse(bytes.subarray(firstEnd + 1, headerEnd).toString('utf8'));
	} catch {
		throw new Error('the cache header is not JSON');
	}
	const parsed = headerSchema().safeParse(raw);
	if (!parsed.success) throw new Error('the cache header has the wrong shape');
	const header = parsed.data;
	// A file copied over from another URL's slot must not stand in for this one.
	if (header.url !== registryCacheUrl(location)) throw new Error('the cache is for another URL');
	const body = bytes.subarray(headerEnd + 1);
	if (body.byteLength !== header.bytes || body.byteLength > maxBody) {
		throw new Error('the cached body has the wrong length');
	}
	if (sha256(body) !== header.sha256) throw new Error('the cached body does not match its digest');
	const fetchedAt = new Date(header.fetchedAt);
	// A contact time in the future would keep an unsigned blacklist "fresh" for ever (D1):
	// editing the cache may only make it invalid, never more permissive (D25).
	if (fetchedAt.getTime() > now.getTime() + FUTURE_TOLERANCE_MS) {
		throw new Error('the cache claims a fetch time in the future');
	}
	let text: string;
	try {
		text = new TextDecoder('utf-8', { fatal: true }).decode(body);
	} catch {
		throw new Error('the cached body is not UTF-8 text');
	}
	const etag = usableValidator(header.etag);
	const lastModified = usableValidator(header.lastModified);
	return {
		url: header.url,
		...(header.format === undefined ? {} : { format: header.format }),
		...(etag === undefined ? {} : { etag }),
		...(lastModified === undefined ? {} : { lastModified }),
		fetchedAt,
		text,
	};
}

function sha256(bytes: Uint8Array): string {
	return newSha256().update(bytes).digest('hex');
}

// node:crypto is loaded on first use (it costs a CLI start-up several milliseconds, and most
// commands never need it here).
function newSha256() {
	return process.getBuiltinModule('node:crypto').createHash('sha256');
}

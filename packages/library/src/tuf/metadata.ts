/**
 * TUF metadata as bytes: decoding with bounds, encoding for files, digests, and the small
 * facts both the repository side and the client need (file names, expiry, meta records).
 * Everything cryptographic is `@tufjs/models`; nothing here invents a format (D19).
 */
import { createHash } from 'node:crypto';
import {
	Metadata,
	MetadataKind,
	MetaFile,
	type Root,
	type Snapshot,
	type Targets,
	type Timestamp,
} from '@tufjs/models';
import type { JSONObject } from '@tufjs/models/dist/utils/types.js';
import { jsonNestingExceeds } from '../registry/decode.ts';

export type RoleName = 'root' | 'targets' | 'snapshot' | 'timestamp';
export const TOP_LEVEL_ROLES: readonly RoleName[] = ['root', 'targets', 'snapshot', 'timestamp'];

export interface SignedByRole {
	root: Root;
	targets: Targets;
	snapshot: Snapshot;
	timestamp: Timestamp;
}

/**
 * Largest metadata file accepted per role. Real files are a few kilobytes; the bounds leave
 * room for many keys without letting a server (or a cache) feed the client megabytes of JSON.
 */
export const METADATA_MAX_BYTES: Readonly<Record<RoleName, number>> = {
	root: 512 * 1024,
	timestamp: 16 * 1024,
	snapshot: 1024 * 1024,
	targets: 4 * 1024 * 1024,
};

/** Metadata nests four or five levels; anything far deeper is not metadata. */
const MAX_METADATA_DEPTH = 32;

const KINDS: Readonly<Record<RoleName, MetadataKind>> = {
	root: MetadataKind.Root,
	targets: MetadataKind.Targets,
	snapshot: MetadataKind.Snapshot,
	timestamp: MetadataKind.Timestamp,
};

/** The two targets of a registry repository. */
export const REGISTRY_TARGET = 'registry.json';
export const BLACKLIST_TARGET = 'blacklist.json';
/** The transparency log's verifier key, a target so that it rotates under TUF (D28). */
export const LOG_KEY_TARGET = 'log-key.txt';

/** The TUF spec version written into new metadata. */
export const SPEC_VERSION = '1.0.31';

/**
 * Parses one metadata file of the given role. Throws a plain Error saying what is wrong;
 * callers turn it into the code that fits where the bytes came from.
 */
export function decodeMetadata<R extends RoleName>(
	role: R,
	bytes: Uint8Array,
): Metadata<SignedByRole[R]> {
	if (bytes.byteLength > METADATA_MAX_BYTES[role]) {
		throw new Error(`${role} metadata is larger than ${METADATA_MAX_BYTES[role]} bytes`);
	}
	const text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	if (jsonNestingExceeds(text, MAX_METADATA_DEPTH) !== undefined) {
		throw new Error(`${role} metadata is nested too deeply`);
	}
	const data: unknown = JSON.parse(text);
	if (data === null || typeof data !== 'object' || Array.isArray(data)) {
		throw new Error(`${role} metadata is not a JSON object`);
	}
	const kind = KINDS[role];
	// fromJSON is overloaded per kind; the map above keeps role and kind in step.
	const parse = Metadata.fromJSON as (kind: MetadataKind, data: JSONObject) => Metadata<Root>;
	return parse(kind, data as JSONObject) as unknown as Metadata<SignedByRole[R]>;
}

/** Readable JSON; signatures cover the canonical form of `signed`, not these bytes. */
export function encodeMetadata(metadata: Metadata<SignedByRole[RoleName]>): Buffer {
	return Buffer.from(`${JSON.stringify(metadata.toJSON(), null, 2)}\n`, 'utf8');
}

export function sha256Hex(bytes: Uint8Array): string {
	return createHash('sha256').update(bytes).digest('hex');
}

/** What snapshot and timestamp record about a file: version, length and hash. */
export function metaFileFor(version: number, bytes: Uint8Array): MetaFile {
	return new MetaFile({ version, length: bytes.byteLength, hashes: { sha256: sha256Hex(bytes) } });
}

/** TUF expiry text: UTC, whole seconds. */
export function expiryText(date: Date): string {
	return `${date.toISOString().slice(0, 19)}Z`;
}

const EXPIRY_FORM = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;

/**
 * The moment a TUF expiry names, or undefined when the text is not the specification's form
 * (`YYYY-MM-DDTHH:MM:SSZ`) of a real date. tuf-js compares the clock with `new Date(text)`, and
 * an invalid date is never in the past: an expiry like `never` would make metadata that no clock
 * can expire. A caller treats undefined as expired.
 */
export function expiryTime(text: string): number | undefined {
	if (!EXPIRY_FORM.test(text)) return undefined;
	const time = Date.parse(text);
	// A day the calendar does not have (February 30) is refused, not moved into March.
	return Number.isNaN(time) || expiryText(new Date(time)) !== text ? undefined : time;
}

/**
 * Whether metadata with this expiry no longer counts at `now`. An expiry `expiryTime` cannot
 * read counts as expired. The one rule for the client's refresh and for the maintainer's
 * tooling, so a root the tooling accepts is one clients accept too.
 */
export function isExpiredAt(text: string, now: Date): boolean {
	const expires = expiryTime(text);
	return expires === undefined || !(now.getTime() < expires);
}

/** Consistent-snapshot file name of versioned metadata: `<version>.<role>.json`. */
export function versionedName(role: RoleName, version: number): string {
	return `${version}.${role}.json`;
}

/** Consistent-snapshot file name of a target: `<sha256>.<name>`. */
export function hashedTargetName(name: string, sha256: string): string {
	// As tuf-js fetches it: the hash goes in front of the file's own name, inside its
	// directories (`scan-reports/<id>/<sha256>.<commit>.json`).
	const cut = name.lastIndexOf('/');
	return `${name.slice(0, cut + 1)}${sha256}.${name.slice(cut + 1)}`;
}

/**
 * The client's local TUF state: everything it has verified, in one file written atomically
 * (`<metadataDir>/trusted-metadata.json`), so a crash leaves the old state or the new one and
 * never a root from one refresh beside a timestamp from another.
 *
 * The file is re-verified on every load, from the root the host ships (D25): the roots it
 * holds must chain from that root, each signed by a threshold of the previous root's keys and
 * of its own; timestamp, snapshot and targets must be signed under the last root and agree
 * with each other. Anything else is TUF_CACHE_TAMPERED. Editing the file can therefore only
 * make it invalid, never more permissive; and a refused cache is not silently dropped, since
 * dropping it would also drop the rollback protection the stored versions give.
 */
import { unlink } from 'node:fs/promises';
import { join } from 'node:path';
import type { Metadata, Root, Snapshot, Targets, Timestamp } from '@tufjs/models';
import * as z from 'zod';
import { readFileBounded, writeFileAtomic } from '../../core/atomic-fs.ts';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { openCheckpoint } from '../../log/checkpoint.ts';
import { MAX_NOTE_BYTES } from '../../log/limits.ts';
import { parseVerifierKey } from '../../log/note-keys.ts';
import { assertRootKeyIds } from '../ed25519.ts';
import { tufError } from '../errors.ts';
import { decodeMetadata, LOG_KEY_TARGET, METADATA_MAX_BYTES, sha256Hex } from '../metadata.ts';
import { isLogKeyTarget, type StoredLogState } from './registry-log-check.ts';

export const TRUSTED_STATE_FILE = 'trusted-metadata.json';
const FORMAT = 'vouch-tuf-cache/1';
/** Rotations a cache may hold; real repositories rotate root a handful of times. */
export const MAX_CACHED_ROOTS = 1024;
/** Real files are tens of kilobytes; each piece is bounded again when decoded. */
const MAX_STATE_BYTES = 16 * 1024 * 1024;

export interface ShippedRoot {
	path: string;
	metadata: Metadata<Root>;
	bytes: Buffer;
}

export interface Verified<T extends Root | Timestamp | Snapshot | Targets> {
	metadata: Metadata<T>;
	bytes: Buffer;
}

export interface TrustedState {
	/** Roots newer than the shipped one, oldest first, as fetched. */
	roots: Buffer[];
	/** The newest trusted root: the last of `roots`, or the shipped root. */
	root: Verified<Root>;
	/** Absent until the first successful refresh. */
	top?: {
		timestamp: Verified<Timestamp>;
		snapshot: Verified<Snapshot>;
		targets: Verified<Targets>;
	};
	/** The transparency log checkpoint verified with these targets (D28). */
	log?: StoredLogState;
}

export interface RawTrustedState {
	roots: Buffer[];
	top?: { timestamp: Buffer; snapshot: Buffer; targets: Buffer };
	log?: StoredLogState;
}

const stateSchema = z.strictObject({
	format: z.literal(FORMAT),
	anchor: z.string().regex(/^[0-9a-f]{64}$/),
	roots: z.array(z.string()).max(MAX_CACHED_ROOTS),
	timestamp: z.string().optional(),
	snapshot: z.string().optional(),
	targets: z.string().optional(),
	log: z
		.strictObject({
			checkpoint: z.string().max(MAX_NOTE_BYTES),
			verifierKey: z.string().max(1024),
		})
		.optional(),
});

/** The root the host ships: the client's one unconditional trust anchor. */
export async function readShippedRoot(path: string): Promise<ShippedRoot> {
	try {
		const bytes = await readFileBounded(path, METADATA_MAX_BYTES.root);
		const metadata = decodeMetadata('root', bytes);
		assertRootKeyIds(metadata.signed);
		metadata.verifyDelegate('root', metadata);
		return { path, metadata, bytes };
	} catch (error) {
		throw tufError(
			'TUF_TRUSTED_ROOT_INVALID',
			`The trusted TUF root ${sanitizeText(path)} cannot be used: ${describe(error)}.`,
			{
				hint: "Check the profile's trusted_root: it must be the repository's root.json.",
				cause: error,
			},
		);
	}
}

/**
 * Reads and verifies the stored state. A missing file, or one grown from another shipped root
 * (the host now ships a different root), gives the state of a first run.
 */
export async function loadTrustedState(
	metadataDir: string,
	shipped: ShippedRoot,
): Promise<TrustedState> {
	const path = join(metadataDir, TRUSTED_STATE_FILE);
	let bytes: Buffer;
	try {
		bytes = await readFileBounded(path, MAX_STATE_BYTES);
	} catch (error) {
		if (isVouchError(error) && error.code === 'FILE_NOT_FOUND')
			return verifyTrustedState(shipped, { roots: [] });
		throw tampered(path, describe(error), error);
	}
	let document: z.infer<typeof stateSchema>;
	try {
		document = stateSchema.parse(JSON.parse(bytes.toString('utf8')));
	} catch (error) {
		throw tampered(path, 'it is not a Vouch TUF cache file', error);
	}
	if (document.anchor !== sha256Hex(shipped.bytes))
		return verifyTrustedState(shipped, { roots: [] });
	const { timestamp, snapshot, targets } = document;
	const raw: RawTrustedState = { roots: document.roots.map((text) => Buffer.from(text, 'utf8')) };
	if (timestamp !== undefined && snapshot !== undefined && targets !== undefined) {
		raw.top = {
			timestamp: Buffer.from(timestamp, 'utf8'),
			snapshot: Buffer.from(snapshot, 'utf8'),
			targets: Buffer.from(targets, 'utf8'),
		};
	} else if (timestamp !== undefined || snapshot !== undefined || targets !== undefined) {
		throw tampered(path, 'it holds only part of timestamp, snapshot and targets');
	}
	if (document.log !== undefined) raw.log = document.log;
	try {
		const state = verifyTrustedState(shipped, raw);
		if (state.top !== undefined) assertLogOfTargets(state.log, state.top.targets.metadata);
		return state;
	} catch (error) {
		throw tampered(path, describe(error), error);
	}
}

/** Verifies raw state against the shipped root; throws a plain Error naming the problem. */
export function verifyTrustedState(shipped: ShippedRoot, raw: RawTrustedState): TrustedState {
	let root: Verified<Root> = { metadata: shipped.metadata, bytes: shipped.bytes };
	for (const bytes of raw.roots) {
		const next = decodeMetadata('root', bytes);
		// Before any signature counts: a key listed under two ids would count twice.
		assertRootKeyIds(next.signed);
		const expected = root.metadata.signed.version + 1;
		if (next.signed.version !== expected) {
			throw new Error(`root ${next.signed.version} found where root ${expected} belongs`);
		}
		// The previous root vouches for the change, the new root for itself.
		root.metadata.verifyDelegate('root', next);
		next.verifyDelegate('root', next);
		root = { metadata: next, bytes };
	}
	if (raw.top === undefined) {
		if (raw.log !== undefined) throw new Error('a log checkpoint is stored without targets');
		return { roots: raw.roots, root };
	}
	if (raw.log !== undefined) {
		// Checked again on every load, like the metadata: a hand-edited checkpoint or key
		// fails here instead of weakening the next consistency check.
		openCheckpoint(raw.log.checkpoint, parseVerifierKey(raw.log.verifierKey));
	}
	const timestamp = decodeMetadata('timestamp', raw.top.timestamp);
	root.metadata.verifyDelegate('timestamp', timestamp);
	const snapshot = decodeMetadata('snapshot', raw.top.snapshot);
	root.metadata.verifyDelegate('snapshot', snapshot);
	const snapshotMeta = timestamp.signed.snapshotMeta;
	if (snapshot.signed.version !== snapshotMeta.version)
		throw new Error('snapshot is not the one timestamp names');
	snapshotMeta.verify(raw.top.snapshot);
	const targets = decodeMetadata('targets', raw.top.targets);
	root.metadata.verifyDelegate('targets', targets);
	const targetsMeta = snapshot.signed.meta['targets.json'];
	if (targetsMeta === undefined || targets.signed.version !== targetsMeta.version) {
		throw new Error('targets is not the one snapshot names');
	}
	targetsMeta.verify(raw.top.targets);
	return {
		roots: raw.roots,
		root,
		top: {
			timestamp: { metadata: timestamp, bytes: raw.top.timestamp },
			snapshot: { metadata: snapshot, bytes: raw.top.snapshot },
			targets: { metadata: targets, bytes: raw.top.targets },
		},
		...(raw.log === undefined ? {} : { log: raw.log }),
	};
}

/**
 * Every stored targets metadata was accepted with a log checkpoint (D28), under the log key
 * those targets sign. Dropping the checkpoint, or swapping in another key and a checkpoint of
 * its own, would let the next refresh skip the history check; both are refused (D25).
 */
function assertLogOfTargets(log: StoredLogState | undefined, targets: Metadata<Targets>): void {
	if (log === undefined) throw new Error('the stored targets have no log checkpoint beside them');
	if (!isLogKeyTarget(log.verifierKey, targets.signed.targets[LOG_KEY_TARGET]?.hashes.sha256)) {
		throw new Error('the stored log key is not the log key the stored targets sign');
	}
}

export async function saveTrustedState(
	metadataDir: string,
	shipped: ShippedRoot,
	state: TrustedState,
): Promise<void> {
	const document = {
		format: FORMAT,
		anchor: sha256Hex(shipped.bytes),
		roots: state.roots.map((bytes) => bytes.toString('utf8')),
		...(state.top === undefined
			? {}
			: {
					timestamp: state.top.timestamp.bytes.toString('utf8'),
					snapshot: state.top.snapshot.bytes.toString('utf8'),
					targets: state.top.targets.bytes.toString('utf8'),
				}),
		...(state.log === undefined ? {} : { log: state.log }),
	};
	await writeFileAtomic(join(metadataDir, TRUSTED_STATE_FILE), `${JSON.stringify(document)}\n`);
}

/**
 * The timestamp version stored, read without verifying: only used to avoid replacing a newer
 * state another process stored meanwhile. Verification happens on every load regardless.
 */
export async function storedTimestampVersion(metadataDir: string): Promise<number> {
	try {
		const bytes = await readFileBounded(join(metadataDir, TRUSTED_STATE_FILE), MAX_STATE_BYTES);
		const document = stateSchema.parse(JSON.parse(bytes.toString('utf8')));
		if (document.timestamp === undefined) return 0;
		return decodeMetadata('timestamp', Buffer.from(document.timestamp, 'utf8')).signed.version;
	} catch {
		return 0;
	}
}

/**
 * Forgets the verified state, after a person has looked at a TUF_CACHE_TAMPERED refusal. The
 * next refresh starts again from the shipped root, without rollback protection for that once.
 */
export async function removeTrustedState(metadataDir: string): Promise<void> {
	await unlink(join(metadataDir, TRUSTED_STATE_FILE)).catch((error: NodeJS.ErrnoException) => {
		if (error.code !== 'ENOENT') throw error;
	});
}

function tampered(path: string, problem: string, cause?: unknown) {
	return tufError(
		'TUF_CACHE_TAMPERED',
		`The local TUF metadata ${sanitizeText(path)} does not verify: ${sanitizeText(problem, { maxLength: 300 })}.`,
		{
			hint: 'Something changed the cache. If you trust this machine, reset the TUF cache and refresh again.',
			...(cause === undefined ? {} : { cause }),
		},
	);
}

export function describe(error: unknown): string {
	const message = error instanceof Error ? error.message : String(error);
	return sanitizeText(withoutFinalPeriod(message), { maxLength: 200 });
}

/** Messages are put into sentences of their own. */
export function withoutFinalPeriod(message: string): string {
	let end = message.length;
	while (end > 0 && message[end - 1] === '.') end--;
	return message.slice(0, end);
}

/**
 * Threshold signing of root metadata, offline. A new root (the first one, or root N+1 of a
 * rotation) is written as `pending-root.json`, unsigned. Each key holder copies the repository
 * directory (or just `metadata/root.json` and the pending file) to the machine that holds
 * their key, runs `signRoot`, and brings the file back; signatures accumulate in it. Once the
 * pending root carries a threshold of signatures from its own root keys and, for a rotation,
 * a threshold from the current root's keys, the next publish promotes it.
 *
 * Both thresholds are what a TUF client checks when it moves from root N to N+1: the old keys
 * vouch for the change, the new keys prove they are held.
 */
import { unlink } from 'node:fs/promises';
import { Metadata, Root } from '@tufjs/models';
import type { JSONObject } from '@tufjs/models/dist/utils/types.js';
import { sanitizeText } from '../../core/sanitize.ts';
import { ED25519 } from '../ed25519.ts';
import { tufError } from '../errors.ts';
import { encodeMetadata, SPEC_VERSION, TOP_LEVEL_ROLES } from '../metadata.ts';
import { expiresAfter, resolveExpiries, type TufExpiries } from './expiry.ts';
import { type KeySet, loadPrivateKeyFile, readKeySet } from './keyset.ts';
import {
	readOptionalMetadata,
	readRepositoryState,
	repositoryPaths,
	writeRepositoryFile,
} from './layout.ts';

export interface RootSignatureCount {
	/** Valid signatures by this root's root keys. */
	valid: number;
	threshold: number;
}

export interface RootSigningStatus {
	version: number;
	pendingFile: string;
	/** Key ids whose signatures on the pending root verify. */
	signedBy: string[];
	/** Signatures by the pending root's own root keys. */
	newKeys: RootSignatureCount;
	/** Signatures by the current root's keys; absent for a repository's first root. */
	currentKeys?: RootSignatureCount;
	/** Both thresholds are met: the next publish will promote it. */
	complete: boolean;
}

/** Root metadata listing every key of a key set, consistent snapshots on. */
export function buildRoot(keySet: KeySet, version: number, expires: string): Metadata<Root> {
	const keys: Record<string, unknown> = {};
	for (const key of keySet.keys) {
		keys[key.keyId] = { keytype: ED25519, scheme: ED25519, keyval: { public: key.publicHex } };
	}
	const roles = Object.fromEntries(
		TOP_LEVEL_ROLES.map((role) => [
			role,
			{ keyids: keySet.roles[role].keyIds, threshold: keySet.roles[role].threshold },
		]),
	);
	const signed = Root.fromJSON({
		spec_version: SPEC_VERSION,
		version,
		expires,
		consistent_snapshot: true,
		keys,
		roles,
	} as JSONObject);
	return new Metadata(signed);
}

/** How many of `authority`'s root keys have validly signed `candidate`. */
export function countRootSignatures(
	authority: Metadata<Root>,
	candidate: Metadata<Root>,
): RootSignatureCount & { keyIds: string[] } {
	const role = authority.signed.roles.root;
	const keyIds: string[] = [];
	for (const keyId of new Set(role?.keyIDs ?? [])) {
		const key = authority.signed.keys[keyId];
		if (key === undefined || candidate.signatures[keyId] === undefined) continue;
		try {
			key.verifySignature(candidate);
			keyIds.push(keyId);
		} catch {
			// An invalid signature counts for nothing; signing again replaces it.
		}
	}
	return { valid: keyIds.length, threshold: role?.threshold ?? 1, keyIds };
}

export function rootSigningStatus(
	pending: Metadata<Root>,
	current: Metadata<Root> | undefined,
	pendingFile: string,
): RootSigningStatus {
	const own = countRootSignatures(pending, pending);
	const old = current === undefined ? undefined : countRootSignatures(current, pending);
	const signedBy = [...new Set([...own.keyIds, ...(old?.keyIds ?? [])])];
	const complete = own.valid >= own.threshold && (old === undefined || old.valid >= old.threshold);
	return {
		version: pending.signed.version,
		pendingFile,
		signedBy,
		newKeys: { valid: own.valid, threshold: own.threshold },
		...(old === undefined ? {} : { currentKeys: { valid: old.valid, threshold: old.threshold } }),
		complete,
	};
}

export interface ProposeRootOptions {
	repoDir: string;
	/** The key set the new root lists (public halves only are needed). */
	keysDir: string;
	expiries?: TufExpiries;
	now: Date;
	/** Discard a pending root that is already collecting signatures. */
	replace?: boolean;
}

/** Writes the unsigned root N+1 (or 1) listing the keys of `keysDir`. */
export async function proposeRoot(options: ProposeRootOptions): Promise<RootSigningStatus> {
	const paths = repositoryPaths(options.repoDir);
	const state = await readRepositoryState(options.repoDir);
	const version = (state.root?.signed.version ?? 0) + 1;
	const existing = await readOptionalMetadata(paths.pendingRoot, 'root');
	if (existing !== undefined && existing.signed.version === version && options.replace !== true) {
		throw tufError(
			'TUF_PENDING_ROOT_EXISTS',
			`Root ${version} is already pending in ${sanitizeText(paths.pendingRoot)}.`,
			{ hint: 'Sign it, or pass replace to start over (its signatures are lost).' },
		);
	}
	const keySet = await readKeySet(options.keysDir);
	const expires = expiresAfter(options.now, resolveExpiries(options.expiries).root);
	const pending = buildRoot(keySet, version, expires);
	await writeRepositoryFile(paths.pendingRoot, encodeMetadata(pending));
	return rootSigningStatus(pending, state.root, paths.pendingRoot);
}

export interface SignRootOptions {
	repoDir: string;
	/** One root key holder's private key (PKCS#8 PEM). */
	keyFile: string;
}

/** Adds one signature to the pending root, if the key is a root key of either root. */
export async function signRoot(options: SignRootOptions): Promise<RootSigningStatus> {
	const paths = repositoryPaths(options.repoDir);
	const pending = await readPendingRoot(options.repoDir);
	if (pending === undefined) {
		throw tufError(
			'TUF_NO_PENDING_ROOT',
			`There is no ${sanitizeText(paths.pendingRoot)} to sign.`,
			{
				hint: 'A new root is proposed first (root rotation), or by the first publish.',
			},
		);
	}
	const state = await readRepositoryState(options.repoDir);
	const expected = (state.root?.signed.version ?? 0) + 1;
	if (pending.signed.version !== expected) {
		throw tufError(
			'TUF_REPOSITORY_INVALID',
			`The pending root is version ${pending.signed.version}, but the repository expects ${expected}.`,
			{ hint: 'Propose the new root again against the current repository.' },
		);
	}
	const signer = await loadPrivateKeyFile(options.keyFile);
	const authorised = [pending, state.root].some((root) =>
		root?.signed.roles.root?.keyIDs.includes(signer.keyId),
	);
	if (!authorised) {
		throw tufError(
			'TUF_KEY_NOT_AUTHORIZED',
			`Key ${signer.keyId} is not a root key of the current or the pending root.`,
			{ hint: 'Sign with a root key listed in either root.' },
		);
	}
	pending.sign((bytes) => signer.sign(bytes), true);
	await writeRepositoryFile(paths.pendingRoot, encodeMetadata(pending));
	return rootSigningStatus(pending, state.root, paths.pendingRoot);
}

export async function readPendingRoot(repoDir: string): Promise<Metadata<Root> | undefined> {
	return readOptionalMetadata(repositoryPaths(repoDir).pendingRoot, 'root');
}

export async function removePendingRoot(repoDir: string): Promise<void> {
	await unlink(repositoryPaths(repoDir).pendingRoot).catch(() => undefined);
}

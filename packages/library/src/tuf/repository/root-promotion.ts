/**
 * Which root a publish signs under: the current one, or a pending root whose signatures are
 * complete (it then becomes current). A repository without any root starts one here, signed
 * by whatever root keys the keys directory holds; when those are below the threshold, the
 * pending root is left for the other key holders (`signRoot`) and publishing stops.
 *
 * Nothing is written here: a publish refused by a later check (a change without a reason, a
 * missing key) must leave the repository directory as it was, so the first root short of
 * signatures is only written by `leaveForSigners`, which the publish calls once every other
 * check has passed.
 */
import type { Metadata, Root } from '@tufjs/models';
import { sanitizeText } from '../../core/sanitize.ts';
import { tufError } from '../errors.ts';
import { encodeMetadata, expiryTime, isExpiredAt } from '../metadata.ts';
import { type KeySet, loadKeySetSigner } from './keyset.ts';
import { repositoryPaths, writeRepositoryFile } from './layout.ts';
import {
	buildRoot,
	type RootSigningStatus,
	readPendingRoot,
	removePendingRoot,
	rootSigningStatus,
} from './root-signing.ts';

export interface ResolveRootOptions {
	repoDir: string;
	keysDir: string;
	keySet: KeySet;
	current: Metadata<Root> | undefined;
	/** Expiry of a first root made here. */
	rootExpires: string;
	now: Date;
}

export interface ResolvedRoot {
	root: Metadata<Root>;
	/** `root` is a pending root to be written as the new current root. */
	promoted: boolean;
	/** A pending root still short of signatures. */
	pending?: RootSigningStatus;
	warnings: string[];
	/** Call once the promoted root is written: removes the pending file. */
	finish(): Promise<void>;
	/**
	 * Set when the repository has no root and the keys directory holds too few root keys to
	 * sign a first one: `root` is that first root, which must not be published. Writes it as
	 * the pending root for the other key holders and stops the publish.
	 */
	leaveForSigners?: () => Promise<never>;
}

/** Maintainers are told this long before the root expires and clients stop trusting it. */
const ROOT_EXPIRY_WARNING_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

export async function resolveRoot(options: ResolveRootOptions): Promise<ResolvedRoot> {
	const { current, now } = options;
	const pendingFile = repositoryPaths(options.repoDir).pendingRoot;
	const warnings: string[] = [];
	let pending = await readPendingRoot(options.repoDir);
	if (
		pending !== undefined &&
		current !== undefined &&
		pending.signed.version <= current.signed.version
	) {
		warnings.push(`Ignored ${sanitizeText(pendingFile)}: it is not newer than the current root.`);
		pending = undefined;
	}
	if (current === undefined && pending === undefined) {
		pending = await startFirstRoot(options);
	}
	const finish = () => removePendingRoot(options.repoDir);
	if (pending !== undefined) {
		const status = rootSigningStatus(pending, current, pendingFile);
		if (status.complete) {
			assertUsable(pending, now, pendingFile);
			return { root: pending, promoted: true, warnings, finish };
		}
		if (current === undefined) {
			const first = pending;
			const leaveForSigners = async (): Promise<never> => {
				await writeRepositoryFile(pendingFile, encodeMetadata(first));
				throw tufError(
					'TUF_ROOT_NOT_FULLY_SIGNED',
					`The first root has ${status.newKeys.valid} of the ${status.newKeys.threshold} root signatures it needs.`,
					{
						hint: `Each root key holder signs ${sanitizeText(pendingFile)} (vouch registry sign), then publish again.`,
						details: { ...status },
					},
				);
			};
			return { root: first, promoted: false, warnings, finish, leaveForSigners };
		}
		warnings.push(
			`Root ${status.version} is pending and not yet fully signed; publishing under root ${current.signed.version}.`,
		);
		assertUsable(current, now, 'the current root');
		warnExpiry(current, now, warnings);
		return { root: current, promoted: false, pending: status, warnings, finish };
	}
	// Both undefined is handled above, so `current` is set here.
	const root = current as Metadata<Root>;
	assertUsable(root, now, 'the current root');
	warnExpiry(root, now, warnings);
	return { root, promoted: false, warnings, finish };
}

async function startFirstRoot(options: ResolveRootOptions): Promise<Metadata<Root>> {
	const root = buildRoot(options.keySet, 1, options.rootExpires);
	for (const key of options.keySet.keys) {
		if (key.role !== 'root') continue;
		const signer = await loadKeySetSigner(options.keysDir, key);
		if (signer !== undefined) root.sign((bytes) => signer.sign(bytes), true);
	}
	return root;
}

/**
 * Clients refuse everything under an expired root, so publishing under one is pointless. An
 * expiry they cannot read counts as expired there, so it does here too (`isExpiredAt`).
 */
function assertUsable(root: Metadata<Root>, now: Date, what: string): void {
	const { expires, version } = root.signed;
	if (isExpiredAt(expires, now)) {
		const shown = sanitizeText(expires, { maxLength: 40 });
		throw tufError(
			'TUF_REPOSITORY_INVALID',
			expiryTime(expires) === undefined
				? `Root ${version} (${sanitizeText(what)}) has no valid expiry (${shown}); clients count it as expired.`
				: `Root ${version} (${sanitizeText(what)}) expired at ${shown}.`,
			{ hint: 'Propose a new root (it may list the same keys) and have it signed.' },
		);
	}
}

/** Called after `assertUsable`, so the expiry is readable. */
function warnExpiry(root: Metadata<Root>, now: Date, warnings: string[]): void {
	const expires = expiryTime(root.signed.expires) ?? now.getTime();
	if (expires - now.getTime() < ROOT_EXPIRY_WARNING_DAYS * DAY_MS) {
		warnings.push(
			`Root ${root.signed.version} expires at ${sanitizeText(root.signed.expires, { maxLength: 40 })}: propose and sign a new root before then.`,
		);
	}
}

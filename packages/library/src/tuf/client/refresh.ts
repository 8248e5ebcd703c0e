/**
 * One online refresh: the TUF client workflow run by tuf-js's `Updater`, then the registry
 * and blacklist targets, verified. tuf-js works in a scratch copy of the stored state, so
 * nothing it persists on the way counts until the whole refresh has passed; the new state is
 * then stored in one atomic write.
 *
 * tuf-js checks expiry against the system clock. The caller's clock (`now`) is applied on top,
 * so a test or a host with its own notion of time can only make expiry stricter.
 */
import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readdir, rename, rm, stat, writeFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { Metadata, Root, TargetFile } from '@tufjs/models';
import { Updater } from 'tuf-js';
import { readFileBounded, removeStaleTempFiles, TEMP_SUFFIX } from '../../core/atomic-fs.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { tufError } from '../errors.ts';
import {
	BLACKLIST_TARGET,
	decodeMetadata,
	expiryTime,
	isExpiredAt,
	METADATA_MAX_BYTES,
	REGISTRY_TARGET,
	sha256Hex,
} from '../metadata.ts';
import { classifyRefreshError } from './classify.ts';
import { TufFetcher } from './fetcher.ts';
import { logSource } from './log-source.ts';
import { checkRegistryLog } from './registry-log-check.ts';
import {
	pruneTargets,
	readTarget,
	requireLogKeyTarget,
	requireTarget,
	targetPath,
} from './target-files.ts';
import {
	loadTrustedState,
	type ShippedRoot,
	saveTrustedState,
	storedTimestampVersion,
	type TrustedState,
	verifyTrustedState,
} from './trusted-state.ts';
import type { RepositoryUrls } from './url-policy.ts';
import { type VerifiedTargets, verifiedTargetsOf } from './verified-targets.ts';

export interface RefreshOptions {
	shipped: ShippedRoot;
	metadataDir: string;
	targetsDir: string;
	urls: RepositoryUrls;
	fetch: typeof fetch;
	timeoutMs: number;
	/** The whole refresh, every request together. */
	refreshTimeoutMs: number;
	now: Date;
}

/** Rotations followed in one refresh; more is a repository in a loop, not a real history. */
const MAX_ROOT_ROTATIONS = 32;
const WORK_PREFIX = '.refresh-';
/** A scratch directory this old belongs to a refresh that crashed, not one still running. */
const LEFTOVER_AGE_MS = 60 * 60 * 1000;

export async function refreshRepository(options: RefreshOptions): Promise<VerifiedTargets> {
	const stored = await loadTrustedState(options.metadataDir, options.shipped);
	await mkdir(options.metadataDir, { recursive: true });
	await mkdir(options.targetsDir, { recursive: true });
	await removeLeftovers(options);
	const workDir = await mkdtemp(join(options.metadataDir, WORK_PREFIX));
	try {
		await seedWorkDir(workDir, stored);
		const overall = {
			signal: AbortSignal.timeout(options.refreshTimeoutMs),
			ms: options.refreshTimeoutMs,
		};
		const fetcher = new TufFetcher({ fetch: options.fetch, timeoutMs: options.timeoutMs, overall });
		let state: TrustedState;
		let registry: Buffer;
		let blacklist: Buffer;
		let logKey: Buffer;
		try {
			const updater = new Updater({
				metadataDir: workDir,
				metadataBaseUrl: options.urls.metadata,
				targetDir: options.targetsDir,
				targetBaseUrl: options.urls.targets,
				fetcher,
				config: {
					maxRootRotations: MAX_ROOT_ROTATIONS,
					rootMaxLength: METADATA_MAX_BYTES.root,
					timestampMaxLength: METADATA_MAX_BYTES.timestamp,
					snapshotMaxLength: METADATA_MAX_BYTES.snapshot,
					targetsMaxLength: METADATA_MAX_BYTES.targets,
					prefixTargetsWithHash: true,
				},
			});
			await updater.refresh();
			state = await collectState(workDir, stored, fetcher, options);
			assertUnexpired(state, options.now);
			const top = state.top as NonNullable<TrustedState['top']>;
			const targets = top.targets.metadata;
			registry = await fetchTarget(updater, requireTarget(targets, REGISTRY_TARGET), options);
			blacklist = await fetchTarget(updater, requireTarget(targets, BLACKLIST_TARGET), options);
			logKey = await fetchTarget(updater, requireLogKeyTarget(targets), options);
		} catch (error) {
			throw classifyRefreshError(error, {
				fetcher,
				urls: options.urls,
				trustedRoot: await readWorkRoot(workDir),
			});
		}
		// D28: the targets just verified must be in a log that extends the one seen last time;
		// only then is anything stored, the new checkpoint in the same write as the metadata.
		const top = state.top as NonNullable<TrustedState['top']>;
		const log = await checkRegistryLog({
			source: logSource({ ...options, overall }),
			verifierKey: logKey.toString('utf8'),
			stored: stored.log,
			targets: {
				version: top.targets.metadata.signed.version,
				sha256: sha256Hex(top.targets.bytes),
			},
		});
		state = { ...state, log: log.state };
		await commit(options, state);
		return verifiedTargetsOf(state, registry, blacklist, false);
	} finally {
		await rm(workDir, { recursive: true, force: true });
	}
}

/** tuf-js starts from the files in its metadata directory: the stored, verified state. */
async function seedWorkDir(workDir: string, stored: TrustedState): Promise<void> {
	await writeFile(join(workDir, 'root.json'), stored.root.bytes);
	if (stored.top === undefined) return;
	await writeFile(join(workDir, 'timestamp.json'), stored.top.timestamp.bytes);
	await writeFile(join(workDir, 'snapshot.json'), stored.top.snapshot.bytes);
	await writeFile(join(workDir, 'targets.json'), stored.top.targets.bytes);
}

/**
 * The state tuf-js reached: the stored roots plus every `N.root.json` it accepted (each one
 * it fetched, since the refresh passed), and the top-level files it kept. Verified once more
 * as a whole, exactly as the next load will verify it.
 */
async function collectState(
	workDir: string,
	stored: TrustedState,
	fetcher: TufFetcher,
	options: RefreshOptions,
): Promise<TrustedState> {
	const newRoots = fetcher.delivered
		.filter((record) => /^\d+\.root\.json$/.test(record.url.slice(options.urls.metadata.length)))
		.map((record) => record.bytes as Buffer);
	const read = (name: string) =>
		readFileBounded(join(workDir, name), Math.max(...Object.values(METADATA_MAX_BYTES)));
	return verifyTrustedState(options.shipped, {
		roots: [...stored.roots, ...newRoots],
		top: {
			timestamp: await read('timestamp.json'),
			snapshot: await read('snapshot.json'),
			targets: await read('targets.json'),
		},
	});
}

function assertUnexpired(state: TrustedState, now: Date): void {
	const top = state.top as NonNullable<TrustedState['top']>;
	const checks = [
		['root', state.root.metadata.signed],
		['timestamp', top.timestamp.metadata.signed],
		['snapshot', top.snapshot.metadata.signed],
		['targets', top.targets.metadata.signed],
	] as const;
	for (const [role, signed] of checks) {
		if (isExpiredAt(signed.expires, now)) {
			throw tufError(
				'TUF_METADATA_EXPIRED',
				expiryTime(signed.expires) === undefined
					? `The repository's ${role} metadata has no valid expiry (${sanitizeText(signed.expires, { maxLength: 40 })}), so it counts as expired.`
					: `The repository's ${role} metadata expired at ${sanitizeText(signed.expires)} (a frozen or unmaintained repository).`,
				{
					hint: "Check the computer's clock. If it is right, the repository has not been re-signed: tell the registry maintainers.",
					details: { file: role, expires: sanitizeText(signed.expires, { maxLength: 40 }) },
				},
			);
		}
	}
}

async function fetchTarget(
	updater: Updater,
	info: TargetFile,
	options: RefreshOptions,
): Promise<Buffer> {
	const path = targetPath(options.targetsDir, info);
	// tuf-js checks a cached copy's hash, and downloads when it is missing or differs. It
	// copies the verified file into place non-atomically, so it copies to a temp name first.
	if ((await updater.findCachedTarget(info, path)) === undefined) {
		const temp = join(
			options.targetsDir,
			`.${basename(path)}.${randomBytes(6).toString('hex')}${TEMP_SUFFIX}`,
		);
		try {
			await updater.downloadTarget(info, temp);
			await rename(temp, path);
		} finally {
			await rm(temp, { force: true });
		}
	}
	const read = await readTarget(options.targetsDir, info);
	if (read.state !== 'ok') {
		throw tufError(
			'TUF_TARGET_HASH_MISMATCH',
			`${info.path} changed on disk right after it was verified.`,
		);
	}
	return read.bytes;
}

/** Stores the new state unless another process has meanwhile stored a newer one. */
async function commit(options: RefreshOptions, state: TrustedState): Promise<void> {
	const top = state.top as NonNullable<TrustedState['top']>;
	if ((await storedTimestampVersion(options.metadataDir)) > top.timestamp.metadata.signed.version)
		return;
	await saveTrustedState(options.metadataDir, options.shipped, state);
	await pruneTargets(options.targetsDir, Object.values(top.targets.metadata.signed.targets));
}

/** The last root tuf-js accepted before it failed: it stores each one as it goes. */
async function readWorkRoot(workDir: string): Promise<Metadata<Root> | undefined> {
	try {
		return decodeMetadata(
			'root',
			await readFileBounded(join(workDir, 'root.json'), METADATA_MAX_BYTES.root),
		);
	} catch {
		return undefined;
	}
}

/** Scratch directories and temp target files of refreshes a crash interrupted. */
async function removeLeftovers(options: RefreshOptions): Promise<void> {
	const names = await readdir(options.metadataDir).catch(() => [] as string[]);
	for (const name of names) {
		if (!name.startsWith(WORK_PREFIX)) continue;
		const path = join(options.metadataDir, name);
		const info = await stat(path).catch(() => undefined);
		if (info !== undefined && options.now.getTime() - info.mtimeMs > LEFTOVER_AGE_MS) {
			await rm(path, { recursive: true, force: true });
		}
	}
	await removeStaleTempFiles(options.targetsDir, { now: () => options.now.getTime() }).catch(
		() => 0,
	);
}

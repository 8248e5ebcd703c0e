/**
 * `vouch registry publish`: a registry source into a TUF repository directory. Every publish
 * signs new targets, snapshot and timestamp metadata (versions bumped, expiries renewed) with
 * the online keys of the key set. Root changes only through a fully signed pending root
 * (`root-signing.ts`), or, for a new repository, a first root signed by the root keys found in
 * the keys directory.
 *
 * Files are written so that a client reading the directory during a publish always sees a
 * consistent repository: targets first, then root, targets and snapshot metadata under new
 * versioned names, then the transparency log (`log/`: tiles, then its checkpoint, D28), and
 * `timestamp.json`, the only file clients read first, last. The log key is a target
 * (`log-key.txt`), so clients learn it, and any rotation of it, through TUF.
 */
import { join } from 'node:path';
import { Metadata, type Root, Snapshot, TargetFile, Targets, Timestamp } from '@tufjs/models';
import { sanitizeText } from '../../core/sanitize.ts';
import type { RegistryFormat } from '../../registry/decode.ts';
import { clearJournal, readJournal } from '../../registry/edit/journal.ts';
import type { TufSigner } from '../ed25519.ts';
import { tufError } from '../errors.ts';
import {
	BLACKLIST_TARGET,
	encodeMetadata,
	hashedTargetName,
	LOG_KEY_TARGET,
	metaFileFor,
	REGISTRY_TARGET,
	type RoleName,
	SPEC_VERSION,
	sha256Hex,
	versionedName,
} from '../metadata.ts';
import { expiresAfter, resolveExpiries, type TufExpiries } from './expiry.ts';
import { type KeySet, loadKeySetSigner, readKeySet } from './keyset.ts';
import {
	ensureRepositoryDirs,
	readRepositoryState,
	repositoryPaths,
	writeRepositoryFile,
} from './layout.ts';
import { LOG_SIGNER_FILE, readLogSigner } from './log-keys.ts';
import { type AppendedLog, appendPublish, planLogEntries } from './registry-log.ts';
import { registryTargets } from './registry-targets.ts';
import { resolveRoot } from './root-promotion.ts';
import type { RootSigningStatus } from './root-signing.ts';
import { collectScanReports } from './scan-report-targets.ts';

export interface PublishRepositoryOptions {
	registryText: string;
	/** Sniffed when absent. */
	format?: RegistryFormat;
	/** Where the text came from, for messages. Default "registry". */
	label?: string;
	keysDir: string;
	outDir: string;
	/**
	 * The directory holding `scan-reports/` (`vouch registry review` writes them beside the
	 * registry); its reports are published as targets. None when absent.
	 */
	scanReportsDir?: string;
	expiries?: TufExpiries;
	now: Date;
	/**
	 * The change journal of the registry file (`<file>.changes.jsonl`): its records become log
	 * entries, and it is emptied once they are in the log. Absent: no recorded changes.
	 */
	journalPath?: string;
	/** Why the registry changed, for a change no journal record explains (D28). */
	reason?: string;
	/** A link to the report behind that change. */
	report?: string;
	/** The actor's key id in the log; the targets signing key's id by default. */
	actor?: string;
}

export interface PublishedTarget {
	name: string;
	sha256: string;
	length: number;
	/** Relative to the repository directory: `targets/<sha256>.<name>`. */
	file: string;
}

export interface PublishResult {
	outDir: string;
	versions: Record<RoleName, number>;
	expires: Record<RoleName, string>;
	/** A fully signed pending root became the current root in this publish. */
	rootPromoted: boolean;
	/** A pending root still collecting signatures (the current root was used). */
	pendingRoot?: RootSigningStatus;
	targets: { registry: PublishedTarget; blacklist: PublishedTarget; logKey: PublishedTarget };
	/** The scan reports published as targets (`scan-reports/<id>/<commit>.json`). */
	scanReports: PublishedTarget[];
	/** The transparency log after this publish (D28). */
	log: AppendedLog & { entriesAdded: number };
	warnings: string[];
}

export async function publishRepository(options: PublishRepositoryOptions): Promise<PublishResult> {
	const expiryDays = resolveExpiries(options.expiries);
	const label = options.label ?? 'registry';
	const files = registryTargets(options.registryText, {
		label,
		...(options.format === undefined ? {} : { format: options.format }),
	});
	const registeredIds = new Set(files.ids);
	const scans =
		options.scanReportsDir === undefined
			? { reports: [], warnings: [] }
			: await collectScanReports(options.scanReportsDir, registeredIds);
	const keySet = await readKeySet(options.keysDir);
	const state = await readRepositoryState(options.outDir);
	const paths = repositoryPaths(options.outDir);
	const resolved = await resolveRoot({
		repoDir: options.outDir,
		keysDir: options.keysDir,
		keySet,
		current: state.root,
		rootExpires: expiresAfter(options.now, expiryDays.root),
		now: options.now,
	});
	const root = resolved.root;
	const expires = {
		root: root.signed.expires,
		targets: expiresAfter(options.now, expiryDays.targets),
		snapshot: expiresAfter(options.now, expiryDays.snapshot),
		timestamp: expiresAfter(options.now, expiryDays.timestamp),
	};
	const versions = {
		root: root.signed.version,
		targets: state.versions.targets + 1,
		snapshot: state.versions.snapshot + 1,
		timestamp: state.versions.timestamp + 1,
	};

	const logSigner = await readLogSigner(options.keysDir);
	if (logSigner === undefined) {
		throw tufError(
			'TUF_KEY_MISSING',
			`${sanitizeText(options.keysDir)} holds no transparency log key (${LOG_SIGNER_FILE}).`,
			{ hint: 'Create one with `vouch registry keys log-key --dir <keys>`, then publish again.' },
		);
	}
	const targetsSigners = await roleSigners('targets', root, keySet, options.keysDir);
	const journal = options.journalPath === undefined ? [] : await readJournal(options.journalPath);
	// Everything the log needs is checked before any file is written (the first root included):
	// a publish refused for a missing reason leaves the repository as it was.
	const logPlan = await planLogEntries({
		repoDir: options.outDir,
		keysDir: options.keysDir,
		signer: logSigner,
		journal,
		registrySha256: sha256Hex(Buffer.from(options.registryText, 'utf8')),
		...(options.reason === undefined ? {} : { reason: options.reason }),
		...(options.report === undefined ? {} : { report: options.report }),
		actor: options.actor ?? (targetsSigners[0] as TufSigner).keyId,
		now: options.now,
	});
	// Every check has passed: only now may a first root short of signatures be left on disk.
	if (resolved.leaveForSigners !== undefined) await resolved.leaveForSigners();
	const logKeyBytes = Buffer.from(`${logSigner.verifierKey}\n`, 'utf8');
	const published = {
		registry: describeTarget(REGISTRY_TARGET, files.registry),
		blacklist: describeTarget(BLACKLIST_TARGET, files.blacklist),
		logKey: describeTarget(LOG_KEY_TARGET, logKeyBytes),
	};
	const reports = scans.reports.map((report) => ({
		target: describeTarget(report.name, report.bytes),
		bytes: report.bytes,
	}));
	const targets = new Metadata(
		new Targets({
			version: versions.targets,
			specVersion: SPEC_VERSION,
			expires: expires.targets,
			targets: {
				[REGISTRY_TARGET]: targetFile(published.registry),
				[BLACKLIST_TARGET]: targetFile(published.blacklist),
				...Object.fromEntries(reports.map(({ target }) => [target.name, targetFile(target)])),
				[LOG_KEY_TARGET]: targetFile(published.logKey),
			},
		}),
	);
	signAll(targets, targetsSigners);
	const targetsBytes = encodeMetadata(targets);

	const snapshot = new Metadata(
		new Snapshot({
			version: versions.snapshot,
			specVersion: SPEC_VERSION,
			expires: expires.snapshot,
			// Length and hash, not just the version: a client then refuses any other
			// targets file under this name (mix-and-match), not only older versions.
			meta: { 'targets.json': metaFileFor(versions.targets, targetsBytes) },
		}),
	);
	signAll(snapshot, await roleSigners('snapshot', root, keySet, options.keysDir));
	const snapshotBytes = encodeMetadata(snapshot);

	const timestamp = new Metadata(
		new Timestamp({
			version: versions.timestamp,
			specVersion: SPEC_VERSION,
			expires: expires.timestamp,
			snapshotMeta: metaFileFor(versions.snapshot, snapshotBytes),
		}),
	);
	signAll(timestamp, await roleSigners('timestamp', root, keySet, options.keysDir));

	await ensureRepositoryDirs(paths);
	await writeRepositoryFile(join(options.outDir, published.registry.file), files.registry);
	await writeRepositoryFile(join(options.outDir, published.blacklist.file), files.blacklist);
	for (const { target, bytes } of reports) {
		await writeRepositoryFile(join(options.outDir, target.file), bytes);
	}
	await writeRepositoryFile(join(options.outDir, published.logKey.file), logKeyBytes);
	if (resolved.promoted) {
		const rootBytes = encodeMetadata(root);
		await writeRepositoryFile(
			join(paths.metadata, versionedName('root', versions.root)),
			rootBytes,
		);
		await writeRepositoryFile(join(paths.metadata, 'root.json'), rootBytes);
	}
	await writeRepositoryFile(
		join(paths.metadata, versionedName('targets', versions.targets)),
		targetsBytes,
	);
	await writeRepositoryFile(
		join(paths.metadata, versionedName('snapshot', versions.snapshot)),
		snapshotBytes,
	);
	// The log before timestamp.json: a client that sees the new targets finds them logged.
	const log = await appendPublish(logPlan, versions.targets, sha256Hex(targetsBytes));
	await writeRepositoryFile(join(paths.metadata, 'timestamp.json'), encodeMetadata(timestamp));
	if (resolved.promoted) await resolved.finish();
	if (options.journalPath !== undefined && journal.length > 0)
		await clearJournal(options.journalPath);

	return {
		outDir: options.outDir,
		versions,
		expires,
		rootPromoted: resolved.promoted,
		...(resolved.pending === undefined ? {} : { pendingRoot: resolved.pending }),
		targets: published,
		scanReports: reports.map(({ target }) => target),
		log: { ...log, entriesAdded: log.size - logPlan.sizeBefore },
		warnings: [...resolved.warnings, ...files.warnings, ...scans.warnings],
	};
}

function describeTarget(name: string, bytes: Buffer): PublishedTarget {
	const sha256 = sha256Hex(bytes);
	return {
		name,
		sha256,
		length: bytes.byteLength,
		file: `targets/${hashedTargetName(name, sha256)}`,
	};
}

function targetFile(target: PublishedTarget): TargetFile {
	return new TargetFile({
		path: target.name,
		length: target.length,
		hashes: { sha256: target.sha256 },
	});
}

/**
 * The role's private keys found in the keys directory, as many as the root lists; fewer than
 * the root's threshold for the role is an error, since clients would refuse the result.
 */
async function roleSigners(
	role: Exclude<RoleName, 'root'>,
	root: Metadata<Root>,
	keySet: KeySet,
	keysDir: string,
): Promise<TufSigner[]> {
	const listed = root.signed.roles[role];
	const signers: TufSigner[] = [];
	for (const keyId of listed?.keyIDs ?? []) {
		const entry = keySet.keys.find((key) => key.keyId === keyId);
		const signer = entry === undefined ? undefined : await loadKeySetSigner(keysDir, entry);
		if (signer !== undefined) signers.push(signer);
	}
	const threshold = listed?.threshold ?? 1;
	if (signers.length < threshold) {
		throw tufError(
			'TUF_KEY_MISSING',
			`Publishing needs ${threshold} ${role} key(s) of the current root, and ${sanitizeText(keysDir)} holds ${signers.length}.`,
			{
				hint: 'Pass the keys directory that matches the repository root (after a rotation, the new one).',
			},
		);
	}
	return signers;
}

function signAll(
	metadata: Metadata<Targets> | Metadata<Snapshot> | Metadata<Timestamp>,
	signers: TufSigner[],
): void {
	for (const signer of signers) metadata.sign((bytes) => signer.sign(bytes), true);
}

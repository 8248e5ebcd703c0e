/**
 * `clean` and `doctor`. `clean` finishes or rolls back interrupted changes (the journal) and
 * removes what interrupted work left behind. `doctor` only looks: a stale blacklist, patterns
 * RE2 could not compile (D3), plugins whose files changed since install, and files in the
 * plugins directory that no installed plugin owns. The two judge leftovers alike (see
 * `store/leftovers.ts`), so whatever `doctor` sends the user to `clean` for, `clean` removes;
 * what it cannot remove yet, `doctor` says why, and until when.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTempFiles } from '../core/atomic-fs.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { RegistrySnapshot } from './snapshot.ts';
import {
	BACKUP_DIR,
	compareTrees,
	type Leftover,
	type LockHolder,
	type PluginFiles,
	type PluginStore,
	type RecoveryAction,
	readLockHolder,
	STAGING_DIR,
	type TreeDigest,
} from './store/index.ts';

/**
 * Staging of unknown origin (its name does not say which process made it) younger than this
 * may be a clone in progress. Staging named after its process goes as soon as that process is.
 */
export const UNATTRIBUTED_STAGING_MIN_AGE_MS = 10 * 60 * 1000;

export interface CleanReport {
	recovered: RecoveryAction[];
	removed: string[];
	/** Leftovers that must stay for now: a live process's staging, or a young unknown one. */
	kept: KeptLeftover[];
	tempFiles: number;
}

export type KeptLeftover = { path: string; pid: number } | { path: string; removableAt: string };

export async function cleanLeftovers(deps: {
	store: PluginStore;
	files: PluginFiles;
	dataDir: string;
	cacheDir: string;
	now: () => Date;
	stagingMinAgeMs?: number;
}): Promise<CleanReport> {
	const minAgeMs = deps.stagingMinAgeMs ?? UNATTRIBUTED_STAGING_MIN_AGE_MS;
	const recovered = await deps.store.recover();
	// Under the lock: no other process is mid-change, so what recovery left belongs to nobody.
	const { removed, kept } = await deps.store.transaction(async () => {
		const removed = await deps.files.removeLeftovers(minAgeMs);
		return { removed, kept: (await deps.files.leftovers(minAgeMs)).flatMap(keptOf) };
	});
	let tempFiles = 0;
	for (const dir of [
		deps.dataDir,
		join(deps.dataDir, 'journal'),
		join(deps.cacheDir, 'registry'),
	]) {
		tempFiles += await removeStaleTempFiles(dir, {
			minAgeMs,
			now: () => deps.now().getTime(),
		});
	}
	return { recovered, removed, kept, tempFiles };
}

function keptOf(leftover: Leftover): KeptLeftover[] {
	if (leftover.verdict === 'in-use') return [{ path: leftover.path, pid: leftover.pid }];
	if (leftover.verdict === 'young') {
		return [{ path: leftover.path, removableAt: leftover.removableAt.toISOString() }];
	}
	return [];
}

export interface DoctorFinding {
	kind:
		| 'blacklist-stale'
		| 'blacklist-missing'
		| 'regex'
		| 'integrity'
		| 'missing-files'
		| 'orphan'
		/** Removable now by `vouch clean`. */
		| 'leftover'
		/** Staging of a vouch process that still runs (`pid`): not a leftover yet. */
		| 'leftover-in-use'
		/** Staging of unknown origin that `vouch clean` removes from `cleanableAt`. */
		| 'leftover-young'
		/** Another vouch process (`pid`, when known) holds the store lock. */
		| 'store-busy'
		| 'journal';
	/** Sanitised. */
	message: string;
	plugin?: string;
	files?: string[];
	pid?: number;
	/** ISO time from which `vouch clean` removes it. */
	cleanableAt?: string;
}

export async function diagnose(deps: {
	store: PluginStore;
	files: PluginFiles;
	snapshot: RegistrySnapshot;
	digest(dir: string): Promise<TreeDigest>;
	dataDir: string;
	now: () => Date;
	stagingMinAgeMs?: number;
	isAlive?: (pid: number) => boolean;
}): Promise<DoctorFinding[]> {
	const findings: DoctorFinding[] = [];
	const { freshness, blacklist } = deps.snapshot;
	if (blacklist === undefined || freshness.state === 'missing') {
		findings.push({
			kind: 'blacklist-missing',
			message: 'No blacklist could be read: run `vouch refresh`.',
		});
	} else if (freshness.state !== 'fresh') {
		findings.push({
			kind: 'blacklist-stale',
			message: `The blacklist is ${freshness.state}${freshness.ageDays === undefined ? '' : ` (${Math.floor(freshness.ageDays)} days old)`}: run \`vouch refresh\`.`,
		});
	}
	for (const problem of blacklist?.problems ?? []) {
		findings.push({
			kind: 'regex',
			message: `Blacklist entry #${problem.index}: url_regex ${sanitizeText(problem.urlRegex, { maxLength: 120 })} cannot be compiled by RE2 and blocks nothing (${sanitizeText(problem.error, { maxLength: 200 })}).`,
		});
	}
	const state = await deps.store.read();
	const owned = new Set<string>();
	for (const plugin of Object.values(state.plugins)) {
		const name = sanitizeText(plugin.name, { maxLength: 100 });
		owned.add(plugin.directory);
		if (plugin.state === 'quarantined') continue;
		const path = deps.files.pathOf(plugin);
		if ((await stat(path).catch(() => undefined)) === undefined) {
			findings.push({
				kind: 'missing-files',
				plugin: plugin.uuid,
				message: `${name}: its files are missing (${sanitizeText(path)}).`,
			});
			continue;
		}
		if (plugin.source.kind !== 'git') continue;
		const current = await deps.digest(path);
		const diff = compareTrees(plugin.files, current.files);
		const touched = [...diff.changed, ...diff.added, ...diff.removed];
		if (touched.length > 0) {
			findings.push({
				kind: 'integrity',
				plugin: plugin.uuid,
				files: touched,
				message: `${name}: ${touched.length} file(s) differ from what was installed: ${touched
					.slice(0, 10)
					.map((file) => sanitizeText(file))
					.join(', ')}.`,
			});
		}
	}
	for (const entry of await readdir(deps.files.pluginsDir).catch(() => [] as string[])) {
		if (entry !== STAGING_DIR && entry !== BACKUP_DIR && !owned.has(entry)) {
			findings.push({
				kind: 'orphan',
				message: `${sanitizeText(entry)} in the plugins directory belongs to no installed plugin.`,
			});
		}
	}
	const holder = await readLockHolder(deps.dataDir, {
		now: deps.now,
		...(deps.isAlive === undefined ? {} : { isAlive: deps.isAlive }),
	});
	const leftovers = await deps.files.leftovers(
		deps.stagingMinAgeMs ?? UNATTRIBUTED_STAGING_MIN_AGE_MS,
	);
	const journals = await readdir(join(deps.dataDir, 'journal')).catch(() => [] as string[]);
	findings.push(...leftoverFindings(leftovers, journals.length, holder));
	// A journal of a live holder is its change in progress, reported as such above.
	if (journals.length > 0 && holder.kind !== 'live') {
		findings.push({
			kind: 'journal',
			message: `${journals.length} interrupted change(s) to settle: run \`vouch clean\`.`,
		});
	}
	return findings;
}

/** What `vouch clean` would do with each leftover, said so that the user can act on it. */
function leftoverFindings(
	leftovers: Leftover[],
	journals: number,
	holder: LockHolder,
): DoctorFinding[] {
	if (holder.kind === 'live') {
		if (leftovers.length === 0 && journals === 0) return [];
		// Its backups and staging are work in progress, not leftovers; nothing can be judged yet.
		const who = holder.pid === undefined ? 'Another vouch process' : `vouch process ${holder.pid}`;
		return [
			{
				kind: 'store-busy',
				...(holder.pid === undefined ? {} : { pid: holder.pid }),
				message: `${who} is changing the plugin store (${leftovers.length + journals} item(s) in progress): run \`vouch doctor\` again once it has finished.`,
			},
		];
	}
	const findings: DoctorFinding[] = [];
	const removable = leftovers.filter((leftover) => leftover.verdict === 'removable');
	if (removable.length > 0) {
		findings.push({
			kind: 'leftover',
			files: removable.map((leftover) => leftover.path),
			message: `${removable.length} leftover(s) of interrupted work (${listed(removable)}): run \`vouch clean\`.`,
		});
	}
	for (const leftover of leftovers) {
		if (leftover.verdict === 'in-use') {
			findings.push({
				kind: 'leftover-in-use',
				pid: leftover.pid,
				files: [leftover.path],
				message: `${sanitizeText(leftover.path)} belongs to vouch process ${leftover.pid}, which is still running: it is not a leftover while that process runs.`,
			});
		} else if (leftover.verdict === 'young') {
			const at = leftover.removableAt.toISOString();
			findings.push({
				kind: 'leftover-young',
				cleanableAt: at,
				files: [leftover.path],
				message: `${sanitizeText(leftover.path)} may still be a download in progress: \`vouch clean\` removes it from ${at}.`,
			});
		}
	}
	return findings;
}

function listed(leftovers: Leftover[]): string {
	const shown = leftovers.slice(0, 5).map((leftover) => sanitizeText(leftover.path));
	return leftovers.length > 5 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/**
 * `clean` and `doctor`. `clean` finishes or rolls back interrupted changes (the journal) and
 * removes what interrupted work left behind. `doctor` only looks: a stale blacklist, patterns
 * RE2 could not compile (D3), plugins whose files changed since install, and files in the
 * plugins directory that no installed plugin owns.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { removeStaleTempFiles } from '../core/atomic-fs.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { RegistrySnapshot } from './snapshot.ts';
import {
	BACKUP_DIR,
	compareTrees,
	type PluginFiles,
	type PluginStore,
	type RecoveryAction,
	STAGING_DIR,
	type TreeDigest,
} from './store/index.ts';

export interface CleanReport {
	recovered: RecoveryAction[];
	removed: string[];
	tempFiles: number;
}

export async function cleanLeftovers(deps: {
	store: PluginStore;
	files: PluginFiles;
	dataDir: string;
	cacheDir: string;
	/** Staging younger than this may be a clone in progress. */
	stagingMinAgeMs: number;
}): Promise<CleanReport> {
	const recovered = await deps.store.recover();
	const removed = await deps.store.transaction(() =>
		deps.files.removeLeftovers(deps.stagingMinAgeMs),
	);
	let tempFiles = 0;
	for (const dir of [
		deps.dataDir,
		join(deps.dataDir, 'journal'),
		join(deps.cacheDir, 'registry'),
	]) {
		tempFiles += await removeStaleTempFiles(dir, { minAgeMs: deps.stagingMinAgeMs });
	}
	return { recovered, removed, tempFiles };
}

export interface DoctorFinding {
	kind:
		| 'blacklist-stale'
		| 'blacklist-missing'
		| 'regex'
		| 'integrity'
		| 'missing-files'
		| 'orphan'
		| 'leftover'
		| 'journal';
	/** Sanitised. */
	message: string;
	plugin?: string;
	files?: string[];
}

export async function diagnose(deps: {
	store: PluginStore;
	files: PluginFiles;
	snapshot: RegistrySnapshot;
	digest(dir: string): Promise<TreeDigest>;
	dataDir: string;
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
		if (entry === STAGING_DIR || entry === BACKUP_DIR) {
			const inside = await readdir(join(deps.files.pluginsDir, entry)).catch(() => [] as string[]);
			if (inside.length > 0) {
				findings.push({
					kind: 'leftover',
					message: `${inside.length} leftover(s) of interrupted work in ${entry}: run \`vouch clean\`.`,
				});
			}
		} else if (!owned.has(entry)) {
			findings.push({
				kind: 'orphan',
				message: `${sanitizeText(entry)} in the plugins directory belongs to no installed plugin.`,
			});
		}
	}
	const journals = await readdir(join(deps.dataDir, 'journal')).catch(() => [] as string[]);
	if (journals.length > 0) {
		findings.push({
			kind: 'journal',
			message: `${journals.length} interrupted change(s) to settle: run \`vouch clean\`.`,
		});
	}
	return findings;
}

/**
 * `checkInstalledPlugins()`: what a host calls at start, before it loads any plugin. It
 * decides, for every installed plugin, whether it may be loaded now:
 * - blacklisted → disabled (hard entries also quarantined: files kept, never deleted; D4);
 * - blacklist too old or missing (D1) → community and unregistered plugins are held back until
 *   a refresh succeeds, official and trusted ones keep running;
 * - API incompatible → held back;
 * - official and trusted plugins are re-hashed (D19b) → a changed file disables the plugin;
 * - a local directory that no longer exists is dropped from the store (spec §5.10).
 * Everything it changes is written in one transaction; the report says what and why.
 */
import type { BlacklistFreshnessState } from '../blacklist/index.ts';
import { apiVersionsIntersect } from '../core/api-version.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { TrustLevel } from '../registry/model.ts';
import { resolveTrust } from '../registry/trust.ts';
import { badgeSafeText } from '../registry/trust-display.ts';
import {
	allSoftReasons,
	type BlockDetails,
	blockDetails,
	softAcceptanceKey,
} from './blocked-notice.ts';
import type { RegistrySnapshot } from './snapshot.ts';
import {
	compareTrees,
	type InstalledPlugin,
	type PluginStore,
	type StoreState,
	type TransactionContext,
	type TreeDigest,
} from './store/index.ts';
import { blacklistVerdictAt, installedAddresses, trustNotices } from './verdicts.ts';
import { installedVersionFacts } from './version-facts.ts';

export interface StartupDeps {
	store: PluginStore;
	snapshot: RegistrySnapshot;
	hostApiVersions: string[];
	files: {
		pathOf(plugin: InstalledPlugin): string;
		exists(path: string): Promise<boolean>;
		digest(dir: string): Promise<TreeDigest>;
		/** Moves the plugin's files to quarantine (kept, never deleted); returns where. */
		quarantine(state: StoreState, tx: TransactionContext, plugin: InstalledPlugin): Promise<string>;
	};
	/** The clock: when a change is recorded. */
	now: () => Date;
}

export interface LoadablePlugin {
	uuid: string;
	name: string;
	path: string;
	trust: TrustLevel;
}

export interface StartupEntry {
	uuid: string;
	name: string;
	/** Sanitised, for the user. */
	reason: string;
}

/** A blacklist entry's other fields, for `kind: 'blacklist'` and quarantined plugins. */
export type BlockFields = Partial<Omit<BlockDetails, 'reason'>>;

export interface StartupReport {
	/** Enabled plugins the host may load now. */
	load: LoadablePlugin[];
	/** Newly disabled by this check: blacklist (`kind`), or changed files. */
	disabled: (StartupEntry & BlockFields & { kind: 'blacklist' | 'integrity'; files?: string[] })[];
	/** Moved to quarantine by this check (hard blacklist entries). */
	quarantined: (StartupEntry & BlockFields & { path: string })[];
	/** Enabled but not loaded this time; nothing is changed on disk. */
	heldBack: (StartupEntry & { kind: 'stale-blacklist' | 'api' })[];
	/** Dropped from the store: a local directory that is gone. */
	removed: StartupEntry[];
	/** Impersonation flags and blacklist freshness, sanitised. */
	warnings: string[];
	blacklist: { state: BlacklistFreshnessState; ageDays?: number };
}

/** How many plugins are re-hashed at once: enough to overlap file reads, few enough for fds. */
const HASH_CONCURRENCY = 8;

export async function checkInstalledPlugins(deps: StartupDeps): Promise<StartupReport> {
	const { snapshot } = deps;
	const freshness = snapshot.freshness;
	const report: StartupReport = {
		load: [],
		disabled: [],
		quarantined: [],
		heldBack: [],
		removed: [],
		warnings: [],
		blacklist: {
			state: freshness.state,
			...(freshness.ageDays === undefined ? {} : { ageDays: freshness.ageDays }),
		},
	};
	if (freshness.state !== 'fresh') {
		report.warnings.push(
			freshness.blockUntrustedPlugins
				? 'The blacklist is missing or too old: community and unregistered plugins stay off until `vouch refresh` succeeds.'
				: 'The blacklist is getting old: run `vouch refresh`.',
		);
	}
	// An interrupted install or update is settled first, or its new files would be checked
	// against the old record and the plugin wrongly disabled.
	// Most starts have nothing to settle, and then take no lock and write nothing.
	if (await deps.store.hasInterruptedWork()) await deps.store.recover();
	const state = await deps.store.read();
	const enabled = new Set(state.enabled);
	const changes: Change[] = [];

	const integrityChecks: (() => Promise<void>)[] = [];
	for (const plugin of Object.values(state.plugins)) {
		if (plugin.state === 'quarantined') continue;
		const entry = { uuid: plugin.uuid, name: badgeSafeText(plugin.name, { maxLength: 100 }) };
		const path = deps.files.pathOf(plugin);
		if (!(await deps.files.exists(path))) {
			if (plugin.source.kind === 'local') {
				changes.push({ kind: 'remove', uuid: plugin.uuid });
				report.removed.push({ ...entry, reason: 'the local directory no longer exists' });
			} else {
				report.warnings.push(`${entry.name}: its files are missing; reinstall it.`);
			}
			continue;
		}
		const verdict = blacklistVerdictAt(snapshot, installedAddresses(plugin), {
			uuid: plugin.uuid,
			...installedVersionFacts(plugin, snapshot.index),
		});
		if (verdict.blocked) {
			const accepted =
				verdict.severity === 'soft' && plugin.acceptedSoftBlock?.key === softAcceptanceKey(verdict);
			// A soft block this check already applied is not news: a watching host would
			// otherwise repeat the notice every round.
			const alreadyOff =
				verdict.severity === 'soft' &&
				!enabled.has(plugin.uuid) &&
				plugin.disabledReason?.kind === 'blacklist';
			if (alreadyOff) continue;
			if (!accepted) {
				changes.push({ kind: 'blacklist', plugin, details: blockDetails(verdict) });
				continue;
			}
			// The user enabled it after reading these very entries (D4: soft); they are reminded of
			// each, not only the first.
			report.warnings.push(
				`${entry.name}: the registry advises against it (${allSoftReasons(blockDetails(verdict))}); you chose to keep it enabled.`,
			);
		}
		const trust = resolveTrust(snapshot.index, { url: plugin.source.url, uuid: plugin.uuid });
		for (const notice of trustNotices(trust)) report.warnings.push(`${entry.name}: ${notice}`);
		if (!enabled.has(plugin.uuid)) continue;
		// Without a registry, the level recorded at install stands in (D1: official and trusted keep running).
		const level: TrustLevel = snapshot.index === undefined ? plugin.trustAtInstall : trust.level;
		if (!apiVersionsIntersect(plugin.apiVersions, deps.hostApiVersions)) {
			report.heldBack.push({
				...entry,
				kind: 'api',
				reason: `needs API ${plugin.apiVersions.join(', ')}`,
			});
			continue;
		}
		if (freshness.blockUntrustedPlugins && (level === 'community' || level === 'unregistered')) {
			report.heldBack.push({
				...entry,
				kind: 'stale-blacklist',
				reason: `${level} plugins wait for a fresh blacklist`,
			});
			continue;
		}
		const loadable: LoadablePlugin = { uuid: plugin.uuid, name: entry.name, path, trust: level };
		if ((level === 'official' || level === 'trusted') && plugin.source.kind === 'git') {
			integrityChecks.push(async () => {
				const current = await deps.files.digest(path);
				const diff = compareTrees(plugin.files, current.files);
				const touched = [...diff.changed, ...diff.added, ...diff.removed];
				if (touched.length === 0) {
					report.load.push(loadable);
					return;
				}
				changes.push({ kind: 'integrity', plugin, files: touched });
			});
		} else {
			report.load.push(loadable);
		}
	}
	await runLimited(integrityChecks, HASH_CONCURRENCY);
	if (changes.length > 0) await applyChanges(changes, deps, report);
	report.load.sort((a, b) => compareNames(a.name, b.name));
	return report;
}

/**
 * Case-insensitive, then exact, by UTF-16 code units. Not `localeCompare`: building its
 * collator is a tenth of a host's whole start-up check, and the order a script reads should
 * not depend on the machine's locale anyway.
 */
function compareNames(a: string, b: string): number {
	const left = a.toLowerCase();
	const right = b.toLowerCase();
	if (left !== right) return left < right ? -1 : 1;
	return a < b ? -1 : a > b ? 1 : 0;
}

type Change =
	| { kind: 'remove'; uuid: string }
	| { kind: 'blacklist'; plugin: InstalledPlugin; details: BlockDetails }
	| { kind: 'integrity'; plugin: InstalledPlugin; files: string[] };

async function applyChanges(
	changes: Change[],
	deps: StartupDeps,
	report: StartupReport,
): Promise<void> {
	const at = deps.now().toISOString();
	await deps.store.transaction(async (state, tx) => {
		for (const change of changes) {
			if (change.kind === 'remove') {
				delete state.plugins[change.uuid];
				state.enabled = state.enabled.filter((uuid) => uuid !== change.uuid);
				continue;
			}
			const plugin = state.plugins[change.plugin.uuid];
			if (plugin === undefined) continue;
			const name = badgeSafeText(plugin.name, { maxLength: 100 });
			state.enabled = state.enabled.filter((uuid) => uuid !== plugin.uuid);
			if (change.kind === 'integrity') {
				const listed = change.files
					.slice(0, 20)
					.map((file) => sanitizeText(file))
					.join(', ');
				plugin.disabledReason = {
					kind: 'integrity',
					reason: `files changed since install: ${listed}`,
					at,
				};
				report.disabled.push({
					uuid: plugin.uuid,
					name,
					kind: 'integrity',
					reason: plugin.disabledReason.reason,
					files: change.files,
				});
				continue;
			}
			const { details } = change;
			plugin.disabledReason = { kind: 'blacklist', reason: details.reason, at };
			delete plugin.acceptedSoftBlock;
			if (details.severity === 'hard' && plugin.source.kind === 'git') {
				const path = await deps.files.quarantine(state, tx, plugin);
				report.quarantined.push({ uuid: plugin.uuid, name, ...details, path });
			}
			report.disabled.push({ uuid: plugin.uuid, name, kind: 'blacklist', ...details });
		}
	});
}

async function runLimited(tasks: (() => Promise<void>)[], limit: number): Promise<void> {
	let next = 0;
	const worker = async () => {
		while (next < tasks.length) {
			const task = tasks[next++] as () => Promise<void>;
			await task();
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, tasks.length) }, worker));
}

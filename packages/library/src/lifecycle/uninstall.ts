/**
 * `uninstall`: forget the plugin and remove its directory, which must be a strict
 * subdirectory of the plugins directory (a symlink is unlinked, not followed; spec item 12).
 * A local directory is only unregistered. Quarantined files are kept: blacklisted code is
 * evidence, and is never deleted (D4). Settings and data the host keeps for the plugin stay
 * unless `--purge`.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import { findInstalled } from './installed.ts';
import { forgetScanReport } from './scan-record.ts';
import type { InstalledPlugin, PluginFiles, PluginStore } from './store/index.ts';

export interface UninstallDeps {
	store: PluginStore;
	files: PluginFiles;
	/** Per-plugin settings and data live under `<dir>/<uuid>` in each of these. */
	pluginDataDirs: readonly string[];
	cwd: string;
	home: string;
	/** The profile's hosts with case-insensitive repository paths (D2). */
	caseInsensitivePathHosts?: readonly string[];
}

export interface UninstallResult {
	plugin: InstalledPlugin;
	filesRemoved: boolean;
	purged: string[];
}

export async function uninstallPlugin(
	target: string,
	options: { purge: boolean },
	deps: UninstallDeps,
): Promise<UninstallResult> {
	return deps.store.transaction(async (state, tx) => {
		const plugin = findInstalled(state, target, deps);
		const removable = plugin.source.kind === 'git' && plugin.state === 'active';
		if (removable) await deps.files.remove(tx, plugin);
		delete state.plugins[plugin.uuid];
		state.enabled = state.enabled.filter((uuid) => uuid !== plugin.uuid);
		// Vouch's own notes on the plugin go with it; a quarantined plugin's report is evidence.
		if (plugin.state === 'active') {
			tx.afterCommit(() => forgetScanReport(deps.store.dataDir, plugin.uuid));
		}
		const purged: string[] = [];
		if (options.purge) {
			for (const dir of deps.pluginDataDirs) {
				const path = join(dir, plugin.uuid);
				tx.afterCommit(() => rm(path, { recursive: true, force: true }));
				purged.push(path);
			}
		}
		return { plugin, filesRemoved: removable, purged };
	});
}

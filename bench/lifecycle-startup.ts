/**
 * The startup check over many installed trusted plugins, against the same check with the
 * integrity re-hash stubbed out (the digest install recorded is handed back), so the ratio is
 * what re-hashing costs (D19b).
 */
import { join } from 'node:path';
import { pluginDirectoryName } from '../packages/library/src/core/paths.ts';
import { generatePluginUuid } from '../packages/library/src/core/uuid.ts';
import { startupFiles } from '../packages/library/src/lifecycle/host.ts';
import {
	checkInstalledPlugins,
	type StartupDeps,
} from '../packages/library/src/lifecycle/startup-check.ts';
import {
	digestTree,
	type InstalledPlugin,
	type TreeDigest,
} from '../packages/library/src/lifecycle/store/index.ts';
import {
	createBenchWorld,
	createProfile,
	installedRecord,
	median,
	pluginTree,
	profileContext,
	recordInstalled,
	registryEntry,
	timedAsync,
	writeTree,
} from './lifecycle-fixtures.ts';
import type { Figure } from './measure.ts';

export interface StartupBenchResult {
	plugins: number;
	filesPerPlugin: number;
	/** Plugins the check cleared to load, in every run of both variants. */
	loaded: number;
	/** Plugin trees the real check hashed, per run. */
	rehashed: number;
	figures: Figure[];
}

/**
 * Trusted plugins, so the check re-hashes every one (D19b). The URLs are never contacted: the
 * startup check works on the local state and the already-loaded registry only.
 */
export async function benchStartup(options: {
	plugins: number;
	filesPerPlugin: number;
	runs: number;
}): Promise<StartupBenchResult> {
	const world = await createBenchWorld('vouch-bench-startup-');
	try {
		const plugins = Array.from({ length: options.plugins }, (_, i) => {
			const name = `startup-${i}`;
			return { name, uuid: generatePluginUuid(), url: `${world.server.url}/${name}.git` };
		});
		const profile = createProfile(
			world.root,
			'startup',
			plugins.map((plugin) => registryEntry(plugin, 'trusted')),
		);
		const context = await profileContext(profile);
		const recorded = new Map<string, TreeDigest>();
		const records: InstalledPlugin[] = [];
		for (const plugin of plugins) {
			const directory = pluginDirectoryName(plugin.name, plugin.uuid);
			const dir = join(context.profile.pluginsDir, directory);
			writeTree(dir, pluginTree(plugin.name, plugin.uuid, options.filesPerPlugin));
			const digest = await digestTree(dir);
			recorded.set(dir, digest);
			records.push(
				installedRecord({ ...plugin, commit: '0'.repeat(40), directory, digest, trust: 'trusted' }),
			);
		}
		await recordInstalled(context.store, records);

		let hashed = 0;
		const files = startupFiles(context.files);
		const deps = (digest: StartupDeps['files']['digest']): StartupDeps => ({
			store: context.store,
			snapshot: context.snapshot,
			hostApiVersions: context.profile.apiVersions,
			files: { ...files, digest },
			now: () => new Date(),
		});
		const real = deps((dir) => {
			hashed++;
			return files.digest(dir);
		});
		// The baseline hands back what install recorded: every step but the hashing.
		const stubbed = deps(async (dir) => recorded.get(dir) ?? { files: {}, treeDigest: '' });

		const checked: number[] = [];
		const baseline: number[] = [];
		let loaded = options.plugins;
		for (let run = 0; run <= options.runs; run++) {
			const withHash = await timedAsync(() => checkInstalledPlugins(real));
			const withoutHash = await timedAsync(() => checkInstalledPlugins(stubbed));
			for (const report of [withHash.value, withoutHash.value]) {
				const changed = report.disabled.length + report.heldBack.length + report.removed.length;
				loaded = Math.min(loaded, changed === 0 ? report.load.length : 0);
			}
			if (run === 0) continue;
			checked.push(withHash.ms);
			baseline.push(withoutHash.ms);
		}
		return {
			plugins: options.plugins,
			filesPerPlugin: options.filesPerPlugin,
			loaded,
			rehashed: hashed / (options.runs + 1),
			figures: [
				{
					name: `startup check, ${options.plugins} trusted plugins`,
					ms: median(checked),
					baselineName: 'same, re-hash stubbed',
					baselineMs: median(baseline),
					targetMs: 50,
				},
			],
		};
	} finally {
		await world.close();
	}
}

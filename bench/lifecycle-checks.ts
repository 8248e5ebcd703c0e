/**
 * `check-updates` over many installed plugins, several remotes at once, against the same checks
 * one at a time. Each plugin has its own served repository with a commit newer than the one
 * recorded, so every check has an update to find.
 */
import { availableParallelism } from 'node:os';
import { gitFor } from '../packages/cli/src/lifecycle-context.ts';
import { pluginDirectoryName } from '../packages/library/src/core/paths.ts';
import { checkUpdates, type UpdateCheck } from '../packages/library/src/lifecycle/check-updates.ts';
import { digestTree, type InstalledPlugin } from '../packages/library/src/lifecycle/store/index.ts';
import {
	createBenchWorld,
	createProfile,
	installedRecord,
	median,
	profileContext,
	publishNewCommit,
	recordInstalled,
	servePlugin,
	timedAsync,
} from './lifecycle-fixtures.ts';
import type { Figure } from './measure.ts';

/** `vouch check-updates` asks this many remotes at once. */
export const CHECK_CONCURRENCY = 8;

export interface UpdateChecksBenchResult {
	plugins: number;
	concurrency: number;
	/** CPU cores here: on loopback they, not the network, bound the speed-up. */
	cores: number;
	/** Updates found per run, in the concurrent and the one-at-a-time runs alike. */
	available: number;
	/** Per HTTP request; 0 is plain loopback. */
	latencyMs: number;
	figures: Figure[];
}

/** Each plugin is recorded at its first commit; its served copy has a second one. */
export async function benchUpdateChecks(options: {
	plugins: number;
	runs: number;
	concurrency?: number;
	/** Held back per HTTP request by the server, standing in for a network round trip. */
	latencyMs?: number;
}): Promise<UpdateChecksBenchResult> {
	const concurrency = options.concurrency ?? CHECK_CONCURRENCY;
	const latencyMs = options.latencyMs ?? 0;
	const world = await createBenchWorld('vouch-bench-checks-', { latencyMs });
	try {
		const profile = createProfile(world.root, 'checks');
		const context = await profileContext(profile);
		const newest = new Map<string, string>();
		const records: InstalledPlugin[] = [];
		for (let i = 0; i < options.plugins; i++) {
			const plugin = servePlugin(world, `checked-${i}`, 4);
			// Install would have recorded the tree as served; a state written directly does the same.
			const digest = await digestTree(plugin.repo.dir);
			records.push(
				installedRecord({
					...plugin,
					commit: plugin.repo.commitOf(),
					directory: pluginDirectoryName(plugin.name, plugin.uuid),
					digest,
					trust: 'community',
				}),
			);
			newest.set(plugin.uuid, publishNewCommit(plugin));
		}
		await recordInstalled(context.store, records);
		const state = await context.store.read();
		const git = gitFor(profile.io, false);
		const check = (workers: number) =>
			timedAsync(() =>
				checkUpdates(state, { snapshot: context.snapshot, git, concurrency: workers, pre: false }),
			);
		const foundAll = (checks: UpdateCheck[]) =>
			checks.filter(
				(result) => result.status === 'available' && newest.get(result.uuid) === result.commit,
			).length;

		const parallel: number[] = [];
		const sequential: number[] = [];
		let available = options.plugins;
		for (let run = 0; run <= options.runs; run++) {
			const together = await check(concurrency);
			const alone = await check(1);
			available = Math.min(available, foundAll(together.value), foundAll(alone.value));
			if (run === 0) continue;
			parallel.push(together.ms);
			sequential.push(alone.ms);
		}
		const sequentialMs = median(sequential);
		return {
			plugins: options.plugins,
			concurrency,
			cores: availableParallelism(),
			available,
			latencyMs,
			figures: [
				{
					name: `check-updates, ${options.plugins} plugins, ${concurrency} at once${latencyMs > 0 ? `, ${latencyMs} ms RTT` : ''}`,
					ms: median(parallel),
					baselineName: 'one at a time',
					baselineMs: sequentialMs,
					targetMs: sequentialMs / 4,
				},
			],
		};
	} finally {
		await world.close();
	}
}

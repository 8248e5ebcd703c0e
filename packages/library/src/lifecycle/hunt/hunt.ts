/**
 * `registry hunt`: searches every published version of every plugin of a registry (or of the
 * plugins named) for one indicator, a few plugins at a time, each in its own bare cache that
 * is removed at the end. One plugin's failure is reported on it; the others are still searched.
 */
import { join } from 'node:path';
import { sanitizeText } from '../../core/sanitize.ts';
import type { Registry, RegistryPlugin } from '../../registry/model.ts';
import { mapBounded } from '../../registry/validate/pool.ts';
import { type Indicator, indicatorText } from './indicator.ts';
import { huntPlugin } from './plugin-hunt.ts';
import { DEFAULT_HUNT_LIMITS, type HuntDeps, type HuntLimits, type PluginHunt } from './types.ts';

export const DEFAULT_HUNT_JOBS = 4;
export const MAX_HUNT_JOBS = 16;

export interface HuntRequest {
	registry: Pick<Registry, 'plugins'>;
	indicator: Indicator;
	/** Only these plugin ids (all when empty or absent). */
	pluginIds?: readonly string[];
	jobs?: number;
	limits?: Partial<HuntLimits>;
}

export interface HuntReport {
	indicator: { kind: Indicator['kind']; text: string };
	plugins: PluginHunt[];
	/** Requested ids the registry does not list. */
	unknownPluginIds: string[];
	totals: {
		plugins: number;
		failed: number;
		versions: number;
		versionsWithHits: number;
		hits: number;
		/** Plugins with at least one hit. */
		pluginsWithHits: number;
	};
}

export async function huntRegistry(request: HuntRequest, deps: HuntDeps): Promise<HuntReport> {
	const limits = { ...DEFAULT_HUNT_LIMITS, ...request.limits };
	const wanted = new Set(request.pluginIds ?? []);
	const plugins: RegistryPlugin[] =
		wanted.size === 0
			? request.registry.plugins
			: request.registry.plugins.filter((plugin) => wanted.has(plugin.id));
	const known = new Set(request.registry.plugins.map((plugin) => plugin.id));
	const unknownPluginIds = [...wanted]
		.filter((id) => !known.has(id))
		.map((id) => sanitizeText(id, { maxLength: 200 }));
	const jobs = Math.min(Math.max(1, Math.floor(request.jobs ?? DEFAULT_HUNT_JOBS)), MAX_HUNT_JOBS);
	const root = await deps.makeTempDir();
	let done = 0;
	try {
		const results = await mapBounded(plugins, jobs, async (plugin, index) => {
			const id = sanitizeText(plugin.id, { maxLength: 200 });
			deps.onEvent?.({ kind: 'plugin-started', id, index, total: plugins.length });
			const cacheDir = join(root, `plugin-${index}.git`);
			// One slow repository must not hold a whole hunt: each plugin has its own deadline.
			const deadline = AbortSignal.timeout(limits.pluginTimeoutMs);
			const signal =
				deps.signal === undefined ? deadline : AbortSignal.any([deps.signal, deadline]);
			try {
				const result = await huntPlugin(
					{ plugin, indicator: request.indicator, cacheDir, limits },
					{ ...deps, signal },
				);
				if (deadline.aborted && result.status === 'failed') {
					result.error = {
						code: 'HUNT_PLUGIN_TIMEOUT',
						message: `The search of this plugin ran past ${Math.round(limits.pluginTimeoutMs / 1000)} s and was stopped.`,
					};
				}
				done++;
				deps.onEvent?.({
					kind: 'plugin-finished',
					id,
					done,
					total: plugins.length,
					hits: result.versions.reduce((sum, v) => sum + v.hits.length, 0),
				});
				return result;
			} finally {
				// The cache holds untrusted code: it never outlives the plugin's search.
				await deps.removeDir(cacheDir);
			}
		});
		return {
			indicator: {
				kind: request.indicator.kind,
				text: sanitizeText(indicatorText(request.indicator)),
			},
			plugins: results,
			unknownPluginIds,
			totals: totalsOf(results),
		};
	} finally {
		await deps.removeDir(root);
	}
}

function totalsOf(plugins: PluginHunt[]): HuntReport['totals'] {
	const versions = plugins.flatMap((plugin) => plugin.versions);
	return {
		plugins: plugins.length,
		failed: plugins.filter((plugin) => plugin.status === 'failed').length,
		versions: versions.length,
		versionsWithHits: versions.filter((v) => v.hits.length > 0).length,
		hits: versions.reduce((sum, v) => sum + v.hits.length, 0),
		pluginsWithHits: plugins.filter((p) => p.versions.some((v) => v.hits.length > 0)).length,
	};
}

/**
 * A plugin loaded into the host's own process: fast, and NOT ENFORCED. The plugin runs with
 * every right the host has; nothing of D29 applies, and every output says so. It gets the
 * same `api` shape as an isolated plugin, `api.fetch` included, so a plugin runs unchanged in
 * either mode.
 */
import { pathToFileURL } from 'node:url';
import { hostError } from './errors.ts';
import { brokeredRequestOf, brokerFetch } from './fetch-broker.ts';
import type { PluginPlan } from './plugin-plan.ts';
import type { HostApi, RunningPlugin } from './running-plugin.ts';
import type { HostTimers } from './timers.ts';

interface PluginModule {
	enable(api: unknown): unknown;
	disable?(): unknown;
}

function withTimeout<T>(
	work: Promise<T>,
	timers: HostTimers,
	ms: number,
	what: string,
): Promise<T> {
	return new Promise((resolve, reject) => {
		const timer = timers.setTimeout(
			() => reject(hostError('CALL_TIMEOUT', `${what} did not finish within ${ms} ms.`)),
			ms,
		);
		work.then(
			(value) => {
				timers.clearTimeout(timer);
				resolve(value);
			},
			(error: unknown) => {
				timers.clearTimeout(timer);
				reject(
					hostError('PLUGIN_FAILED', error instanceof Error ? error.message : String(error), {
						cause: error,
					}),
				);
			},
		);
	});
}

export function startInProcessPlugin(options: {
	plan: PluginPlan;
	api: HostApi;
	fetch: typeof fetch;
	timers: HostTimers;
}): RunningPlugin {
	const { plan, timers } = options;
	let module: PluginModule | undefined;
	const api = Object.freeze({
		...options.api,
		fetch: (url: string, init: Record<string, unknown> = {}) =>
			brokerFetch(plan, brokeredRequestOf({ ...init, url }), options.fetch),
	});
	return {
		pid: undefined,
		async enable(timeoutMs) {
			const load = async () => {
				const loaded = (await import(pathToFileURL(plan.entry).href)) as Partial<PluginModule> & {
					default?: PluginModule;
				};
				const exported =
					typeof loaded.enable === 'function' ? (loaded as PluginModule) : loaded.default;
				if (exported === undefined || typeof exported.enable !== 'function')
					throw new Error('The entry module exports no enable(api) function.');
				module = exported;
				await exported.enable(api);
			};
			await withTimeout(load(), timers, timeoutMs, `${plan.name}: enable`);
		},
		async disable(timeoutMs) {
			if (typeof module?.disable === 'function')
				await withTimeout(
					Promise.resolve(module.disable()),
					timers,
					timeoutMs,
					`${plan.name}: disable`,
				);
		},
		async ping() {},
		kill() {},
		onExit() {},
	};
}

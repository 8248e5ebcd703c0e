/**
 * `createVouch(options)`: Vouch for a host in one call. It wires the real dependencies for a
 * profile (registry sources and cache, the TUF client where the profile has a root, git, the
 * local store and plugin directories, the scanner) and returns the lifecycle as async
 * operations. Every dependency can be replaced; none is a module singleton.
 */
import { sanitizeText } from '../core/sanitize.ts';
import { disablePlugin, enablePlugin } from '../lifecycle/enablement.ts';
import { installPlugin } from '../lifecycle/install.ts';
import { NON_INTERACTIVE, SILENT_REPORTER } from '../lifecycle/prompter.ts';
import { unavailableSnapshot } from '../lifecycle/snapshot.ts';
import { uninstallPlugin } from '../lifecycle/uninstall.ts';
import { updatePlugin } from '../lifecycle/update.ts';
import { explainUnattendedRefusal } from './consent.ts';
import { hostEnvironment } from './environment.ts';
import { hostProfileOf } from './profile.ts';
import { createQueries } from './queries.ts';
import { loadSnapshot, type ProfileRegistryRequest, registryNotices } from './registry.ts';
import { createReportOperations } from './report.ts';
import { runStartupCheck } from './startup.ts';
import type { Vouch, VouchOptions } from './types.ts';
import { watchInstalledPlugins } from './watch.ts';
import { createLifecycleGit, openLocalState, pluginDataDirs, pluginWorkDeps } from './wiring.ts';

/**
 * Binds Vouch to one host profile.
 *
 * @example
 * ```ts
 * const vouch = createVouch({ profile: 'picard' });
 * const report = await vouch.startupCheck();
 * for (const plugin of report.load) host.load(plugin.path);
 * ```
 */
export function createVouch(options: VouchOptions = {}): Vouch {
	const environment = hostEnvironment({
		...(options.env === undefined ? {} : { env: options.env }),
		...(options.cwd === undefined ? {} : { cwd: options.cwd }),
		...(options.home === undefined ? {} : { home: options.home }),
		...(options.fetch === undefined ? {} : { fetch: options.fetch }),
		...(options.now === undefined ? {} : { now: options.now }),
	});
	const profile = hostProfileOf(options.profile, environment);
	const sources =
		options.registry === undefined
			? undefined
			: typeof options.registry === 'string'
				? [options.registry]
				: [...options.registry];
	const reporter = options.reporter ?? SILENT_REPORTER;
	const prompter = options.prompter ?? NON_INTERACTIVE;
	const unattended = options.prompter === undefined;
	const state = openLocalState(profile, environment.now);
	const registryRequest: ProfileRegistryRequest = {
		profile,
		environment,
		...(sources === undefined ? {} : { sources }),
	};
	const snapshot = async () => {
		const load = await loadSnapshot(registryRequest);
		if (load.loaded !== undefined) {
			for (const notice of registryNotices(load.loaded, profile))
				reporter.warn(sanitizeText(notice, { maxLength: 500 }));
		}
		return load.snapshot;
	};
	const gitFor = (allowInsecureTransport: boolean) =>
		options.git ?? createLifecycleGit(environment, allowInsecureTransport);
	/** Install and update work against a fresh registry snapshot, wired the same way. */
	const workDeps = async (allowInsecureTransport: boolean) =>
		pluginWorkDeps({
			profile,
			environment,
			snapshot: await snapshot(),
			state,
			git: gitFor(allowInsecureTransport),
			prompter,
			reporter,
		});
	/** With nobody to ask, a refusal names the consent that was missing. */
	const attended = async <T>(
		operation: 'install' | 'update' | 'enable',
		run: () => Promise<T>,
	): Promise<T> => {
		try {
			return await run();
		} catch (error) {
			throw unattended ? explainUnattendedRefusal(error, operation) : error;
		}
	};
	const startupOptions = {
		profile,
		fetch: environment.fetch,
		now: environment.now,
		cwd: environment.cwd,
		home: environment.home,
		...(sources === undefined ? {} : { sources }),
	};
	const urlContext = {
		cwd: environment.cwd,
		home: environment.home,
		caseInsensitivePathHosts: profile.caseInsensitivePathHosts,
	};
	const enablementDeps = async (needsRegistry: boolean) => ({
		store: state.store,
		// Disabling only changes local state: it must work offline.
		snapshot: needsRegistry ? await snapshot() : unavailableSnapshot('not loaded'),
		hostApiVersions: profile.apiVersions,
		prompter,
		reporter,
		now: environment.now,
		files: state.files,
		...urlContext,
	});

	return {
		profile,
		startupCheck: () => runStartupCheck(startupOptions),
		watch: (handlers) => watchInstalledPlugins({ ...startupOptions, ...handlers }),
		async install(target, flags = {}) {
			const allowInsecureTransport = flags.allowInsecureTransport === true;
			const deps = await workDeps(allowInsecureTransport);
			const result = await attended('install', () =>
				installPlugin(
					{
						target,
						...(flags.ref === undefined ? {} : { ref: flags.ref }),
						pre: flags.pre === true,
						reinstall: flags.reinstall === true,
						forceBlacklisted: flags.forceBlacklisted === true,
						allowInsecureTransport,
						allowStaleBlacklist: flags.allowStaleBlacklist === true,
						yes: flags.yes === true,
						enable: flags.enable !== false,
						acceptFindings: flags.acceptFindings === true,
					},
					deps,
				),
			);
			return { ...result, path: state.files.pathOf(result.plugin) };
		},
		async update(target, flags = {}) {
			const allowInsecureTransport = flags.allowInsecureTransport === true;
			const deps = await workDeps(allowInsecureTransport);
			return attended('update', () =>
				updatePlugin(
					target,
					{
						...(flags.ref === undefined ? {} : { ref: flags.ref }),
						pre: flags.pre === true,
						yes: flags.yes === true,
						grantCapabilities: flags.grantCapabilities === true,
						allowInsecureTransport,
						allowStaleBlacklist: flags.allowStaleBlacklist === true,
						acceptFindings: flags.acceptFindings === true,
					},
					deps,
				),
			);
		},
		uninstall: (target, uninstallOptions = {}) =>
			uninstallPlugin(
				target,
				{ purge: uninstallOptions.purge === true },
				{
					store: state.store,
					files: state.files,
					pluginDataDirs: pluginDataDirs(profile),
					...urlContext,
				},
			),
		async enable(target, flags = {}) {
			const deps = await enablementDeps(true);
			return attended('enable', () =>
				enablePlugin(
					target,
					{ yes: flags.yes === true, allowStaleBlacklist: flags.allowStaleBlacklist === true },
					deps,
				),
			);
		},
		async disable(target, why) {
			return disablePlugin(target, await enablementDeps(false), why);
		},
		...createQueries({ profile, environment, state, registryRequest, snapshot }),
		...createReportOperations({
			profile,
			environment,
			state,
			snapshot,
			service: options.service,
			hostVersion: options.hostVersion,
			accountToken: options.serviceToken,
			timeoutMs: options.serviceTimeoutMs,
		}),
	};
}

/**
 * `enable` and `disable`. Enabling is where a plugin gets to run, so it asks the same
 * questions as install: never a blacklisted plugin (D10; a soft entry only after the user has
 * seen the reason), never without a usable blacklist for remote code (D1), never a quarantined
 * one, never one whose API the host does not support.
 */
import { apiVersionsIntersect } from '../core/api-version.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { blockDetails, blockNoticeLines, softAcceptanceKey } from './blocked-notice.ts';
import { lifecycleError } from './errors.ts';
import { findInstalled } from './installed.ts';
import type { LifecycleReporter, Prompter } from './prompter.ts';
import { releaseFromQuarantine } from './quarantine-release.ts';
import { assertBlacklistUsable, type RegistrySnapshot } from './snapshot.ts';
import type { InstalledPlugin, PluginFiles, PluginStore } from './store/index.ts';
import { blacklistVerdictAt, installedAddresses } from './verdicts.ts';
import { installedVersionFacts } from './version-facts.ts';

export interface EnablementDeps {
	store: PluginStore;
	snapshot: RegistrySnapshot;
	hostApiVersions: string[];
	prompter: Prompter;
	reporter: LifecycleReporter;
	/** The clock: blacklist freshness. */
	now: () => Date;
	cwd: string;
	home: string;
	/** The profile's hosts with case-insensitive repository paths (D2). */
	caseInsensitivePathHosts?: readonly string[];
	/** Lets `enable` move a plugin back from quarantine once its block is lifted. */
	files?: Pick<PluginFiles, 'release'>;
}

export async function enablePlugin(
	target: string,
	options: { yes: boolean; allowStaleBlacklist: boolean },
	deps: EnablementDeps,
): Promise<InstalledPlugin> {
	let plugin = findInstalled(await deps.store.read(), target, {
		...deps,
		index: deps.snapshot.index,
	});
	const name = sanitizeText(plugin.name);
	if (plugin.state === 'quarantined') {
		await releaseFromQuarantine(plugin, { yes: options.yes }, deps);
		plugin = findInstalled(await deps.store.read(), plugin.uuid, {
			...deps,
			index: deps.snapshot.index,
		});
	}
	if (plugin.source.kind === 'git') {
		assertBlacklistUsable({
			snapshot: deps.snapshot,
			allowStaleBlacklist: options.allowStaleBlacklist,
			action: 'enable',
			reporter: deps.reporter,
		});
	}
	const verdict = blacklistVerdictAt(deps.snapshot, installedAddresses(plugin), {
		uuid: plugin.uuid,
		...installedVersionFacts(plugin, deps.snapshot.index),
	});
	let accepted: string | undefined;
	if (verdict.blocked) {
		const more = blockNoticeLines(blockDetails(verdict));
		if (verdict.severity === 'hard') {
			// --yes never passes a hard entry: it is not a question (D10).
			throw lifecycleError('BLACKLISTED', `${name} is blacklisted: ${verdict.reason}`, {
				hint: ['The blacklist cannot be bypassed after install.', ...more].join(' '),
			});
		}
		deps.reporter.warn(
			[`${name} is on the blacklist as not recommended: ${verdict.reason}`, ...more].join('\n'),
		);
		const agreed =
			options.yes ||
			(deps.prompter.interactive &&
				(await deps.prompter.confirm({
					message: `Enable ${name} anyway?`,
					defaultAnswer: false,
				})));
		if (!agreed) throw lifecycleError('DECLINED', `${name} stays disabled.`);
		accepted = softAcceptanceKey(verdict);
	}
	if (!apiVersionsIntersect(plugin.apiVersions, deps.hostApiVersions)) {
		throw lifecycleError(
			'INCOMPATIBLE_API',
			`${name} needs API ${plugin.apiVersions.join(', ')}, which this host does not provide.`,
			{ hint: 'Update the plugin, or switch to a ref made for this host.' },
		);
	}
	return deps.store.transaction(async (state) => {
		const record = state.plugins[plugin.uuid];
		if (record === undefined)
			throw lifecycleError('NOT_INSTALLED', `${name} was uninstalled meanwhile.`);
		delete record.disabledReason;
		// Remembered, so the startup check does not turn it off again for the same entry.
		if (accepted === undefined) delete record.acceptedSoftBlock;
		else record.acceptedSoftBlock = { key: accepted, at: deps.now().toISOString() };
		if (!state.enabled.includes(plugin.uuid)) state.enabled.push(plugin.uuid);
		return record;
	});
}

/**
 * Why a plugin was turned off by someone other than the blacklist or the integrity check: the
 * user, or a host that stopped a plugin which kept crashing (`crash_loop`). `list` shows it.
 */
export interface DisableReason {
	kind: 'user' | 'crash_loop';
	/** Shown to the user; sanitised before it is stored. */
	reason: string;
}

export async function disablePlugin(
	target: string,
	deps: EnablementDeps,
	why: DisableReason = { kind: 'user', reason: 'disabled by the user' },
): Promise<InstalledPlugin> {
	return deps.store.transaction(async (state) => {
		const plugin = findInstalled(state, target, { ...deps, index: deps.snapshot.index });
		state.enabled = state.enabled.filter((uuid) => uuid !== plugin.uuid);
		plugin.disabledReason = {
			kind: why.kind,
			reason: sanitizeText(why.reason, { maxLength: 2000 }),
			at: deps.now().toISOString(),
		};
		return plugin;
	});
}

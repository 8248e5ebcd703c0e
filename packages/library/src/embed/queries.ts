/**
 * The operations of `createVouch` that read rather than change plugins: list, check the
 * blacklist, scan, refresh. Trust is always today's (D6), and an unreadable blacklist never
 * answers "not blocked" (D1).
 */
import { resolve } from 'node:path';
import { compileBlacklist } from '../blacklist/index.ts';
import { canonicalUrl } from '../core/canonical-url.ts';
import type { HostProfile } from '../core/profile.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { parseUuidArgument } from '../core/uuid.ts';
import { blockDetails } from '../lifecycle/blocked-notice.ts';
import { findInstalled } from '../lifecycle/installed.ts';
import type { RegistrySnapshot } from '../lifecycle/snapshot.ts';
import type { StoreState } from '../lifecycle/store/index.ts';
import { blacklistVerdictAt, installedAddresses } from '../lifecycle/verdicts.ts';
import { installedVersionFacts } from '../lifecycle/version-facts.ts';
import { resolveTrust } from '../registry/trust.ts';
import { type HostEnvironment, urlContextOf } from './environment.ts';
import {
	type LoadedRegistry,
	loadProfileRegistry,
	type ProfileRegistryRequest,
} from './registry.ts';
import type { InstalledPluginStatus, RegistryStatus, Vouch } from './types.ts';
import type { LocalState } from './wiring.ts';

export interface QueryParts {
	profile: HostProfile;
	environment: HostEnvironment;
	state: LocalState;
	registryRequest: ProfileRegistryRequest;
	snapshot(): Promise<RegistrySnapshot>;
}

export function createQueries(
	parts: QueryParts,
): Pick<Vouch, 'list' | 'checkBlacklist' | 'scan' | 'refresh'> {
	const { state, environment, profile } = parts;
	const urlContext = urlContextOf(profile, environment);
	return {
		async list() {
			// A crash between moving files and writing the state is settled before it is shown.
			if (await state.store.hasInterruptedWork()) await state.store.recover();
			const snapshot = await parts.snapshot();
			const current = await state.store.read();
			return Object.values(current.plugins)
				.sort((a, b) => a.name.localeCompare(b.name))
				.map((plugin): InstalledPluginStatus => {
					const trust = resolveTrust(snapshot.index, {
						url: plugin.source.url,
						uuid: plugin.uuid,
					});
					const verdict = blacklistVerdictAt(snapshot, installedAddresses(plugin), {
						uuid: plugin.uuid,
						...installedVersionFacts(plugin, snapshot.index),
					});
					return {
						plugin,
						path: state.files.pathOf(plugin),
						enabled: current.enabled.includes(plugin.uuid),
						...(snapshot.index === undefined ? {} : { trust: trust.level }),
						...(trust.impersonation === undefined
							? {}
							: { impersonation: sanitizeText(trust.impersonation.reason) }),
						...(verdict.blocked ? { blacklisted: blockDetails(verdict) } : {}),
					};
				});
		},
		async checkBlacklist(query) {
			// Loaded directly, not as a snapshot: with no registry the load's own error is the answer.
			// D2: a URL that cannot be made canonical cannot be compared, and a UUID in another
			// spelling would match no entry: both are refused rather than answered "not blocked".
			if (query.url !== undefined) canonicalUrl(query.url, urlContext);
			const uuid = query.uuid === undefined ? undefined : parseUuidArgument(query.uuid, 'uuid');
			const loaded = await loadProfileRegistry(parts.registryRequest);
			const blacklist = compileBlacklist(loaded.registry.blacklist, urlContext);
			const verdict = blacklist.check({
				...(query.url === undefined ? {} : { url: query.url }),
				...(uuid === undefined ? {} : { uuid }),
				...(query.version === undefined ? {} : { version: query.version }),
			});
			return { verdict, registry: registryStatus(loaded) };
		},
		async scan(target) {
			const { scanPlugin } = await import('../scan/index.ts');
			const installed = installedOrUndefined(await state.store.read(), target, urlContext);
			return scanPlugin(
				installed === undefined ? resolve(environment.cwd, target) : state.files.pathOf(installed),
			);
		},
		async refresh() {
			const loaded = await loadProfileRegistry({ ...parts.registryRequest, mode: 'refresh' });
			return {
				registry: registryStatus(loaded),
				unchanged: loaded.notModified,
				plugins: loaded.registry.plugins.length,
				blacklistEntries: loaded.registry.blacklist.length,
				failures: loaded.failures,
				warnings: loaded.warnings,
			};
		},
	};
}

function registryStatus(loaded: LoadedRegistry): RegistryStatus {
	return {
		source: loaded.source,
		signed: loaded.signed,
		fromCache: loaded.fromCache,
		offline: loaded.offline,
		fetchedAt: loaded.fetchedAt,
		blacklistFreshness: loaded.freshness.state,
	};
}

/** An installed plugin the text names, else undefined: then the text is a directory to scan. */
function installedOrUndefined(
	current: StoreState,
	target: string,
	context: Parameters<typeof findInstalled>[2],
) {
	if (Object.keys(current.plugins).length === 0) return undefined;
	try {
		return findInstalled(current, target, context);
	} catch {
		return undefined;
	}
}

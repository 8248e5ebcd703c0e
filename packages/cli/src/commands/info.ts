/**
 * `vouch info <id|url|uuid>`: what the registry says about a plugin — trust badge, refs,
 * redirects and blacklist state — and, when it is installed, the installed copy as well. A URL the registry does not know is reported as
 * unregistered rather than as an error: that is the answer the user needs.
 */

import type { Command } from '@commander-js/extra-typings';
import { compileBlacklist } from '@vouch/library/internal/blacklist/index';
import { sourceKind } from '@vouch/library/internal/core/canonical-url';
import { VouchError } from '@vouch/library/internal/core/errors';
import { closestNames, didYouMean } from '@vouch/library/internal/core/suggest';
import { localOrigins } from '@vouch/library/internal/lifecycle/local-origin';
import { knownAddress } from '@vouch/library/internal/lifecycle/source';
import { createPluginFiles } from '@vouch/library/internal/lifecycle/store/index';
import { readUpdateCache } from '@vouch/library/internal/lifecycle/update-cache';
import { blacklistVerdictAt, installedAddresses } from '@vouch/library/internal/lifecycle/verdicts';
import { installedVersionFacts } from '@vouch/library/internal/lifecycle/version-facts';
import { lookupKind } from '@vouch/library/internal/registry/index';
import { resolveTrust } from '@vouch/library/internal/registry/trust';
import { pluginNameLabel } from '@vouch/library/internal/registry/trust-display';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import {
	type LoadedRegistry,
	loadRegistry,
	printRegistryWarnings,
	profileFor,
	registryJson,
	registryTrustLabel,
	urlContextFor,
} from '../context.ts';
import type { InfoInstalledJson, InfoRegisteredJson, InfoUnregisteredJson } from '../json/info.ts';
import { gitFor, lifecycleIO } from '../lifecycle-context.ts';
import { createOutput } from '../output.ts';
import { blacklistMarkOf, blockDetailLines, trustText } from '../plugin-view.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import { localeOption } from './filters.ts';
import { printRegistryEntry, registryEntryJson } from './info-entry.ts';
import { printRemoteRefs, type RemoteRefs, remoteRefs, remoteRefsJson } from './info-refs.ts';
import { installedJson, installedMatching, printInstalled } from './installed-view.ts';

export type InfoErrorCode = 'PLUGIN_NOT_FOUND';

export function registerInfo(program: Command, { io }: CommandContext): void {
	program
		.command('info')
		.description('show a plugin: trust, refs, redirects, blacklist, and the installed copy if any')
		.argument('<plugin>', 'a registry id, a git URL or a UUID')
		.option('--offline', "do not list the refs of the plugin's repository")
		.addOption(localeOption())
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (typed, options) => {
			const output = createOutput(io, options.json === true);
			const profile = profileFor(options, io);
			const loaded = await loadRegistry(options, profile, io, output);
			printRegistryWarnings(loaded, output);
			// D11: a path is looked up, matched and checked by its real path, as install does, so
			// a symlink cannot show as "not blacklisted" what install refuses.
			const git = gitFor(io, false);
			const { realPath } = lifecycleIO(io);
			const query =
				lookupKind(typed) === 'url'
					? ((await knownAddress(typed, {
							...urlContextFor(profile, io),
							realPath,
							repositoryDir: (path) => git.repositoryDir(path),
						})) ?? typed)
					: typed;
			const found = loaded.index.lookup(query);
			const blacklist = compileBlacklist(loaded.registry.blacklist, urlContextFor(profile, io));
			const installed = await installedMatching(profile, query, {
				...urlContextFor(profile, io),
				index: loaded.index,
			});
			if (installed !== undefined) {
				const { plugin } = installed;
				const files = createPluginFiles({
					pluginsDir: profile.pluginsDir,
					dataDir: profile.dataDir,
					now: io.now,
				});
				const trust = resolveTrust(loaded.index, { url: plugin.source.url, uuid: plugin.uuid });
				// Every address it answers for, as the startup check asks (D27), the strictest wins.
				const verdict = blacklistVerdictAt({ blacklist }, installedAddresses(plugin), {
					uuid: plugin.uuid,
					...installedVersionFacts(plugin, loaded.index),
				});
				const update = (await readUpdateCache(profile.cacheDir))[plugin.uuid];
				// The entry only when trust binds this copy to it (D6): a fork that shares its UUID
				// is not shown the real plugin's description as its own.
				const entry = trust.plugin;
				// A plain local directory has no refs; a clone on disk is listed like any remote.
				const refs: RemoteRefs =
					plugin.source.kind === 'local'
						? { listed: false, reason: 'not-git', cause: 'a local directory without git' }
						: await remoteRefs(
								{ url: plugin.source.url, entry: trust.plugin },
								{ offline: options.offline === true, blacklisted: verdict.blocked },
								io,
								profile,
							);
				if (output.json) {
					output.result({
						ok: true,
						query: typed,
						registered: trust.plugin !== undefined,
						installed: {
							...installedJson(plugin, files, installed.enabled, {
								index: loaded.index,
								trust: trust.level,
							}),
							impersonation: trust.impersonation?.reason ?? null,
							blacklisted: blacklistMarkOf(verdict),
							update: update ?? null,
						},
						registryEntry:
							entry === undefined
								? null
								: registryEntryJson(
										entry,
										blacklist.check({ url: entry.gitUrl, uuid: entry.uuid }),
										loaded.signed,
									),
						remote: remoteRefsJson(refs).remote,
						registry: registryJson(loaded),
					} satisfies InfoInstalledJson);
					return;
				}
				const installedRef =
					plugin.source.refType === 'commit' ? plugin.source.commit : plugin.source.ref;
				if (entry === undefined) {
					output.line(
						`${trustText(trust.level, output.style)}  ${output.style.bold(pluginNameLabel(plugin.name))}`,
					);
					printInstalled(output, installed, files, trust, update, profile);
					printRemoteRefs(output, refs, installedRef);
				} else {
					// Bound to its entry (D6): what the registry says first, then this copy.
					printRegistryEntry(
						entry,
						output,
						{ locale: options.locale, signedRegistry: loaded.signed },
						() => printRemoteRefs(output, refs, installedRef),
					);
					printInstalled(output, installed, files, trust, update, profile);
				}
				output.line(
					verdict.blocked
						? `  ${output.style.red(`Blacklisted (${verdict.severity}): ${safe(verdict.reason)}`)}`
						: '  Blacklist:    not blacklisted',
				);
				for (const line of blockDetailLines(verdict, '    ')) output.line(line);
				output.line(
					output.style.dim(
						`  Registry:     ${safe(loaded.source)} (${registryTrustLabel(loaded)})`,
					),
				);
				return;
			}
			if (!found) {
				if (lookupKind(query) === 'url') {
					// As typed and as known (D11), and a local clone under every address up its
					// origin chain (D27): the addresses install checks before the clone. A path
					// that holds no repository has no origin; one whose origin cannot be read
					// fails here as install would, rather than showing "not blacklisted".
					const local =
						sourceKind(query) === 'local' && (await git.repositoryDir(query)) !== undefined;
					const chain = local ? await localOrigins(query, git, realPath) : { addresses: [] };
					const verdict = blacklistVerdictAt(
						{ blacklist },
						[typed, query, ...chain.addresses],
						{},
						'skip',
					);
					if (output.json) {
						output.result({
							ok: true,
							query: typed,
							registered: false,
							trust: 'unregistered',
							blacklisted: blacklistMarkOf(verdict),
							registry: registryJson(loaded),
						} satisfies InfoUnregisteredJson);
						return;
					}
					output.line(`${safe(typed)} is not in the registry.`);
					output.line(
						`  Trust: ${trustText('unregistered', output.style)} — install only from a source you trust completely.`,
					);
					output.line(
						verdict.blocked
							? `  ${output.style.red(`Blacklisted: ${safe(verdict.reason)}`)}`
							: '  Blacklist: not blacklisted by URL (its UUID is checked at install)',
					);
					for (const line of blockDetailLines(verdict, '    ')) output.line(line);
					return;
				}
				throw notFound(typed, loaded);
			}
			const { plugin, matchedBy } = found;
			const verdict = blacklist.check({ url: plugin.gitUrl, uuid: plugin.uuid });
			const redirected = matchedBy === 'redirect_url' || matchedBy === 'redirect_uuid';
			const refs = await remoteRefs(
				{ url: plugin.gitUrl, entry: plugin, listedBy: { registryIsLocal: loaded.local } },
				{ offline: options.offline === true, blacklisted: verdict.blocked },
				io,
				profile,
			);
			if (output.json) {
				output.result({
					ok: true,
					query: typed,
					matchedBy,
					registered: true,
					plugin: registryEntryJson(plugin, verdict, loaded.signed),
					...remoteRefsJson(refs),
					registry: registryJson(loaded),
				} satisfies InfoRegisteredJson);
				return;
			}
			printRegistryEntry(
				plugin,
				output,
				{ locale: options.locale, signedRegistry: loaded.signed },
				() => printRemoteRefs(output, refs),
			);
			if (redirected) {
				output.line(
					output.style.yellow(
						`  Note: "${safe(typed)}" is an old ${matchedBy === 'redirect_url' ? 'address' : 'UUID'} of this plugin. Trust belongs to its current URL; install from ${safe(plugin.gitUrl)}.`,
					),
				);
			}
			output.line(
				verdict.blocked
					? `  ${output.style.red(`Blacklisted (${verdict.severity}): ${safe(verdict.reason)}`)}`
					: `  Blacklist:    not blacklisted`,
			);
			for (const line of blockDetailLines(verdict, '    ')) output.line(line);
			output.line(
				output.style.dim(`  Registry:     ${safe(loaded.source)} (${registryTrustLabel(loaded)})`),
			);
		});
}

function notFound(query: string, loaded: LoadedRegistry): VouchError<InfoErrorCode> {
	const suggestions = closestNames(
		query,
		loaded.registry.plugins.map((plugin) => plugin.id),
	);
	return new VouchError<InfoErrorCode>(
		'PLUGIN_NOT_FOUND',
		`No plugin "${safe(query, { maxLength: 200 })}" in the registry.`,
		{
			hint: didYouMean(suggestions) ?? 'Try "vouch search <text>" or "vouch browse".',
			details: { query, suggestions },
		},
	);
}

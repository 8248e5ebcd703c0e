/** `vouch browse [--trust L,...] [--category C]`: the registry's plugins, best trust first. */
import type { Command } from '@commander-js/extra-typings';
import { compileBlacklist } from '@vouch/library/internal/blacklist/index';
import { listPlugins } from '@vouch/library/internal/registry/query';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import {
	loadRegistry,
	printRegistryWarnings,
	profileFor,
	registryJson,
	registryTrustLabel,
	urlContextFor,
} from '../context.ts';
import type { BrowseJson } from '../json/browse.ts';
import { createOutput } from '../output.ts';
import { pluginJson, pluginRow } from '../plugin-view.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import { categoryOption, localeOption, parseTrustFilter, trustOption } from './filters.ts';

export function registerBrowse(program: Command, { io }: CommandContext): void {
	program
		.command('browse')
		.description('list the plugins in the registry with their trust level')
		.addOption(trustOption())
		.addOption(categoryOption())
		.addOption(localeOption())
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (options) => {
			const trust = parseTrustFilter(options.trust);
			const output = createOutput(io, options.json === true);
			const profile = profileFor(options, io);
			const loaded = await loadRegistry(options, profile, io, output);
			printRegistryWarnings(loaded, output);
			const blacklist = compileBlacklist(loaded.registry.blacklist, urlContextFor(profile, io));
			const plugins = listPlugins(loaded.registry, {
				...(trust === undefined ? {} : { trust }),
				...(options.category === undefined ? {} : { category: options.category }),
			});
			const rows = plugins.map((plugin) => ({
				plugin,
				verdict: blacklist.check({ url: plugin.gitUrl, uuid: plugin.uuid }),
			}));
			if (output.json) {
				output.result({
					ok: true,
					registry: registryJson(loaded),
					plugins: rows.map((row) => pluginJson(row.plugin, row.verdict, loaded.signed)),
				} satisfies BrowseJson);
				return;
			}
			output.line(
				output.style.dim(
					`${rows.length} plugin(s) from ${safe(loaded.source)} (${registryTrustLabel(loaded)} registry)`,
				),
			);
			for (const row of rows) {
				for (const line of pluginRow(
					row.plugin,
					row.verdict,
					output.style,
					options.locale,
					loaded.signed,
				)) {
					output.line(line);
				}
			}
		});
}

/** `vouch search <text>`: find registry plugins by id, name or description. */
import type { Command } from '@commander-js/extra-typings';
import { compileBlacklist } from '@vouch/library/internal/blacklist/index';
import { searchPlugins } from '@vouch/library/internal/registry/query';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import {
	loadRegistry,
	printRegistryWarnings,
	profileFor,
	registryJson,
	urlContextFor,
} from '../context.ts';
import type { SearchJson } from '../json/browse.ts';
import { createOutput } from '../output.ts';
import { pluginJson, pluginRow } from '../plugin-view.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import { categoryOption, localeOption, parseTrustFilter, trustOption } from './filters.ts';

export function registerSearch(program: Command, { io }: CommandContext): void {
	program
		.command('search')
		.description('search the registry by id, name or description')
		.argument('<text>', 'what to look for (case-insensitive)')
		.addOption(trustOption())
		.addOption(categoryOption())
		.addOption(localeOption())
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (text, options) => {
			const trust = parseTrustFilter(options.trust);
			const output = createOutput(io, options.json === true);
			const profile = profileFor(options, io);
			const loaded = await loadRegistry(options, profile, io, output);
			printRegistryWarnings(loaded, output);
			const blacklist = compileBlacklist(loaded.registry.blacklist, urlContextFor(profile, io));
			const plugins = searchPlugins(loaded.registry, text, {
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
					query: text,
					registry: registryJson(loaded),
					plugins: rows.map((row) => pluginJson(row.plugin, row.verdict, loaded.signed)),
				} satisfies SearchJson);
				return;
			}
			if (rows.length === 0) {
				output.line(`No plugin matches "${safe(text)}".`);
				return;
			}
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

/** `vouch registry plugin list | show`: the registry file's plugins, read as Vouch reads them. */
import { type Command, Option } from '@commander-js/extra-typings';
import { findPlugin } from '@vouch/library/internal/registry/edit/plan';
import { checkTrustLevel } from '@vouch/library/internal/registry/edit/plugin-entry';
import { jsonOption, profileOption } from '../common-options.ts';
import type { CliIO } from '../io.ts';
import type { RegistryPluginListJson, RegistryPluginShowJson } from '../json/registry-edit.ts';
import { createOutput } from '../output.ts';
import { safe } from '../style.ts';
import { openRegistryFile, registryFileOption } from './registry-edit-session.ts';

export function registerRegistryPluginViews(plugin: Command, io: CliIO): void {
	plugin
		.command('list')
		.description("list the registry file's plugins")
		.addOption(registryFileOption())
		.addOption(new Option('--trust <level>', 'only this trust level').argParser(checkTrustLevel))
		.option('--category <category>', 'only plugins in this category')
		.option('--verbose', 'also print URL, UUID and categories')
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const plugins = session.registry.plugins.filter(
				(p) =>
					(options.trust === undefined || p.trustLevel === options.trust) &&
					(options.category === undefined || p.categories.includes(options.category)),
			);
			if (output.json) {
				output.result({
					ok: true,
					file: session.path,
					count: plugins.length,
					plugins: plugins.map((p) => ({
						id: p.id,
						uuid: p.uuid,
						name: p.name,
						trust: p.trustLevel,
						gitUrl: p.gitUrl,
						categories: p.categories,
					})),
				} satisfies RegistryPluginListJson);
				return;
			}
			for (const p of plugins) {
				output.line(`${output.style.bold(safe(p.id))}  ${p.trustLevel}  ${safe(p.name)}`);
				if (options.verbose === true) {
					output.line(`  ${safe(p.gitUrl)}`);
					output.line(`  uuid ${safe(p.uuid)}  categories ${safe(p.categories.join(', ') || '—')}`);
				}
			}
			output.line(output.style.dim(`${plugins.length} plugin(s)`));
		});

	plugin
		.command('show')
		.description('show one plugin entry as the file has it')
		.argument('<id>', 'the plugin id')
		.addOption(registryFileOption())
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (id, options) => {
			const output = createOutput(io, options.json === true);
			const session = await openRegistryFile(options, io);
			const { entry } = findPlugin(session.context, id);
			const parsed = session.registry.plugins.find((p) => p.id === id);
			const trust = parsed?.trustLevel ?? 'community';
			if (output.json) {
				output.result({
					ok: true,
					file: session.path,
					id,
					trust,
					entry,
				} satisfies RegistryPluginShowJson);
				return;
			}
			output.line(`${output.style.bold(safe(id))} (${trust})`);
			for (const [key, value] of Object.entries(entry)) {
				const text = typeof value === 'string' ? value : JSON.stringify(value);
				output.line(`  ${safe(key)}: ${safe(text, { maxLength: 500 })}`);
			}
		});
}

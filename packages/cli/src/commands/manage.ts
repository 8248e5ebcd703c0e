/** `vouch uninstall`, `vouch enable` and `vouch disable`. */
import { join } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { disablePlugin, enablePlugin } from '@vouch/library/internal/lifecycle/enablement';
import { uninstallPlugin } from '@vouch/library/internal/lifecycle/uninstall';
import { resolveTrust } from '@vouch/library/internal/registry/trust';
import { pluginNameLabel } from '@vouch/library/internal/registry/trust-display';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import type { EnablementJson, UninstallJson } from '../json/install.ts';
import { type LifecycleContext, lifecycleContext } from '../lifecycle-context.ts';
import { createOutput } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import { installedJson } from './installed-view.ts';

export function registerManage(program: Command, { io }: CommandContext): void {
	program
		.command('uninstall')
		.alias('rm')
		.description('remove an installed plugin (settings and data stay unless --purge)')
		.argument('<plugin>', 'name, UUID, registry id or source URL of an installed plugin')
		.option('--purge', "also delete the plugin's settings and data")
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (target, options) => {
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output, { registry: false });
			const result = await uninstallPlugin(
				target,
				{ purge: options.purge === true },
				{
					store: context.store,
					files: context.files,
					pluginDataDirs: [
						join(context.profile.configDir, 'plugins'),
						join(context.profile.dataDir, 'plugin-data'),
					],
					cwd: io.cwd,
					home: context.home,
					caseInsensitivePathHosts: context.profile.caseInsensitivePathHosts,
				},
			);
			if (output.json) {
				output.result({
					ok: true,
					uuid: result.plugin.uuid,
					name: result.plugin.name,
					filesRemoved: result.filesRemoved,
					purged: result.purged,
				} satisfies UninstallJson);
				return;
			}
			output.line(`${output.style.green('✓')} Uninstalled ${pluginNameLabel(result.plugin.name)}`);
			if (!result.filesRemoved) {
				output.line(
					result.plugin.state === 'quarantined'
						? '  its quarantined files are kept as evidence'
						: `  its local directory stays at ${safe(result.plugin.directory)}`,
				);
			}
			if (!options.purge) output.line('  settings and data kept; --purge removes them');
		});

	program
		.command('enable')
		.description('enable an installed plugin (never a blacklisted one)')
		.argument('<plugin>', 'name, UUID, registry id or source URL of an installed plugin')
		.option(
			'-y, --yes',
			'enable a soft-blacklisted plugin after showing the reason, or bring one back from quarantine once its block is lifted',
		)
		.option('--allow-stale-blacklist', 'DANGEROUS: enable without a fresh blacklist')
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (target, options) => {
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output);
			const plugin = await enablePlugin(
				target,
				{ yes: options.yes === true, allowStaleBlacklist: options.allowStaleBlacklist === true },
				enablementDeps(context, io.now, io.cwd),
			);
			report(output, context, plugin, true);
		});

	program
		.command('disable')
		.description('disable an installed plugin; its files stay')
		.argument('<plugin>', 'name, UUID, registry id or source URL of an installed plugin')
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (target, options) => {
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output, { registry: false });
			const plugin = await disablePlugin(target, enablementDeps(context, io.now, io.cwd));
			report(output, context, plugin, false);
		});
}

function enablementDeps(context: LifecycleContext, now: () => Date, cwd: string) {
	return {
		store: context.store,
		snapshot: context.snapshot,
		hostApiVersions: context.profile.apiVersions,
		prompter: context.prompter,
		reporter: context.reporter,
		now,
		cwd,
		home: context.home,
		caseInsensitivePathHosts: context.profile.caseInsensitivePathHosts,
		files: context.files,
	};
}

function report(
	output: ReturnType<typeof createOutput>,
	context: LifecycleContext,
	plugin: Parameters<typeof installedJson>[0],
	enabled: boolean,
): void {
	if (output.json) {
		const { index } = context.snapshot;
		// `disable` reads no registry (it must work offline): its trust is then unknown.
		const trust =
			index === undefined
				? null
				: resolveTrust(index, { url: plugin.source.url, uuid: plugin.uuid }).level;
		output.result({
			ok: true,
			plugin: installedJson(plugin, context.files, enabled, { index, trust }),
		} satisfies EnablementJson);
		return;
	}
	output.line(
		`${output.style.green('✓')} ${enabled ? 'Enabled' : 'Disabled'} ${pluginNameLabel(plugin.name)}`,
	);
}

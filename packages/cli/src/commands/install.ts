/**
 * `vouch install <id|url|path>`: the install pipeline of the lifecycle, with the CLI's
 * prompts, progress and output. Exit codes (D16): 3 blacklisted, 130 declined.
 */
import type { Command } from '@commander-js/extra-typings';
import { installPlugin } from '@vouch/library/internal/lifecycle/install';
import { pluginNameLabel, TRUST_DISPLAY } from '@vouch/library/internal/registry/trust-display';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import type { InstallJson } from '../json/install.ts';
import { lifecycleContext, pluginWorkDeps } from '../lifecycle-context.ts';
import { createOutput } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import { installedJson, releaseLabel } from './installed-view.ts';

export function registerInstall(program: Command, { io }: CommandContext): void {
	program
		.command('install')
		.alias('i')
		.description('install a plugin from the registry, a git URL or a local directory')
		.argument('<plugin>', 'registry id or UUID, git URL, or local directory (./path)')
		.option('--ref <ref>', 'branch, tag or full commit id to install')
		.option('--pre', 'allow pre-release version tags')
		.option('--reinstall', 'fetch and install again, replacing the installed copy')
		.option('--force-blacklisted', 'DANGEROUS: install even if the blacklist blocks it')
		.option('--allow-insecure-transport', 'allow http:// and git:// sources')
		.option('--allow-stale-blacklist', 'DANGEROUS: install without a fresh blacklist')
		.option('-y, --yes', 'answer yes to the prompt (warnings are still shown)')
		.option('--accept-findings', 'install despite high-severity scan findings (--yes does not)')
		.option(
			'--accept-impersonation',
			'install although it may impersonate a registered plugin (--yes does not)',
		)
		.option('--no-enable', 'install without enabling')
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (target, options) => {
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output);
			try {
				const result = await installPlugin(
					{
						target,
						...(options.ref === undefined ? {} : { ref: options.ref }),
						pre: options.pre === true,
						reinstall: options.reinstall === true,
						forceBlacklisted: options.forceBlacklisted === true,
						allowInsecureTransport: options.allowInsecureTransport === true,
						allowStaleBlacklist: options.allowStaleBlacklist === true,
						yes: options.yes === true,
						enable: options.enable !== false,
						acceptFindings: options.acceptFindings === true,
						acceptImpersonation: options.acceptImpersonation === true,
					},
					pluginWorkDeps(context, io, options.allowInsecureTransport === true),
				);
				context.reporter.done();
				const { plugin } = result;
				if (output.json) {
					output.result({
						ok: true,
						reinstalled: result.reinstalled,
						plugin: installedJson(plugin, context.files, result.enabled, {
							index: context.snapshot.index,
							trust: result.trust.level,
						}),
					} satisfies InstallJson);
					return;
				}
				const display = TRUST_DISPLAY[result.trust.level];
				const where =
					plugin.source.refType === 'local'
						? 'in place'
						: `${safe(plugin.source.ref ?? 'default branch')} @ ${(plugin.source.commit ?? '').slice(0, 7)}`;
				output.line(
					`${output.style.green('✓')} ${result.reinstalled ? 'Reinstalled' : 'Installed'} ${display.badge} ${display.label} plugin ${pluginNameLabel(plugin.name)} (${where})`,
				);
				output.line(`  ${safe(context.files.pathOf(plugin))}`);
				const release = releaseLabel(plugin);
				if (release !== undefined) output.line(`  ${release}`);
				// The scan was on the consent screen already; `vouch info` shows it again.
				output.line(result.enabled ? '  enabled' : '  not enabled: run `vouch enable` to use it');
			} finally {
				context.reporter.done();
			}
		});
}

/**
 * `vouch list`: every installed plugin with its trust now (D6, impersonation flagged), its
 * blacklist state, where it came from, and the update the last `check-updates` found.
 */
import type { Command } from '@commander-js/extra-typings';
import { installedNames, registryIdOf } from '@vouch/library/internal/lifecycle/installed';
import { describeVersion } from '@vouch/library/internal/lifecycle/update';
import { readUpdateCache } from '@vouch/library/internal/lifecycle/update-cache';
import { blacklistVerdictAt, installedAddresses } from '@vouch/library/internal/lifecycle/verdicts';
import { installedVersionFacts } from '@vouch/library/internal/lifecycle/version-facts';
import { resolveTrust } from '@vouch/library/internal/registry/trust';
import { pluginNameLabel, TRUST_DISPLAY } from '@vouch/library/internal/registry/trust-display';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import type { ListJson } from '../json/list.ts';
import { lifecycleContext } from '../lifecycle-context.ts';
import { createOutput } from '../output.ts';
import { blacklistMarkOf, blockDetailLines } from '../plugin-view.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';
import { installedJson, releaseLabel, scanLabel } from './installed-view.ts';

export function registerList(program: Command, { io }: CommandContext): void {
	program
		.command('list')
		.alias('ls')
		.description('list installed plugins with trust, blacklist state and known updates')
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output);
			// A crash between moving files and writing the state is settled before it is shown.
			if (await context.store.hasInterruptedWork()) await context.store.recover();
			const state = await context.store.read();
			const updates = await readUpdateCache(context.profile.cacheDir);
			const names = installedNames(state, {
				cwd: io.cwd,
				home: context.home,
				caseInsensitivePathHosts: context.profile.caseInsensitivePathHosts,
				index: context.snapshot.index,
			});
			const rows = Object.values(state.plugins)
				.sort((a, b) => a.name.localeCompare(b.name))
				.map((plugin) => {
					const trust = resolveTrust(context.snapshot.index, {
						url: plugin.source.url,
						uuid: plugin.uuid,
					});
					// Every address it answers for, as the startup check asks (D27).
					const verdict = blacklistVerdictAt(context.snapshot, installedAddresses(plugin), {
						uuid: plugin.uuid,
						...installedVersionFacts(plugin, context.snapshot.index),
					});
					return {
						plugin,
						// The word that addresses it in every other command.
						id: names.addressOf(plugin),
						registryId: registryIdOf(plugin, context.snapshot.index),
						trust,
						verdict,
						enabled: state.enabled.includes(plugin.uuid),
						update: updates[plugin.uuid],
					};
				});
			if (output.json) {
				output.result({
					ok: true,
					registry: {
						available: context.snapshot.index !== undefined,
						signed: context.snapshot.signed,
						source: context.snapshot.source ?? null,
						blacklistFreshness: context.snapshot.freshness.state,
					},
					plugins: rows.map((row) => ({
						...installedJson(row.plugin, context.files, row.enabled, {
							index: context.snapshot.index,
							trust: context.snapshot.index === undefined ? null : row.trust.level,
						}),
						// The registry id, worked out for a local clone of a registered plugin too.
						id: row.registryId ?? null,
						handle: row.id,
						impersonation: row.trust.impersonation?.reason ?? null,
						blacklisted: blacklistMarkOf(row.verdict),
						update: row.update ?? null,
					})),
				} satisfies ListJson);
				return;
			}
			if (rows.length === 0) {
				output.line('No plugins installed. Find some with `vouch search <text>`.');
				return;
			}
			for (const row of rows) {
				const level =
					context.snapshot.index === undefined ? row.plugin.trustAtInstall : row.trust.level;
				const display = TRUST_DISPLAY[level];
				const status =
					row.plugin.state === 'quarantined' ? 'quarantined' : row.enabled ? 'enabled' : 'disabled';
				// Vouch's badge first, then the author's quoted name; the id is what to type.
				output.line(
					`${display.badge} ${display.label.padEnd(12)} ${pluginNameLabel(row.plugin.name)}  id ${output.style.bold(safe(row.id))}  ${describeVersion(row.plugin)}  [${status}]`,
				);
				output.line(output.style.dim(`    ${safe(row.plugin.source.url)}  ${row.plugin.uuid}`));
				if (row.trust.impersonation !== undefined)
					output.line(
						`    ${output.style.red('POSSIBLE IMPERSONATION:')} ${safe(row.trust.impersonation.reason)}`,
					);
				if (row.verdict.blocked) {
					output.line(
						`    ${output.style.red('blacklisted:')} ${safe(row.verdict.reason)} (${row.verdict.severity})`,
					);
					for (const line of blockDetailLines(row.verdict, '      ')) output.line(line);
				}
				const release = releaseLabel(row.plugin);
				if (release !== undefined) output.line(`    ${release}`);
				// Only what calls for attention; `vouch info` shows the whole summary.
				const scan = row.plugin.scan;
				if (scan !== undefined && (scan.high > 0 || scan.failed === true || scan.skipped > 0)) {
					output.line(`    ${output.style.yellow(scanLabel(row.plugin) ?? '')}`);
				}
				if (row.plugin.disabledReason !== undefined)
					output.line(`    disabled: ${safe(row.plugin.disabledReason.reason)}`);
				if (row.update !== undefined)
					output.line(`    update available: ${safe(row.update.from)} -> ${safe(row.update.to)}`);
			}
			if (context.snapshot.index === undefined)
				output.note('warning: no registry: trust shown is the level recorded at install.');
		});
}

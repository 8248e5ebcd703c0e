/** `vouch clean`, `vouch doctor` and `vouch startup-check`. */

import type { Command } from '@commander-js/extra-typings';
import { ExitCode } from '@vouch/library/internal/core/errors';
import { blockNoticeLines } from '@vouch/library/internal/lifecycle/blocked-notice';
import { startupFiles } from '@vouch/library/internal/lifecycle/host';
import { cleanLeftovers, diagnose } from '@vouch/library/internal/lifecycle/maintenance';
import { checkInstalledPlugins } from '@vouch/library/internal/lifecycle/startup-check';
import { digestTree } from '@vouch/library/internal/lifecycle/store/index';
import { pluginNameLabel } from '@vouch/library/internal/registry/trust-display';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import type { CleanJson, DoctorJson } from '../json/maintenance.ts';
import { STARTUP_CHECK_SCHEMA_VERSION, type StartupCheckJson } from '../json/startup-check.ts';
import { lifecycleContext } from '../lifecycle-context.ts';
import { createOutput } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';

export function registerMaintenance(program: Command, { io, state }: CommandContext): void {
	program
		.command('clean')
		.description('finish or roll back interrupted work and remove its leftovers')
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output, { registry: false });
			const report = await cleanLeftovers({
				store: context.store,
				files: context.files,
				dataDir: context.profile.dataDir,
				cacheDir: context.profile.cacheDir,
				now: io.now,
			});
			if (output.json) {
				output.result({ ok: true, ...report } satisfies CleanJson);
				return;
			}
			for (const action of report.recovered) {
				output.line(`  interrupted change to ${action.uuid}: ${action.outcome}`);
			}
			for (const path of report.removed) output.line(`  removed ${safe(path)}`);
			for (const item of report.kept) {
				output.line(
					'pid' in item
						? `  kept ${safe(item.path)}: vouch process ${item.pid} is still using it`
						: `  kept ${safe(item.path)}: it may be a download in progress until ${item.removableAt}`,
				);
			}
			const total = report.recovered.length + report.removed.length + report.tempFiles;
			output.line(
				total > 0
					? `${output.style.green('✓')} Cleaned ${total} item(s).`
					: report.kept.length > 0
						? 'Nothing can be cleaned yet.'
						: 'Nothing to clean.',
			);
		});

	program
		.command('doctor')
		.description(
			'report a stale blacklist, broken patterns, changed files and orphans (exit 1 if any)',
		)
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output);
			const findings = await diagnose({
				store: context.store,
				files: context.files,
				snapshot: context.snapshot,
				digest: (dir) => digestTree(dir),
				dataDir: context.profile.dataDir,
				now: io.now,
			});
			if (findings.length > 0) state.exitCode = ExitCode.error;
			if (output.json) {
				output.result({ ok: findings.length === 0, findings } satisfies DoctorJson);
				return;
			}
			if (findings.length === 0) output.line(`${output.style.green('✓')} No problems found.`);
			for (const finding of findings)
				output.line(`${output.style.yellow('!')} ${safe(finding.message)}`);
		});

	program
		.command('startup-check')
		.description(
			'what a host runs at start: disable blacklisted plugins, check files and freshness',
		)
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (options) => {
			const output = createOutput(io, options.json === true);
			const context = await lifecycleContext(options, io, output);
			const report = await checkInstalledPlugins({
				store: context.store,
				snapshot: context.snapshot,
				hostApiVersions: context.profile.apiVersions,
				files: startupFiles(context.files),
				now: io.now,
			});
			if (output.json) {
				output.result({
					ok: true,
					schemaVersion: STARTUP_CHECK_SCHEMA_VERSION,
					...report,
				} satisfies StartupCheckJson);
				return;
			}
			for (const warning of report.warnings) output.note(`warning: ${safe(warning)}`);
			for (const item of report.disabled) {
				const severity = item.severity === undefined ? '' : ` (${item.severity} block)`;
				output.line(
					`${output.style.red('disabled')} ${pluginNameLabel(item.name)}${severity}: ${safe(item.reason)}`,
				);
				for (const line of blockNoticeLines(item)) output.line(`  ${safe(line)}`);
				if (item.severity === 'soft') {
					output.line(
						`  You may enable it again after reading this: vouch enable ${safe(item.uuid)}`,
					);
				}
			}
			for (const item of report.quarantined)
				output.line(
					`${output.style.red('quarantined')} ${pluginNameLabel(item.name)} -> ${safe(item.path)}`,
				);
			for (const item of report.heldBack)
				output.line(
					`${output.style.yellow('held back')} ${pluginNameLabel(item.name)}: ${safe(item.reason)}`,
				);
			for (const item of report.removed)
				output.line(`removed ${pluginNameLabel(item.name)}: ${safe(item.reason)}`);
			output.line(
				`${report.load.length} plugin(s) may load: ${report.load.map((item) => item.name).join(', ') || 'none'}`,
			);
		});
}

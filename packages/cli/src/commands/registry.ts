/**
 * `vouch registry ...`: tools for registry maintainers. `lint` here: every D9 (redirect
 * integrity) and D11 (transport) rule, duplicates, and patterns RE2 cannot run. Signing lives in
 * `registry-signing.ts`, pinning reviewed releases in `registry-pin.ts`, and the editing
 * commands of Picard's registry tool in `registry-plugin.ts`, `registry-ref.ts`,
 * `registry-blacklist.ts` and `registry-stats.ts`.
 */
import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { ExitCode } from '@vouch/library/internal/core/errors';
import { type LintIssue, lintRegistry } from '@vouch/library/internal/registry/lint';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { jsonOption, profileOption } from '../common-options.ts';
import { profileFor, urlContextFor } from '../context.ts';
import type { RegistryLintJson } from '../json/registry-lint.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { readRegistryFile } from '../registry-file.ts';
import { safe } from '../style.ts';
import { registerRegistryBlacklist } from './registry-blacklist.ts';
import { registerRegistryDiff } from './registry-diff.ts';
import { registerRegistryHunt } from './registry-hunt.ts';
import { registerRegistryLog } from './registry-log.ts';
import { registerRegistryPin } from './registry-pin.ts';
import { registerRegistryPlugin } from './registry-plugin.ts';
import { registerRegistryRef } from './registry-ref.ts';
import { registerRegistryReview } from './registry-review.ts';
import { registerRegistrySigning } from './registry-signing.ts';
import { registerRegistryStats } from './registry-stats.ts';
import { registerRegistryValidate } from './registry-validate.ts';

export function registerRegistry(program: Command, { io, state }: CommandContext): void {
	const registry = program.command('registry').description('tools for registry maintainers');
	registerRegistrySigning(registry as unknown as Command, { io, state });
	registerRegistryPin(registry as unknown as Command, { io, state });
	registerRegistryValidate(registry as unknown as Command, { io, state });
	registerRegistryDiff(registry as unknown as Command, { io, state });
	registerRegistryReview(registry as unknown as Command, { io, state });
	registerRegistryPlugin(registry as unknown as Command, { io, state });
	registerRegistryRef(registry as unknown as Command, { io, state });
	registerRegistryBlacklist(registry as unknown as Command, { io, state });
	registerRegistryStats(registry as unknown as Command, { io, state });
	registerRegistryLog(registry as unknown as Command, { io, state });
	registerRegistryHunt(registry as unknown as Command, { io, state });
	registry
		.command('lint')
		.description('check a registry file: redirects, transports, duplicates, patterns, blacklist')
		.argument('<file>', 'a plugins.toml or registry JSON file')
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (file, options) => {
			const output = createOutput(io, options.json === true);
			const profile = profileFor(options, io);
			const path = resolve(io.cwd, file);
			const text = await readRegistryFile(path, { cwd: io.cwd });
			const parsed = parseRegistryText(text, { label: path, ...urlContextFor(profile, io) });
			const report = lintRegistry(parsed, { categories: profile.categories });
			const ok = report.errors.length === 0;
			if (output.json) {
				output.result({
					ok,
					file: path,
					pluginCount: parsed.plugins.length,
					blacklistCount: parsed.blacklist.length,
					...report,
				} satisfies RegistryLintJson);
			} else {
				printReport(path, parsed.plugins.length, parsed.blacklist.length, report, output);
			}
			if (!ok) state.exitCode = ExitCode.error;
		});
}

function issueLine(issue: LintIssue, output: Output): string {
	const where = issue.plugin === undefined ? '' : `${output.style.bold(safe(issue.plugin))}: `;
	return `${where}${safe(issue.message)} ${output.style.dim(`[${issue.code}]`)}`;
}

function printReport(
	path: string,
	plugins: number,
	entries: number,
	report: { errors: LintIssue[]; warnings: LintIssue[] },
	output: Output,
): void {
	const { style } = output;
	for (const issue of report.errors) output.line(`${style.red('✗')} ${issueLine(issue, output)}`);
	for (const issue of report.warnings)
		output.line(`${style.yellow('!')} ${issueLine(issue, output)}`);
	const summary = `${plugins} plugin(s), ${entries} blacklist entr${entries === 1 ? 'y' : 'ies'}`;
	if (report.errors.length === 0) {
		output.line(`${style.green('✓')} ${safe(path)}: registry is valid (${summary})`);
	} else {
		output.line(
			`${style.red('✗')} ${safe(path)}: ${report.errors.length} error(s), ${report.warnings.length} warning(s) (${summary})`,
		);
	}
}

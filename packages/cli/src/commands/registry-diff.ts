/**
 * `vouch registry diff <old> <new>`: what a reviewer of a registry change must see, changes that
 * lower security first and marked. Exits 0 whatever changed; `--fail-on-lowering` exits 1 when a
 * change lowers security, for CI.
 */
import { resolve } from 'node:path';
import { type Command, Option } from '@commander-js/extra-typings';
import { ExitCode } from '@vouch/library/internal/core/errors';
import { blacklistIdsOf } from '@vouch/library/internal/registry/diff/blacklist-ids';
import type { DiffChange } from '@vouch/library/internal/registry/diff/changes';
import { type DiffSide, diffRegistries } from '@vouch/library/internal/registry/diff/diff';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { jsonOption, profileOption } from '../common-options.ts';
import { profileFor, urlContextFor } from '../context.ts';
import type { CliIO } from '../io.ts';
import type { RegistryDiffJson } from '../json/registry-diff.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { readRegistryFile } from '../registry-file.ts';
import { safe } from '../style.ts';

export const LOWERS_SECURITY_MARK = '▲ LOWERS SECURITY';

export function registerRegistryDiff(registry: Command, { io, state }: CommandContext): void {
	registry
		.command('diff')
		.description('what changed between two registry files, security-lowering changes first')
		.argument('<old>', 'the registry before (plugins.toml or registry JSON)')
		.argument('<new>', 'the registry after')
		.addOption(new Option('--fail-on-lowering', 'exit 1 when any change lowers security (for CI)'))
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (oldFile, newFile, options) => {
			const output = createOutput(io, options.json === true);
			const profile = profileFor(options, io);
			const urlContext = urlContextFor(profile, io);
			// Relative local paths in both files are read against one directory, so the same
			// text means the same repository on both sides.
			const before = await readSide(io, oldFile, urlContext);
			const after = await readSide(io, newFile, urlContext);
			const diff = diffRegistries(before.side, after.side, urlContext);
			const warnings = [...before.warnings, ...after.warnings];
			const failed = options.failOnLowering === true && diff.lowering > 0;
			if (output.json) {
				output.result({
					ok: !failed,
					old: before.path,
					new: after.path,
					changeCount: diff.changes.length,
					loweringCount: diff.lowering,
					changes: diff.changes,
					warnings,
				} satisfies RegistryDiffJson);
			} else {
				printDiff(diff.changes, diff.lowering, warnings, output);
			}
			if (failed) state.exitCode = ExitCode.error;
		});
}

async function readSide(
	io: CliIO,
	file: string,
	urlContext: ReturnType<typeof urlContextFor>,
): Promise<{ path: string; side: DiffSide; warnings: string[] }> {
	const path = resolve(io.cwd, file);
	const text = await readRegistryFile(path, { cwd: io.cwd });
	const registry = parseRegistryText(text, { label: path, ...urlContext });
	// A skipped entry would read as a removed plugin: say so, so it is never mistaken for one.
	const warnings = registry.warnings
		.filter((warning) => warning.code === 'PLUGIN_SKIPPED' || warning.code === 'WARNINGS_TRUNCATED')
		.map((warning) => `${safe(path)}: ${warning.message}`);
	return { path, side: { registry, blacklistIds: blacklistIdsOf(text, path) }, warnings };
}

function subject(change: DiffChange): string {
	if (change.plugin !== undefined) {
		return change.oldPlugin === undefined
			? safe(change.plugin)
			: `${safe(change.plugin)} (was ${safe(change.oldPlugin)})`;
	}
	if (change.entryId !== undefined) return `blacklist "${safe(change.entryId)}"`;
	return change.entry === undefined ? 'blacklist' : `blacklist #${change.entry}`;
}

function printDiff(
	changes: readonly DiffChange[],
	lowering: number,
	warnings: readonly string[],
	output: Output,
): void {
	const { style } = output;
	for (const warning of warnings) output.warn(`warning: ${safe(warning)}`);
	if (changes.length === 0) {
		output.line('No changes.');
		return;
	}
	for (const change of changes) {
		const head = `${style.bold(subject(change))}: ${safe(change.message)} ${style.dim(`[${change.kind}]`)}`;
		if (change.lowersSecurity) {
			output.line(`${style.red(style.bold(LOWERS_SECURITY_MARK))} ${head}`);
			if (change.why !== undefined) output.line(`    ${style.red(safe(change.why))}`);
		} else {
			output.line(`  ${head}`);
		}
	}
	output.line();
	output.line(
		`${changes.length} change(s), ${lowering === 0 ? 'none lowers security' : style.red(`${lowering} lower(s) security`)}`,
	);
}

/** `vouch validate <dir|MANIFEST.toml>`: checks a plugin's manifest, listing every problem. */
import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { ExitCode } from '@vouch/library/internal/core/errors';
import type { ManifestIssue, ManifestResult } from '@vouch/library/internal/manifest/index';
import { readManifest } from '@vouch/library/internal/manifest/index';
import { jsonOption, profileOption } from '../common-options.ts';
import { profileFor } from '../context.ts';
import type { ValidateJson } from '../json/validate.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { safe } from '../style.ts';

export function registerValidate(program: Command, { io, state }: CommandContext): void {
	program
		.command('validate')
		.description('check a plugin MANIFEST.toml and report every problem at once')
		.argument('<path>', 'a plugin directory or a MANIFEST.toml file')
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (path, options) => {
			const output = createOutput(io, options.json === true);
			const profile = profileFor(options, io);
			const result = await readManifest(resolve(io.cwd, path), {
				categories: profile.categories,
			});
			const valid = result.errors.length === 0;
			if (output.json) {
				output.result({ ok: valid, ...result } satisfies ValidateJson);
			} else {
				printResult(result, output);
			}
			if (!valid) state.exitCode = ExitCode.error;
		});
}

function issueLine(issue: ManifestIssue, output: Output): string {
	const field = issue.field === undefined ? '' : `${output.style.bold(safe(issue.field))}: `;
	return `${field}${safe(issue.message)} ${output.style.dim(`[${issue.code}]`)}`;
}

function printResult(result: ManifestResult, output: Output): void {
	const { style } = output;
	const file = safe(result.file);
	if (result.errors.length > 0) {
		const count = result.errors.length;
		output.line(`${style.red('✗')} ${file}: ${count} error${count === 1 ? '' : 's'}`);
		for (const issue of result.errors) output.line(`  • ${issueLine(issue, output)}`);
	} else {
		output.line(`${style.green('✓')} ${file} is valid`);
	}
	for (const issue of result.warnings) {
		output.line(`  ${style.yellow('!')} ${issueLine(issue, output)}`);
	}
	const manifest = result.manifest;
	if (!manifest) return;
	output.line(`  Name:         ${safe(manifest.name)}`);
	output.line(`  UUID:         ${manifest.uuid}`);
	output.line(`  API versions: ${manifest.api.map((v) => safe(v)).join(', ')}`);
	if (manifest.version !== undefined) output.line(`  Version:      ${safe(manifest.version)}`);
	const capabilities = manifest.capabilities;
	if (capabilities.status === 'undeclared') {
		output.line(
			`  Capabilities: ${style.yellow('undeclared')} (the plugin does not say what it needs)`,
		);
	} else {
		const granted = capabilities.granted.length > 0 ? capabilities.granted.join(', ') : 'none';
		output.line(`  Capabilities: ${granted}`);
	}
}

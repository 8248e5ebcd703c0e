/**
 * `vouch registry validate [--registry <file> | <file>]`: every `registry lint` rule, then the
 * checks only the plugins' repositories can answer (refs, manifests and their UUIDs, version
 * tags, pins), fetched with bounded concurrency. `--offline` skips the latter and says which.
 * Picard's own tool takes `--registry <file>`; the positional form matches `registry lint`.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from '@commander-js/extra-typings';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import { createGit } from '@vouch/library/internal/git/git';
import { createRegistryProbe } from '@vouch/library/internal/lifecycle/registry-probe';
import { digestTree } from '@vouch/library/internal/lifecycle/store/digest';
import { anchorLocalPaths } from '@vouch/library/internal/registry/local-paths';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import {
	NETWORK_CHECK_DESCRIPTIONS,
	type ValidateIssue,
} from '@vouch/library/internal/registry/validate/issues';
import {
	DEFAULT_VALIDATE_CONCURRENCY,
	type ValidateReport,
	validateRegistry,
} from '@vouch/library/internal/registry/validate/validate';
import { jsonOption, profileOption } from '../common-options.ts';
import { profileFor, urlContextFor } from '../context.ts';
import type { RegistryValidateJson } from '../json/registry-validate.ts';
import { createOutput, type Output } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { createProgress } from '../progress.ts';
import { readRegistryFile } from '../registry-file.ts';
import { safe } from '../style.ts';

const MAX_CONCURRENCY = 32;

function positiveInt(max: number) {
	return (value: string): number => {
		const n = Number(value);
		if (!Number.isInteger(n) || n < 1 || n > max) {
			throw new InvalidArgumentError(`expected a whole number from 1 to ${max}`);
		}
		return n;
	};
}

export function registerRegistryValidate(registry: Command, { io, state }: CommandContext): void {
	registry
		.command('validate')
		.description(
			'lint a registry file, then check every plugin repository: refs, manifests, version tags, pins',
		)
		.argument('[file]', 'a plugins.toml or registry JSON file (or use --registry <file>)')
		.addOption(new Option('--registry <file>', 'the registry file (as Picard’s tool takes it)'))
		.addOption(new Option('--offline', 'skip the repository checks (the report lists them)'))
		.addOption(
			new Option('--concurrency <n>', `repositories checked at once (1-${MAX_CONCURRENCY})`)
				.argParser(positiveInt(MAX_CONCURRENCY))
				.default(DEFAULT_VALIDATE_CONCURRENCY),
		)
		.addOption(
			new Option('--timeout <seconds>', 'time limit of each git operation')
				.argParser(positiveInt(3600))
				.default(120),
		)
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (file, options) => {
			const output = createOutput(io, options.json === true);
			const given = registryFileOf(file, options.registry);
			const profile = profileFor(options, io);
			const path = resolve(io.cwd, given);
			const text = await readRegistryFile(path, { cwd: io.cwd });
			const urlContext = urlContextFor(profile, io);
			// A registry kept as a local file may list local repositories (D11), read next to it.
			const parsed = anchorLocalPaths(
				parseRegistryText(text, { label: path, ...urlContext }),
				dirname(path),
				urlContext,
			);
			const offline = options.offline === true;
			const progress = createProgress(io, !output.json);
			const git = createGit({ env: io.env, cwd: io.cwd, timeoutMs: options.timeout * 1000 });
			let report: ValidateReport;
			try {
				report = await validateRegistry(parsed, {
					categories: profile.categories,
					transport: { kind: 'registry-git', registryIsLocal: true },
					concurrency: options.concurrency,
					now: () => performance.now(),
					...(offline
						? {}
						: {
								probe: createRegistryProbe({
									git,
									digest: (dir) => digestTree(dir),
									makeTempDir: () => mkdtemp(join(tmpdir(), 'vouch-validate-')),
									removeDir: (dir) => rm(dir, { recursive: true, force: true }),
								}),
							}),
					onPlugin: ({ id, done, total }) =>
						progress.start(`Checking repositories ${done}/${total}: ${safe(id)}`),
				});
			} finally {
				progress.stop();
			}
			const ok = report.errors.length === 0;
			const skippedChecks = report.skippedChecks.map((check) => ({
				check,
				description: NETWORK_CHECK_DESCRIPTIONS[check],
			}));
			if (output.json) {
				output.result({
					ok,
					file: path,
					pluginCount: parsed.plugins.length,
					blacklistCount: parsed.blacklist.length,
					offline: report.offline,
					skippedChecks,
					errors: report.errors,
					warnings: report.warnings,
					plugins: report.plugins.map((p) => ({ ...p, durationMs: Math.round(p.durationMs) })),
				} satisfies RegistryValidateJson);
			} else {
				printReport(path, parsed.plugins.length, report, output);
			}
			if (!ok) state.exitCode = ExitCode.error;
		});
}

function registryFileOf(file: string | undefined, option: string | undefined): string {
	if (file !== undefined && option !== undefined && file !== option) {
		throw new VouchError('USAGE', 'Give the registry file once: as an argument or --registry.', {
			exitCode: ExitCode.usage,
		});
	}
	const chosen = file ?? option;
	if (chosen === undefined) {
		throw new VouchError('USAGE', 'Name the registry file to validate.', {
			hint: 'vouch registry validate plugins.toml (or --registry plugins.toml)',
			exitCode: ExitCode.usage,
		});
	}
	if (/^https?:\/\//i.test(chosen)) {
		throw new VouchError('USAGE', 'registry validate reads a local file, not a URL.', {
			hint: 'Download the registry first, or validate the source file you publish from.',
			exitCode: ExitCode.usage,
		});
	}
	return chosen;
}

function issueLine(issue: ValidateIssue, output: Output): string {
	const where =
		issue.plugin === undefined
			? ''
			: `${output.style.bold(safe(issue.plugin))}${issue.ref === undefined ? '' : ` @ ${safe(issue.ref)}`}: `;
	return `${where}${safe(issue.message)} ${output.style.dim(`[${issue.code}]`)}`;
}

function printReport(path: string, plugins: number, report: ValidateReport, output: Output): void {
	const { style } = output;
	for (const issue of report.errors) output.line(`${style.red('✗')} ${issueLine(issue, output)}`);
	for (const issue of report.warnings) {
		output.line(`${style.yellow('!')} ${issueLine(issue, output)}`);
	}
	if (report.offline) {
		output.line(`${style.yellow('!')} --offline: these checks were skipped:`);
		for (const check of report.skippedChecks) {
			output.line(`    - ${NETWORK_CHECK_DESCRIPTIONS[check]} (${check})`);
		}
	} else if (report.plugins.length > 0) {
		const total = report.plugins.reduce((sum, p) => sum + p.durationMs, 0);
		output.line(
			style.dim(
				`${report.plugins.length} repositor${report.plugins.length === 1 ? 'y' : 'ies'} checked, ${(total / report.plugins.length).toFixed(0)} ms per plugin on average`,
			),
		);
	}
	const scope = report.offline ? 'offline checks' : 'all checks';
	if (report.errors.length === 0) {
		output.line(
			`${style.green('✓')} ${safe(path)}: registry is valid (${plugins} plugin(s), ${scope})`,
		);
	} else {
		output.line(
			`${style.red('✗')} ${safe(path)}: ${report.errors.length} error(s), ${report.warnings.length} warning(s) (${plugins} plugin(s), ${scope})`,
		);
	}
}

/**
 * `vouch scan <dir|installed plugin|git url>`: static analysis of a plugin's code and a check
 * of its declared capabilities (D20, D21). Findings inform; they never stand in for trust, so
 * the exit code is 0 unless `--fail-on` is given. With `--fail-on`, a finding at or above the
 * threshold exits 3: the user's policy blocked the plugin (D16), which CI can tell apart from
 * 1, the scan itself failing.
 */
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { homedir, tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { canonicalUrl, isUrlSpelling } from '@vouch/library/internal/core/canonical-url';
import { ExitCode, isVouchError } from '@vouch/library/internal/core/errors';
import { gitTransportOf } from '@vouch/library/internal/core/transport-policy';
import { createGit } from '@vouch/library/internal/git/index';
import { findInstalled } from '@vouch/library/internal/lifecycle/installed';
import { redirectGuard } from '@vouch/library/internal/lifecycle/redirect-guard';
import { assertTransportAllowed, transportUse } from '@vouch/library/internal/lifecycle/transport';
import { pluginNameLabel } from '@vouch/library/internal/registry/trust-display';
import { scanError } from '@vouch/library/internal/scan/errors';
import { formatCapabilities, formatFindings } from '@vouch/library/internal/scan/format';
import { atLeast, parseSeverity, type Severity } from '@vouch/library/internal/scan/severity';
import type { ScanReport } from '@vouch/library/internal/scan/types';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import type { CliIO } from '../io.ts';
import type { ScanJson } from '../json/scan.ts';
import { lifecycleContext } from '../lifecycle-context.ts';
import { createOutput, type Output, terminalSafeJson } from '../output.ts';
import type { CommandContext } from '../program.ts';
import { createProgress } from '../progress.ts';
import { safe } from '../style.ts';

interface ScanTarget {
	dir: string;
	/** How the target is described in output. */
	label: string;
	kind: 'directory' | 'installed' | 'git';
	cleanup?: () => Promise<void>;
}

interface ScanCommandOptions {
	profile?: string;
	/** The registry whose blacklist clears a redirect of a git URL (D27). */
	registry?: string;
	json?: boolean;
	sarif?: boolean;
	failOn?: string;
	show?: string;
	ref?: string;
	allowInsecureTransport?: boolean;
}

/**
 * The scanner with its grammars, loaded when a scan runs: every other command starts without
 * paying for tree-sitter.
 */
function scanner() {
	return import('@vouch/library/internal/scan/index');
}

/** Clones into a private temporary directory, shallow; the caller deletes it after the scan. */
async function cloneTarget(
	text: string,
	options: Pick<ScanCommandOptions, 'ref' | 'allowInsecureTransport' | 'profile' | 'registry'>,
	io: CliIO,
	output: Output,
) {
	const { ref } = options;
	const allowInsecureTransport = options.allowInsecureTransport === true;
	const home = io.env.HOME ?? homedir();
	const canonical = canonicalUrl(text, { cwd: io.cwd, home });
	// https, ssh or a local repository; plain http only to this machine (D11).
	const policy = { registered: false, allowInsecureTransport };
	assertTransportAllowed({ canonical, ...policy });
	const git = createGit({ env: io.env, cwd: io.cwd, allowInsecureTransport });
	// D27: a redirect is followed only to an address the transport rule and the blacklist
	// clear, so a report is never about code from somewhere the user did not name.
	const http = ['http', 'https'].includes(gitTransportOf(text));
	const guard = http
		? redirectGuard({
				snapshot: (await lifecycleContext(options, io, output)).snapshot,
				use: transportUse(policy),
			})
		: undefined;
	const tmp = await mkdtemp(join(tmpdir(), 'vouch-scan-'));
	const cleanup = () => rm(tmp, { recursive: true, force: true });
	const progress = createProgress(io, !output.json);
	progress.start(`Cloning ${safe(text, { maxLength: 200 })}`);
	try {
		const dest = join(tmp, 'plugin');
		const cloned = await git.clone(
			{ url: text, dest, depth: 1, ...(ref === undefined ? {} : { ref }) },
			guard === undefined ? {} : { redirectGuard: guard },
		);
		progress.stop();
		const label =
			cloned.fetchedFrom === undefined ? text : `${text} (redirected to ${cloned.fetchedFrom})`;
		return { dir: dest, label, kind: 'git' as const, cleanup };
	} catch (error) {
		progress.stop();
		await cleanup();
		throw error;
	}
}

async function resolveTarget(
	text: string,
	options: ScanCommandOptions,
	io: CliIO,
	output: Output,
): Promise<ScanTarget> {
	if (isUrlSpelling(text)) return cloneTarget(text, options, io, output);
	if (options.ref !== undefined) {
		throw scanError('SCAN_INVALID_OPTION', '--ref applies only to a git URL.', {
			hint: 'To scan another ref of a local repository, check it out first.',
			exitCode: ExitCode.usage,
		});
	}
	const home = io.env.HOME ?? homedir();
	const path = resolve(io.cwd, text.startsWith('~/') ? join(home, text.slice(2)) : text);
	const info = await stat(path).catch(() => undefined);
	if (info !== undefined) {
		if (!info.isDirectory()) {
			throw scanError('SCAN_TARGET_NOT_A_DIRECTORY', `${safe(path)} is not a directory.`, {
				hint: 'A plugin is a directory; pass the directory that holds MANIFEST.toml.',
			});
		}
		return { dir: path, label: path, kind: 'directory' };
	}
	// Not a path: an installed plugin's name, registry id, UUID or directory name.
	const context = await lifecycleContext(options, io, output, { registry: false });
	try {
		const plugin = findInstalled(await context.store.read(), text, {
			cwd: io.cwd,
			home: context.home,
			caseInsensitivePathHosts: context.profile.caseInsensitivePathHosts,
		});
		return {
			dir: context.files.pathOf(plugin),
			label: `installed plugin ${pluginNameLabel(plugin.name)}`,
			kind: 'installed',
		};
	} catch (error) {
		if (!isVouchError(error) || error.code !== 'NOT_INSTALLED') throw error;
		throw scanError(
			'SCAN_TARGET_NOT_FOUND',
			`${safe(text, { maxLength: 200 })} is neither a directory, a git URL nor an installed plugin.`,
			{
				hint: error.hint ?? 'Pass a plugin directory, a git URL or an installed plugin.',
				cause: error,
			},
		);
	} finally {
		context.reporter.done();
	}
}

function printReport(
	report: ScanReport,
	target: ScanTarget,
	lowest: Severity,
	output: Output,
): void {
	const { style } = output;
	const files = report.files;
	const languages = Object.entries(files.byLanguage)
		.map(([language, count]) => `${count} ${language}`)
		.join(', ');
	const plural = (count: number, word: string) => `${count} ${word}${count === 1 ? '' : 's'}`;
	output.line(
		`Scanned ${safe(target.label, { maxLength: 200 })}: ${plural(files.scanned, 'source file')}${
			languages === '' ? '' : ` (${languages})`
		}, ${plural(files.lines, 'line')}, ${plural(files.other, 'other file')}`,
	);
	for (const line of formatCapabilities(report, style)) output.line(line);
	output.line();
	for (const line of formatFindings(report.findings, lowest, style)) output.line(line);
	const hidden = report.findings.filter((finding) => !atLeast(finding.severity, lowest)).length;
	if (hidden > 0)
		output.line(
			style.dim(`${hidden} finding(s) below ${lowest} not shown (--show info lists them).`),
		);
	if (report.skipped.length > 0 || report.skippedNotListed > 0) {
		const count = report.skipped.length + report.skippedNotListed;
		output.line(style.yellow(`${count} file(s) not scanned:`));
		for (const skipped of report.skipped.slice(0, 20)) {
			output.line(`  ${safe(skipped.file)}: ${skipped.reason}, ${safe(skipped.detail)}`);
		}
	}
	const { high, medium, low, info } = report.summary;
	output.line(`Summary: ${high} high, ${medium} medium, ${low} low, ${info} info.`);
}

export function registerScan(program: Command, { io, state }: CommandContext): void {
	program
		.command('scan')
		.description("analyse a plugin's code for risky patterns and check its declared capabilities")
		.argument('<target>', 'a plugin directory, an installed plugin (name, id or UUID) or a git URL')
		.option('--ref <ref>', 'with a git URL: the branch, tag or commit to scan')
		.option('--allow-insecure-transport', 'allow http:// and git:// URLs (the code is only read)')
		.option('--sarif', 'print SARIF 2.1.0 for code-scanning services instead of text')
		.option(
			'--fail-on <severity>',
			'exit 3 when a finding is this severe or worse (info, low, medium, high)',
		)
		.option('--show <severity>', 'lowest severity listed in text output (default: low)')
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.action(async (targetText, options) => {
			if (options.json === true && options.sarif === true) {
				throw scanError('SCAN_INVALID_OPTION', '--json and --sarif cannot be combined.', {
					hint: 'Pick one output format.',
					exitCode: ExitCode.usage,
				});
			}
			const failOn = options.failOn === undefined ? undefined : parseSeverity(options.failOn);
			const lowest = options.show === undefined ? 'low' : parseSeverity(options.show);
			// Machine output (JSON or SARIF) keeps stdout to one document.
			const output = createOutput(io, options.json === true || options.sarif === true);
			const target = await resolveTarget(targetText, options, io, output);
			let report: ScanReport;
			try {
				report = await (await scanner()).scanPlugin(target.dir);
			} finally {
				await target.cleanup?.();
			}
			const failed =
				failOn !== undefined &&
				report.findings.some((finding) => atLeast(finding.severity, failOn));
			if (options.sarif === true) {
				io.stdout.write(`${terminalSafeJson((await scanner()).toSarif(report))}\n`);
			} else if (output.json) {
				output.result({
					ok: !failed,
					target: { kind: target.kind, label: target.label },
					failOn: failOn ?? null,
					...report,
				} satisfies ScanJson);
			} else {
				printReport(report, target, lowest, output);
				if (failed)
					output.line(output.style.red(`Findings at or above ${failOn} were found (--fail-on).`));
			}
			if (failed) state.exitCode = ExitCode.blocked;
		});
}

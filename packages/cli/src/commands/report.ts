/**
 * `vouch report <plugin> --reason <kind>`: a community report to the registry service (D22).
 * What Vouch knows about the plugin is attached, and everything that will be sent is shown
 * before the question "Send this report?" (default no); `--yes` skips only the question. The
 * receipt's reporter token is printed once: it is how `vouch report status <token>` follows
 * the outcome. The service is `--service` or `vouch config set service`: there is no default.
 */
import { resolve } from 'node:path';
import type { Command } from '@commander-js/extra-typings';
import { Option } from '@commander-js/extra-typings';
import { readFileBoundedSync } from '@vouch/library/internal/core/atomic-fs';
import { ExitCode, isVouchError, VouchError } from '@vouch/library/internal/core/errors';
import type { HostProfile } from '@vouch/library/internal/core/profile';
import { closestNames, didYouMean } from '@vouch/library/internal/core/suggest';
import { buildReport, type ReportSubject } from '@vouch/library/internal/embed/build-report';
import { lifecycleError } from '@vouch/library/internal/lifecycle/errors';
import {
	checkEvidenceCount,
	parseEvidenceArgument,
	parseEvidenceUrl,
	parseReportKind,
	REPORT_KIND_WORDS,
} from '@vouch/library/internal/report/arguments';
import {
	checkReportRequest,
	reportStatus,
	sendReport,
} from '@vouch/library/internal/report/client';
import { reportError } from '@vouch/library/internal/report/errors';
import { MAX_REPORT_DETAILS_CHARS } from '@vouch/library/internal/report/report-schema';
import { serviceBaseUrl } from '@vouch/library/internal/report/service-url';
import { jsonOption, profileOption, registryOption } from '../common-options.ts';
import { type LoadedRegistry, loadRegistry, urlContextFor } from '../context.ts';
import type { CliIO } from '../io.ts';
import type { ReportJson, ReportStatusJson } from '../json/report.ts';
import { createOutput, type Output } from '../output.ts';
import { type CommandContext, VOUCH_VERSION } from '../program.ts';
import { createTerminalPrompter } from '../prompter.ts';
import { resolveSettings } from '../settings.ts';
import { safe } from '../style.ts';
import { installedMatching } from './installed-view.ts';
import { printReport } from './report-view.ts';

export type ReportCommandErrorCode = 'PLUGIN_NOT_FOUND';

/** A details file larger than this cannot fit the report; it is not read whole. */
const MAX_DETAILS_FILE_BYTES = MAX_REPORT_DETAILS_CHARS * 4;

const serviceOption = () =>
	new Option(
		'--service <url>',
		'the registry service to send to (else `vouch config get service`; https, or http to this machine)',
	);

const collect = (value: string, previous: string[] = []) => [...previous, value];

export function registerReport(program: Command, { io }: CommandContext): void {
	const report = program
		.command('report')
		.description('report a plugin to the registry service (shows everything before sending)')
		.argument('<plugin>', 'an installed plugin (id, name, UUID or URL), or a registry id')
		.option('--reason <kind>', `required: what is wrong (${REPORT_KIND_WORDS.join(', ')})`)
		.addOption(new Option('--details <text>', 'what you saw, in your own words'))
		.addOption(
			new Option('--details-file <file>', 'read the details from a file').conflicts('details'),
		)
		.option(
			'--evidence <commit:path[:line]>',
			'a file (and line) of a commit that shows the problem; repeatable',
			collect,
		)
		.option('--evidence-url <https-url>', 'a link that shows the problem; repeatable', collect)
		.addOption(serviceOption())
		.option('-y, --yes', 'send without asking (everything is still shown first)')
		.addOption(profileOption())
		.addOption(registryOption())
		.addOption(jsonOption())
		.addHelpText(
			'after',
			`
Everything that will be sent is shown first: what Vouch attaches (uuid, source, ref, commit,
tree digest, trust, version, host profile), then your reason, details and evidence. The
question "Send this report?" defaults to no. The answer's reporter token is shown once.

Examples:
  vouch config set service https://plugins.example.org/
  vouch report some-plugin --reason malware --details "Uploads ~/.ssh at start"
  vouch report some-plugin --reason data-theft --evidence <full commit>:plugin/__init__.py:42
  vouch report status <token>`,
		)
		.action(async (query, options) => {
			const output = createOutput(io, options.json === true);
			if (output.json && options.yes !== true) {
				throw new VouchError('USAGE', '--json cannot ask whether to send the report.', {
					hint: 'Read the report first (run without --json), then add --yes to send it with --json.',
					exitCode: ExitCode.usage,
				});
			}
			// Checked here rather than as a required option: commander would demand it of
			// `report status` too, which is a subcommand of this command.
			if (options.reason === undefined) {
				throw new VouchError('USAGE', 'Say what is wrong with --reason <kind>.', {
					hint: `Kinds: ${REPORT_KIND_WORDS.join(', ')}.`,
					exitCode: ExitCode.usage,
				});
			}
			const kind = parseReportKind(options.reason);
			const evidence = [
				...(options.evidence ?? []).map(parseEvidenceArgument),
				...(options.evidenceUrl ?? []).map(parseEvidenceUrl),
			];
			checkEvidenceCount(evidence);
			const details = detailsOf(options, io);
			const { profile, settings } = resolveSettings(options, io);
			const service = serviceBaseUrl(serviceValue(settings.service.value)).href;
			const subject = await findSubject(query, options, profile, io, output);
			const request = checkReportRequest(
				buildReport(
					subject,
					{ kind, details, evidence },
					{ profile: profile.name, version: `vouch ${VOUCH_VERSION}` },
				),
			);
			if (!output.json) printReport(output, service, request);
			if (options.yes !== true) await confirmSend(io);
			const receipt = await sendReport(service, request, { fetch: io.fetch });
			if (output.json) {
				output.result({
					ok: true,
					service,
					report: request,
					receipt,
				} satisfies ReportJson);
				return;
			}
			output.line();
			output.line(
				`${output.style.green('✓')} Report ${receipt.reportId} sent; it belongs to incident ${receipt.incidentId}.`,
			);
			output.line(`  Reporter token: ${safe(receipt.token)}`);
			output.line(
				output.style.bold('  The token is shown only this once. Keep it to follow the outcome:'),
			);
			// The command to follow it must reach the same service: named again when it was given
			// on this command line (or found through a profile given there), since neither is stored.
			const where =
				settings.service.source === 'flag'
					? ` --service ${safe(service)}`
					: settings.profile.source === 'flag' && options.profile !== undefined
						? ` --profile ${safe(options.profile)}`
						: '';
			// A token from another service might start with `-`: after `--` it is still an argument.
			output.line(
				`    vouch report status${where} ${receipt.token.startsWith('-') ? '-- ' : ''}${safe(receipt.token)}`,
			);
		});
	report
		.command('status')
		.description('what became of a report, through the reporter token it gave')
		.argument(
			'<token>',
			'the reporter token printed when the report was sent; `-` reads it from standard input',
		)
		.addOption(serviceOption())
		.addOption(profileOption())
		.addOption(jsonOption())
		.action(async (token, options) => {
			const output = createOutput(io, options.json === true);
			const { settings } = resolveSettings(options, io);
			const service = serviceBaseUrl(serviceValue(settings.service.value)).href;
			// `-` keeps the token out of the process list and the shell's history.
			const secret = token === '-' ? await readTokenLine(io) : token;
			const status = await reportStatus(service, secret, { fetch: io.fetch });
			if (output.json) {
				output.result({ ok: true, service, status } satisfies ReportStatusJson);
				return;
			}
			output.line(
				`Report ${status.reportId} (${status.kind.replaceAll('_', '-')}), received ${safe(status.receivedAt)}`,
			);
			output.line(`  Incident ${status.incident.id}: ${status.incident.state}`);
			if (status.incident.outcome !== undefined) {
				output.line(`  Outcome:  ${safe(status.incident.outcome, { maxLength: 2000 })}`);
			}
			output.line(`  Page:     ${safe(status.incident.url, { maxLength: 300 })}`);
		});
}

/** A token is 43 characters: more than a line of this is not a token, and is not read. */
const MAX_TOKEN_INPUT = 1024;

async function readTokenLine(io: CliIO): Promise<string> {
	const input = io.stdin;
	if (input === undefined) return '';
	let text = '';
	for await (const chunk of input) {
		text += typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
		if (text.includes('\n') || text.length > MAX_TOKEN_INPUT) break;
	}
	return (text.split('\n')[0] ?? '').slice(0, MAX_TOKEN_INPUT).trim();
}

function serviceValue(value: string | string[]): string | undefined {
	return typeof value === 'string' ? value : value[0];
}

function detailsOf(options: { details?: string; detailsFile?: string }, io: CliIO): string {
	if (options.detailsFile === undefined) return options.details ?? '';
	const path = options.detailsFile;
	let bytes: Buffer;
	try {
		bytes = readFileBoundedSync(resolve(io.cwd, path), MAX_DETAILS_FILE_BYTES);
	} catch (error) {
		if (!isVouchError(error)) throw error;
		throw reportError(
			'REPORT_INVALID',
			`Cannot use ${safe(path)} as details: ${safe(error.message)}`,
			{
				cause: error,
				hint: `Give a text file of at most ${MAX_REPORT_DETAILS_CHARS} characters.`,
				exitCode: ExitCode.usage,
			},
		);
	}
	// Line ends as a person typed them; the contract refuses other control characters.
	return bytes.toString('utf8').replaceAll('\r\n', '\n').trimEnd();
}

/**
 * The installed copy the text names, else the registry entry: a plugin need not be installed
 * to be reported. An unreadable registry does not stop a report about an installed plugin;
 * its trust is then the one recorded at install.
 */
async function findSubject(
	query: string,
	options: { profile?: string; registry?: string },
	profile: HostProfile,
	io: CliIO,
	output: Output,
): Promise<ReportSubject> {
	let loaded: LoadedRegistry | undefined;
	try {
		loaded = await loadRegistry(options, profile, io, output);
	} catch (error) {
		if (!isVouchError(error)) throw error;
		output.note(
			`warning: the registry could not be read (${safe(error.message)}); only what is installed can be reported.`,
		);
	}
	const index = loaded?.index;
	const installed = await installedMatching(profile, query, {
		...urlContextFor(profile, io),
		index,
	});
	if (installed !== undefined) return { installed: installed.plugin, index };
	const entry = index?.lookup(query)?.plugin;
	if (entry !== undefined) return { entry, index };
	const suggestions = closestNames(
		query,
		loaded?.registry.plugins.map((plugin) => plugin.id) ?? [],
	);
	throw new VouchError<ReportCommandErrorCode>(
		'PLUGIN_NOT_FOUND',
		`No plugin "${safe(query, { maxLength: 200 })}" is installed or in the registry.`,
		{
			hint:
				didYouMean(suggestions) ??
				'Name an installed plugin (vouch list) or a registry id (vouch search <text>).',
			details: { query, suggestions },
		},
	);
}

async function confirmSend(io: CliIO): Promise<void> {
	const prompter = createTerminalPrompter(io);
	if (!prompter.interactive) {
		throw lifecycleError(
			'CONFIRMATION_REQUIRED',
			'Sending a report needs your confirmation, and there is no terminal to ask on.',
			{ hint: 'Read the report above, then pass --yes to send it.' },
		);
	}
	if (!(await prompter.confirm({ message: 'Send this report?', defaultAnswer: false }))) {
		throw lifecycleError('DECLINED', 'Nothing was sent.');
	}
}

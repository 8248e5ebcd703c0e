/**
 * Static analysis at install and update (D21). Every fetched plugin is scanned and the report
 * kept with it. For community and unregistered plugins, whose code nobody reviewed, the
 * high-severity findings and the capabilities the code uses without declaring them are shown
 * on the consent screen (`consent.ts`), and a high-severity finding needs a confirmation of its
 * own, asked after the trust question:
 * `--yes` answers the trust question only, never this one. Without a terminal only
 * `--accept-findings` passes it. Official and trusted plugins are not gated (findings inform;
 * they never stand in for trust), but their report is stored all the same.
 *
 * A scan that fails outright counts as a high-severity finding: a plugin that crashes or
 * starves the scanner must not get in more easily than one the scanner could read.
 */
import { sanitizeText } from '../core/sanitize.ts';
import type { TrustLevel } from '../registry/model.ts';
import type { Finding, ScanReport } from '../scan/types.ts';
import type { FetchedScanOptions } from './deps.ts';
import { lifecycleError } from './errors.ts';
import type { LifecycleReporter, Prompter } from './prompter.ts';

/** What the gate saw: the report, or why there is none. */
export type ScanOutcome = { report: ScanReport } | { failure: string };

export interface ScanGateRequest {
	outcome: ScanOutcome;
	trust: TrustLevel;
	pluginName: string;
	/** `install`, `update`... */
	action: string;
	acceptFindings: boolean;
}

export interface ScanGateDeps {
	prompter: Prompter;
	reporter: LifecycleReporter;
}

/** How many high-severity findings the consent screen lists before "and N more". */
const LISTED_FINDINGS = 5;
/** How many unscanned files it names. */
const LISTED_UNSCANNED = 3;

export function isGated(trust: TrustLevel): boolean {
	return trust === 'community' || trust === 'unregistered';
}

/**
 * Scans fetched code; a scan that throws becomes a failure the gate treats as high severity.
 * Never rejects, so it can run beside other checks and be awaited when its turn comes.
 */
export async function scanFetched(
	dir: string,
	deps: {
		scan(dir: string, options?: FetchedScanOptions): Promise<ScanReport>;
		reporter: LifecycleReporter;
	},
	options?: FetchedScanOptions,
): Promise<ScanOutcome> {
	deps.reporter.progress('Scanning the code');
	try {
		return { report: await (options === undefined ? deps.scan(dir) : deps.scan(dir, options)) };
	} catch (error) {
		return { failure: error instanceof Error ? error.message : String(error) };
	}
}

/** One line of the scan part of the consent screen; `warn` lines are always shown. */
export interface ScanLine {
	text: string;
	warn: boolean;
}

/** What the consent screen shows of a scan, and what the gate counts. */
export interface ScanView {
	lines: ScanLine[];
	/** High-severity findings and unscanned files; 0 when the level is not gated. */
	high: number;
	/** The high count in words, for the question and the refusal. */
	what: string;
}

export interface ScanViewOptions {
	/** How the user reads the whole report, e.g. `vouch scan <url>`. */
	reportHint?: string;
	/** Print nothing for a scan with nothing to show (update of many plugins). */
	quietWhenClean?: boolean;
}

/**
 * The scan in a few lines: one line of counts and where the full report is; for unreviewed
 * plugins also the high-severity findings (a few), the capabilities the code uses without
 * declaring them and the files that could not be scanned. Official and trusted plugins get the
 * counts only: findings inform, they never stand in for trust.
 */
export function describeScan(
	outcome: ScanOutcome,
	trust: TrustLevel,
	options: ScanViewOptions = {},
): ScanView {
	const gated = isGated(trust);
	const where = options.reportHint === undefined ? '' : ` Full report: ${options.reportHint}`;
	if ('failure' in outcome) {
		const text = `Scan failed (${sanitizeText(outcome.failure, { maxLength: 200 })}): nothing is known about what this code does.`;
		return {
			lines: [{ text, warn: true }],
			high: gated ? 1 : 0,
			what: 'code that could not be scanned',
		};
	}
	const { report } = outcome;
	const { summary } = report;
	const high = report.findings.filter((finding) => finding.severity === 'high');
	const unscanned = unscannedFiles(report);
	const gateCount = high.length + unscanned.length + report.skippedNotListed;
	const { undeclared, status } = report.capabilities;
	const notable = gated && (gateCount > 0 || undeclared.length > 0);
	const lines: ScanLine[] = [];
	if (!options.quietWhenClean || notable) {
		const any = summary.high + summary.medium + summary.low > 0;
		const counts = `${summary.high} high, ${summary.medium} medium, ${summary.low} low findings.`;
		lines.push({
			text: `Scan: ${any ? `${counts}${where}` : 'no findings.'}`,
			warn: gated && summary.high > 0,
		});
	}
	if (gated) {
		for (const finding of high.slice(0, LISTED_FINDINGS))
			lines.push({ text: `  ${findingLine(finding)}`, warn: true });
		if (high.length > LISTED_FINDINGS)
			lines.push({ text: `  ... and ${high.length - LISTED_FINDINGS} more.`, warn: true });
		if (undeclared.length > 0) {
			lines.push({
				text:
					status === 'declared'
						? `  The code uses capabilities it does not declare: ${undeclared.join(', ')}.`
						: `  The code uses: ${undeclared.join(', ')}.`,
				warn: true,
			});
		}
		const notScanned = unscanned.length + report.skippedNotListed;
		if (notScanned > 0) {
			const named = unscanned
				.slice(0, LISTED_UNSCANNED)
				.map((item) => `${sanitizeText(item.file)} (${sanitizeText(item.why, { maxLength: 80 })})`);
			const more = notScanned > named.length ? `, and ${notScanned - named.length} more` : '';
			lines.push({
				text: `  ${notScanned} file(s) could not be fully scanned: ${named.join(', ')}${more}.`,
				warn: true,
			});
		}
	}
	const plural = gateCount === 1 ? '' : 's';
	return {
		lines,
		high: gated ? gateCount : 0,
		what: `${gateCount} high-severity finding${plural} or unscanned file${plural}`,
	};
}

/**
 * Files the bounds kept from the scanner count as high: an oversized or pathological file is
 * exactly where code would be hidden from it. A link that leaves the plugin is skipped as
 * `symlink`, and counted once, through its own high-severity `link-outside-plugin` finding
 * (install refuses such a plugin before the scan anyway); a link inside it is scanned under its
 * own name. A load from a file the scanner cannot determine (`code-load-unknown`) counts too:
 * it runs unscanned code.
 */
function unscannedFiles(report: ScanReport): { file: string; why: string }[] {
	return [
		...report.skipped
			.filter((file) => file.reason !== 'symlink')
			.map((file) => ({ file: file.file, why: file.detail })),
		// Code the parser read only in part may hold what the rules never saw.
		...report.findings
			.filter((finding) => finding.ruleId === 'partial-parse' && finding.file !== undefined)
			.map((finding) => ({ file: finding.file as string, why: 'parsed only in part' })),
		// Code run from a file the scanner could not name is code nobody scanned.
		...report.findings
			.filter((finding) => finding.ruleId === 'code-load-unknown' && finding.file !== undefined)
			.map((finding) => ({
				file: `${finding.file}:${finding.line ?? '?'}`,
				why: 'runs code from a file the scanner cannot determine',
			})),
	];
}

/** The gate's own question, after the consent screen; throws when not accepted. */
export async function confirmFindings(
	request: Omit<ScanGateRequest, 'outcome' | 'trust'>,
	view: ScanView,
	deps: ScanGateDeps,
): Promise<void> {
	if (view.high === 0) return;
	const name = sanitizeText(request.pluginName, { maxLength: 100 });
	if (request.acceptFindings) {
		deps.reporter.warn(`Going on despite ${view.what} because of --accept-findings.`);
		return;
	}
	if (!deps.prompter.interactive) {
		throw lifecycleError(
			'FINDINGS_NOT_ACCEPTED',
			`${name} has ${view.what}; nothing was changed.`,
			{
				hint: 'Read the findings above (`vouch scan` shows them all). Only if you accept the risk: --accept-findings (--yes does not pass this).',
			},
		);
	}
	const agreed = await deps.prompter.confirm({
		message: `${name} has ${view.what}. ${capitalise(request.action)} it anyway?`,
		defaultAnswer: false,
	});
	if (!agreed) {
		throw lifecycleError('DECLINED', `Did not ${request.action} ${name}: nothing was changed.`);
	}
}

/** Shows the scan and asks about high-severity findings, on its own (hosts, tests). */
export async function reviewScan(request: ScanGateRequest, deps: ScanGateDeps): Promise<void> {
	if (!isGated(request.trust)) return;
	const view = describeScan(request.outcome, request.trust);
	for (const line of view.lines) {
		if (line.warn) deps.reporter.warn(line.text);
		else deps.reporter.info(line.text);
	}
	await confirmFindings(request, view, deps);
}

/** `file:line rule: message` then the code line, all sanitised by the scanner already. */
export function findingLine(finding: Finding): string {
	const where =
		finding.file === undefined
			? ''
			: `${sanitizeText(finding.file)}${finding.line === undefined ? '' : `:${finding.line}`} `;
	const code =
		finding.snippet === undefined
			? ''
			: `  |  ${sanitizeText(finding.snippet, { maxLength: 160 })}`;
	return `${where}[${finding.ruleId}] ${sanitizeText(finding.message, { maxLength: 200 })}${code}`;
}

function capitalise(text: string): string {
	return text.charAt(0).toUpperCase() + text.slice(1);
}

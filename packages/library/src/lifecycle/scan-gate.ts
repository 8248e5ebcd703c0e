/**
 * Static analysis at install and update (D21). Every fetched plugin is scanned and the report
 * kept with it. For community and unregistered plugins, whose code nobody reviewed, the
 * high-severity findings and the capabilities the code uses without declaring them are shown
 * before the trust prompt, and a high-severity finding needs a confirmation of its own:
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

/** How many findings are listed before "and N more". */
const LISTED_FINDINGS = 10;

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

/** Shows what matters and asks about high-severity findings; throws when not accepted. */
export async function reviewScan(request: ScanGateRequest, deps: ScanGateDeps): Promise<void> {
	if (!isGated(request.trust)) return;
	const name = sanitizeText(request.pluginName, { maxLength: 100 });
	const high = describeOutcome(request.outcome, deps.reporter);
	if (high === 0) return;
	const what =
		'report' in request.outcome
			? `${high} high-severity finding${high === 1 ? '' : 's'} or unscanned file${high === 1 ? '' : 's'}`
			: 'code that could not be scanned';
	if (request.acceptFindings) {
		deps.reporter.warn(`Going on despite ${what} because of --accept-findings.`);
		return;
	}
	if (!deps.prompter.interactive) {
		throw lifecycleError('FINDINGS_NOT_ACCEPTED', `${name} has ${what}; nothing was changed.`, {
			hint: 'Read the findings above (`vouch scan` shows them all). Only if you accept the risk: --accept-findings (--yes does not pass this).',
		});
	}
	const agreed = await deps.prompter.confirm({
		message: `${name} has ${what}. ${capitalise(request.action)} it anyway?`,
		defaultAnswer: false,
	});
	if (!agreed) {
		throw lifecycleError('DECLINED', `Did not ${request.action} ${name}: nothing was changed.`);
	}
}

/**
 * Prints the findings that matter; returns how many count as high severity. Files the bounds
 * kept from the scanner count too: an oversized or pathological file is exactly where code
 * would be hidden from it. A link that leaves the plugin is skipped as `symlink`, and counted
 * once, through its own high-severity `link-outside-plugin` finding (install refuses such a
 * plugin before the scan anyway); a link inside it is scanned under its own name. A load from
 * a file the scanner cannot determine (`code-load-unknown`) counts too: it runs unscanned code.
 */
function describeOutcome(outcome: ScanOutcome, reporter: LifecycleReporter): number {
	if ('failure' in outcome) {
		reporter.warn(
			`The static scan failed (${sanitizeText(outcome.failure, { maxLength: 300 })}): nothing is known about what this code does.`,
		);
		return 1;
	}
	const { report } = outcome;
	const high = report.findings.filter((finding) => finding.severity === 'high');
	if (high.length > 0) {
		reporter.warn(`Static scan: ${high.length} high-severity finding(s):`);
		for (const finding of high.slice(0, LISTED_FINDINGS))
			reporter.warn(`  ${findingLine(finding)}`);
		if (high.length > LISTED_FINDINGS) {
			reporter.warn(
				`  ... and ${high.length - LISTED_FINDINGS} more (run \`vouch scan\` for all).`,
			);
		}
	}
	const { undeclared, status } = report.capabilities;
	if (undeclared.length > 0) {
		reporter.warn(
			status === 'declared'
				? `The code uses capabilities its manifest does not declare: ${undeclared.join(', ')}.`
				: `The code uses: ${undeclared.join(', ')} (the manifest declares nothing).`,
		);
	}
	const unscanned = [
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
	const notListed = report.skippedNotListed;
	if (unscanned.length + notListed > 0) {
		reporter.warn(
			`${unscanned.length + notListed} file(s) could not be fully scanned (too large, too many, too deep, unreadable, not parsable, or loaded from a path the scanner cannot determine):`,
		);
		for (const item of unscanned.slice(0, LISTED_FINDINGS)) {
			reporter.warn(`  ${sanitizeText(item.file)}: ${sanitizeText(item.why, { maxLength: 160 })}`);
		}
	}
	return high.length + unscanned.length + notListed;
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

/**
 * Plain-text rendering of a scan report, for `vouch scan` and for any command that shows
 * findings before a decision (install shows the high ones before the trust prompt). Every
 * piece of plugin-derived text is sanitised here again, whatever produced the report (D24).
 */
import { sanitizeText } from '../core/sanitize.ts';
import { atLeast, SEVERITIES, type Severity } from './severity.ts';
import type { Finding, ScanReport } from './types.ts';

/** The part of the CLI's `Style` this needs; identity functions give plain text. */
export interface TextStyle {
	bold(text: string): string;
	dim(text: string): string;
	red(text: string): string;
	yellow(text: string): string;
}

export const PLAIN_STYLE: TextStyle = {
	bold: (t) => t,
	dim: (t) => t,
	red: (t) => t,
	yellow: (t) => t,
};

const safe = (text: string, maxLength = 300) => sanitizeText(text, { maxLength });

function place(finding: Finding): string {
	if (finding.file === undefined) return '';
	const line = finding.line === undefined ? '' : `:${finding.line}`;
	const column =
		finding.line === undefined || finding.column === undefined ? '' : `:${finding.column}`;
	return `${safe(finding.file)}${line}${column}`;
}

/** One finding: a header line, the code line, and for serious ones why and what to do. */
export function formatFinding(finding: Finding, style: TextStyle = PLAIN_STYLE): string[] {
	const lines = [
		`  ${style.bold(finding.ruleId)}  ${place(finding)}  ${safe(finding.message)}${
			finding.confidence === 'low' ? style.dim(' (low confidence)') : ''
		}`,
	];
	if (finding.snippet !== undefined && finding.snippet !== '') {
		lines.push(`      ${style.dim(`${finding.line ?? ''} |`)} ${safe(finding.snippet)}`);
	}
	if (finding.severity === 'high')
		lines.push(`      ${style.dim('why:')} ${safe(finding.why, 600)}`);
	if (atLeast(finding.severity, 'medium')) {
		lines.push(`      ${style.dim('fix:')} ${safe(finding.fix, 600)}`);
	}
	return lines;
}

const HEADINGS: Readonly<Record<Severity, string>> = {
	high: 'HIGH',
	medium: 'MEDIUM',
	low: 'LOW',
	info: 'INFO',
};

/** Findings grouped by severity, most severe first, down to `lowest`. */
export function formatFindings(
	findings: readonly Finding[],
	lowest: Severity,
	style: TextStyle = PLAIN_STYLE,
): string[] {
	const lines: string[] = [];
	for (const severity of [...SEVERITIES].reverse()) {
		if (!atLeast(severity, lowest)) continue;
		const group = findings.filter((finding) => finding.severity === severity);
		if (group.length === 0) continue;
		const heading = `${HEADINGS[severity]} (${group.length})`;
		lines.push(
			severity === 'high'
				? style.red(heading)
				: severity === 'medium'
					? style.yellow(heading)
					: heading,
		);
		for (const finding of group) lines.push(...formatFinding(finding, style));
		lines.push('');
	}
	return lines;
}

/** The capability comparison in two or three lines. */
export function formatCapabilities(report: ScanReport, style: TextStyle = PLAIN_STYLE): string[] {
	const caps = report.capabilities;
	const list = (items: readonly string[]) => (items.length === 0 ? 'none' : items.join(', '));
	const declared =
		caps.status === 'declared'
			? list(caps.declared)
			: caps.status === 'undeclared'
				? style.yellow('undeclared (no [capabilities] table)')
				: style.yellow('unknown (no valid MANIFEST.toml)');
	const lines = [`Capabilities: declared ${declared}; found in the code: ${list(caps.inferred)}`];
	if (caps.undeclared.length > 0) {
		lines.push(`  ${style.red('used but not declared:')} ${caps.undeclared.join(', ')}`);
	}
	if (caps.unused.length > 0)
		lines.push(`  ${style.dim('declared but not seen:')} ${caps.unused.join(', ')}`);
	return lines;
}

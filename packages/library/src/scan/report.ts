/** Ordering and counting findings for the report. */
import { severityRank } from './severity.ts';
import type { Finding, ScanSummary } from './types.ts';

function compareText(a: string, b: string): number {
	return a < b ? -1 : a > b ? 1 : 0;
}

/** Most severe first, then by place: the order people read and CI logs show. */
export function sortFindings(findings: Finding[]): Finding[] {
	return findings.sort(
		(a, b) =>
			severityRank(b.severity) - severityRank(a.severity) ||
			compareText(a.file ?? '', b.file ?? '') ||
			(a.line ?? 0) - (b.line ?? 0) ||
			(a.column ?? 0) - (b.column ?? 0) ||
			compareText(a.ruleId, b.ruleId) ||
			compareText(a.message, b.message),
	);
}

export function summarise(findings: readonly Finding[]): ScanSummary {
	const summary: ScanSummary = { high: 0, medium: 0, low: 0, info: 0, total: findings.length };
	for (const finding of findings) summary[finding.severity]++;
	return summary;
}

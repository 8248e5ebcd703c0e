/**
 * The report as SARIF 2.1.0, the format code-scanning services read (GitHub, GitLab, IDEs).
 * Every rule is listed so `ruleIndex` is stable; paths are relative to a `PLUGINROOT` base, so
 * a report made on one machine lines up with a checkout on another.
 */
import { pathToFileURL } from 'node:url';
import { RULES } from './rules/catalog.ts';
import type { Severity } from './severity.ts';
import type { Finding, ScanReport } from './types.ts';

export const SARIF_SCHEMA_URI = 'https://json.schemastore.org/sarif-2.1.0.json';
const ROOT_ID = 'PLUGINROOT';

const LEVEL: Readonly<Record<Severity, 'error' | 'warning' | 'note'>> = {
	high: 'error',
	medium: 'warning',
	low: 'note',
	info: 'note',
};

/** The `security-severity` scale code-scanning services sort by (0 to 10). */
const SECURITY_SEVERITY: Readonly<Record<Severity, string>> = {
	high: '8.0',
	medium: '5.0',
	low: '2.0',
	info: '0.5',
};

const RULE_INDEX = new Map(RULES.map((rule, index) => [rule.id, index]));

/** Percent-encodes each segment: plugin file names may hold spaces, `#` or `%`. */
function relativeUri(path: string): string {
	return path
		.split('/')
		.map((segment) => encodeURIComponent(segment))
		.join('/');
}

function location(finding: Finding) {
	if (finding.file === undefined) return undefined;
	const physical: Record<string, unknown> = {
		artifactLocation: { uri: relativeUri(finding.file), uriBaseId: ROOT_ID },
	};
	if (finding.line !== undefined) {
		const region: Record<string, unknown> = { startLine: finding.line };
		if (finding.column !== undefined) region.startColumn = finding.column;
		if (finding.endLine !== undefined) region.endLine = finding.endLine;
		if (finding.endColumn !== undefined) region.endColumn = Math.max(1, finding.endColumn);
		if (finding.snippet !== undefined && finding.snippet !== '') {
			region.snippet = { text: finding.snippet };
		}
		physical.region = region;
	}
	return { physicalLocation: physical };
}

function result(finding: Finding) {
	const where = location(finding);
	const properties: Record<string, unknown> = {
		severity: finding.severity,
		confidence: finding.confidence,
		category: finding.category,
	};
	if (finding.capability !== undefined) properties.capability = finding.capability;
	return {
		ruleId: finding.ruleId,
		ruleIndex: RULE_INDEX.get(finding.ruleId) ?? -1,
		level: LEVEL[finding.severity],
		message: { text: finding.message || finding.ruleId },
		...(where === undefined ? {} : { locations: [where] }),
		properties,
	};
}

function rules() {
	return RULES.map((rule) => ({
		id: rule.id,
		name: rule.id.replace(/(^|-)([a-z])/g, (_, __, c: string) => c.toUpperCase()),
		shortDescription: { text: rule.title },
		fullDescription: { text: rule.why },
		help: {
			text: `${rule.why}\nFix: ${rule.fix}`,
			markdown: `${rule.why}\n\n**Fix:** ${rule.fix}`,
		},
		defaultConfiguration: { enabled: true, level: LEVEL[rule.severity] },
		properties: {
			tags: ['security', rule.category],
			precision: rule.confidence,
			'security-severity': SECURITY_SEVERITY[rule.severity],
		},
	}));
}

export function toSarif(report: ScanReport): Record<string, unknown> {
	const notifications = report.skipped.map((skipped) => ({
		level: 'warning',
		message: { text: `${skipped.file} was not scanned (${skipped.reason}): ${skipped.detail}` },
		locations: [
			{
				physicalLocation: {
					artifactLocation: { uri: relativeUri(skipped.file), uriBaseId: ROOT_ID },
				},
			},
		],
	}));
	const rootUri = pathToFileURL(report.root.endsWith('/') ? report.root : `${report.root}/`).href;
	return {
		$schema: SARIF_SCHEMA_URI,
		version: '2.1.0',
		runs: [
			{
				tool: {
					driver: {
						name: report.scanner.name,
						version: report.scanner.version,
						semanticVersion: report.scanner.version,
						rules: rules(),
					},
				},
				originalUriBaseIds: { [ROOT_ID]: { uri: rootUri } },
				invocations: [
					{
						executionSuccessful: true,
						...(notifications.length === 0 ? {} : { toolExecutionNotifications: notifications }),
					},
				],
				columnKind: 'utf16CodeUnits',
				results: report.findings.map(result),
				properties: {
					capabilities: report.capabilities,
					summary: report.summary,
				},
			},
		],
	};
}

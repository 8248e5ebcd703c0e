/**
 * What one ref's manifest and scan say, as review findings. The manifest rules are the
 * manifest module's and the findings the scanner's (D20, D21); this file only decides how much
 * each weighs for admission to a registry:
 * - an invalid or missing manifest, a manifest UUID other than the entry's (trust would never
 *   bind, D6), a high-severity finding, or code using a capability the manifest declares it
 *   does not use or leaves out of a [capabilities] table it has: reject;
 * - a medium finding, another name than the entry's, code using capabilities with no
 *   [capabilities] table at all (Picard's manifests have none yet): needs attention;
 * - the rest is information.
 */
import { sanitizeText } from '../../core/sanitize.ts';
import type { ManifestResult } from '../../manifest/model.ts';
import type { RegistryPlugin } from '../../registry/model.ts';
import type { FindingSink } from '../../registry/review/findings.ts';
import type { Finding, ScanReport } from '../../scan/types.ts';

/** Findings of one severity listed one by one; the rest are counted in one line. */
const LISTED_PER_REF = 25;

export function manifestFindings(
	result: ManifestResult,
	entry: Pick<RegistryPlugin, 'uuid' | 'name'>,
	ref: string,
	sink: FindingSink,
): void {
	for (const issue of result.errors.slice(0, LISTED_PER_REF)) {
		sink.add('MANIFEST_INVALID', 'error', `MANIFEST.toml: ${issue.message}`, ref);
	}
	for (const issue of result.warnings.slice(0, LISTED_PER_REF)) {
		// The capability table is judged against the code below, with what the code does.
		if (issue.code === 'CAPABILITIES_UNDECLARED') continue;
		sink.add('MANIFEST_WARNING', 'info', `MANIFEST.toml: ${issue.message}`, ref);
	}
	const manifest = result.manifest;
	if (manifest === undefined) return;
	if (manifest.uuid !== entry.uuid) {
		sink.add(
			'MANIFEST_UUID_MISMATCH',
			'error',
			`MANIFEST.toml has the UUID ${sanitizeText(manifest.uuid)}, the registry entry ${sanitizeText(entry.uuid)}: the registry's trust would never apply (D6).`,
			ref,
		);
	}
	if (manifest.name.trim() !== entry.name.trim()) {
		sink.add(
			'MANIFEST_NAME_MISMATCH',
			'warning',
			`MANIFEST.toml names the plugin "${sanitizeText(manifest.name, { maxLength: 100 })}", the registry entry "${sanitizeText(entry.name, { maxLength: 100 })}".`,
			ref,
		);
	}
}

function where(finding: Finding): string {
	if (finding.file === undefined) return '';
	return ` (${sanitizeText(finding.file, { maxLength: 160 })}${finding.line === undefined ? '' : `:${finding.line}`})`;
}

export function scanFindings(report: ScanReport, ref: string, sink: FindingSink): void {
	const serious = report.findings.filter(
		(finding) =>
			finding.category !== 'capabilities' &&
			(finding.severity === 'high' || finding.severity === 'medium'),
	);
	for (const severity of ['high', 'medium'] as const) {
		const ofSeverity = serious.filter((finding) => finding.severity === severity);
		for (const finding of ofSeverity.slice(0, LISTED_PER_REF)) {
			sink.add(
				severity === 'high' ? 'SCAN_HIGH' : 'SCAN_MEDIUM',
				severity === 'high' ? 'error' : 'warning',
				`${finding.ruleId}${where(finding)}: ${finding.message}`,
				ref,
			);
		}
		const more = ofSeverity.length - LISTED_PER_REF;
		if (more > 0) {
			sink.add(
				severity === 'high' ? 'SCAN_HIGH' : 'SCAN_MEDIUM',
				severity === 'high' ? 'error' : 'warning',
				`${more} more ${severity}-severity finding(s) in the stored scan report.`,
				ref,
			);
		}
	}
	capabilityFindings(report, ref, sink);
}

function capabilityFindings(report: ScanReport, ref: string, sink: FindingSink): void {
	const { capabilities } = report;
	const evidence = (capability: string) => {
		const first = capabilities.evidence[capability as keyof typeof capabilities.evidence]?.[0];
		return first === undefined
			? ''
			: ` (seen at ${sanitizeText(first.file, { maxLength: 160 })}${first.line === undefined ? '' : `:${first.line}`})`;
	};
	if (capabilities.status === 'declared') {
		for (const capability of capabilities.undeclared) {
			const denied = capabilities.denied.includes(capability);
			sink.add(
				'CAPABILITY_UNDECLARED',
				'error',
				`The code uses ${capability}${evidence(capability)}, which MANIFEST.toml ${denied ? 'declares as not used' : 'does not declare'}.`,
				ref,
			);
		}
	} else if (capabilities.status === 'undeclared') {
		if (capabilities.inferred.length > 0) {
			sink.add(
				'CAPABILITIES_NOT_DECLARED',
				'warning',
				`MANIFEST.toml has no [capabilities] table; the code uses ${capabilities.inferred.join(', ')}. Ask the author to declare them.`,
				ref,
			);
		} else {
			sink.add(
				'CAPABILITIES_NOT_DECLARED',
				'info',
				'MANIFEST.toml has no [capabilities] table; the scan saw no capability in use.',
				ref,
			);
		}
	}
	for (const capability of capabilities.unused) {
		sink.add(
			'CAPABILITY_UNUSED',
			'info',
			`MANIFEST.toml declares ${capability}, which the scan saw no use of.`,
			ref,
		);
	}
}

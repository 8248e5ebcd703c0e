/**
 * Capability inference (D20 checked against the code): the capabilities the findings show,
 * compared with the manifest's `[capabilities]` table, and the plugin-level judgement of what
 * the code can reach (`reach/judge.ts`). A sensitive capability reached but not declared is
 * high whether or not there is a table; a non-sensitive one is its own medium finding, placed
 * where the code first uses it; a capability declared `false` but used is high, since the
 * manifest then says something untrue.
 */
import {
	CAPABILITIES,
	type Capability,
	type CapabilityDeclaration,
} from '../manifest/capabilities.ts';
import { fileFinding } from './files/file-finding.ts';
import { type HostScanTable, PICARD_SCAN_TABLE } from './reach/host.ts';
import { collectReach, judgeReach } from './reach/judge.ts';
import type { RuleId } from './rules/catalog.ts';
import type { CapabilityReport, EvidenceRef, Finding } from './types.ts';

const MAX_EVIDENCE = 5;
const MANIFEST = 'MANIFEST.toml';

export type DeclarationInput = CapabilityDeclaration | { status: 'no-manifest' };

function capabilityFinding(
	ruleId: RuleId,
	message: string,
	where?: EvidenceRef,
	capability?: Capability,
): Finding {
	const finding = fileFinding(ruleId, where?.file ?? MANIFEST, message);
	if (where?.line !== undefined) finding.line = where.line;
	if (capability !== undefined) finding.capability = capability;
	return finding;
}

function describe(ref: EvidenceRef): string {
	return ref.line === undefined ? ref.file : `${ref.file}:${ref.line}`;
}

/** Compares what the findings show with what the manifest declares. */
export function checkCapabilities(
	findings: readonly Finding[],
	declaration: DeclarationInput,
	host: HostScanTable = PICARD_SCAN_TABLE,
): { report: CapabilityReport; findings: Finding[] } {
	const evidence: Partial<Record<Capability, EvidenceRef[]>> = {};
	for (const finding of findings) {
		if (finding.capability === undefined || finding.file === undefined) continue;
		const list = evidence[finding.capability] ?? [];
		evidence[finding.capability] = list;
		if (list.length < MAX_EVIDENCE) {
			const ref: EvidenceRef = { ruleId: finding.ruleId, file: finding.file };
			if (finding.line !== undefined) ref.line = finding.line;
			list.push(ref);
		}
	}
	const inferred = CAPABILITIES.filter((capability) => evidence[capability] !== undefined);
	const declared = declaration.status === 'declared' ? declaration.granted : [];
	const denied = declaration.status === 'declared' ? declaration.denied : [];
	const undeclared = inferred.filter((capability) => !declared.includes(capability));
	const unused = declared.filter((capability) => !inferred.includes(capability));
	const judgement = judgeReach(collectReach(findings, host), { granted: declared, denied });
	const out: Finding[] = [...judgement.findings];

	if (declaration.status === 'declared') {
		for (const capability of undeclared) {
			const first = (evidence[capability] as EvidenceRef[])[0] as EvidenceRef;
			const isDenied = denied.includes(capability);
			// Reported already, as high, by the plugin-level judgement.
			if (!isDenied && judgement.covered.has(capability)) continue;
			out.push(
				capabilityFinding(
					isDenied ? 'capability-denied-used' : 'capability-undeclared',
					isDenied
						? `uses ${capability} (${describe(first)}), but the manifest declares ${capability} = false`
						: `uses ${capability} (${describe(first)}), which [capabilities] does not declare`,
					first,
					capability,
				),
			);
		}
		for (const capability of unused) {
			out.push(
				capabilityFinding(
					'capability-unused',
					`declares ${capability} = true, but the scan found no use of it`,
				),
			);
		}
	} else {
		const what =
			declaration.status === 'undeclared'
				? 'MANIFEST.toml has no [capabilities] table'
				: 'there is no valid MANIFEST.toml';
		const uses =
			inferred.length === 0 ? 'the scan inferred none' : `the code uses ${inferred.join(', ')}`;
		out.push(capabilityFinding('capabilities-missing', `${what}; ${uses}`));
	}

	return {
		report: {
			status: declaration.status,
			declared: [...declared],
			denied: [...denied],
			inferred,
			undeclared,
			unused,
			evidence,
		},
		findings: out,
	};
}

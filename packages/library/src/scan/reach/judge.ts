/**
 * The plugin-level judgement (issue 9 §4): what the plugin as a whole can reach, whichever
 * file, function or path reaches it, weighed against what its manifest declares.
 * - A sensitive class the manifest does not declare is `undeclared-sensitive`, high: one finding
 *   per class, at the first evidence, naming a few more places. No table declares nothing.
 * - Reading secrets anywhere and reaching the network anywhere is `secrets-and-network`, high.
 * - Naming a persistence location and being able to write files or start programs is
 *   `persistence-write`; naming the host's configuration or plugins directory (or climbing out of
 *   its own directory) and being able to write files is `host-tamper`. Both high.
 * A class declared `false` but reached is left to `capability-denied-used` (capabilities.ts).
 */
import type { Capability } from '../../manifest/capabilities.ts';
import { fileFinding } from '../files/file-finding.ts';
import type { RuleId } from '../rules/catalog.ts';
import type { EvidenceRef, Finding } from '../types.ts';
import { CLASS_INFO, REACH_CLASSES, type ReachClass, RULE_CLASS } from './classes.ts';
import type { HostScanTable } from './host.ts';

/** Places named in a finding's message besides the first. */
const MORE_PLACES = 3;

export interface DeclaredCapabilities {
	granted: readonly Capability[];
	denied: readonly Capability[];
}

/** A place a class is reached, with the finding that shows it (for its code line). */
export interface ReachRef extends EvidenceRef {
	snippet?: string;
	column?: number;
}

export type ReachEvidence = Map<ReachClass, ReachRef[]>;

/** The name a `network` finding's message starts with (`api.web_service.get uses the network`). */
function networkName(finding: Finding): string {
	const end = finding.message.indexOf(' uses the network');
	return end === -1 ? '' : finding.message.slice(0, end);
}

function classOf(finding: Finding, host: HostScanTable): ReachClass | undefined {
	const reach = RULE_CLASS[finding.ruleId];
	if (reach === 'network' && finding.ruleId === 'network') {
		const name = networkName(finding);
		return host.networkApi.some((pattern) => pattern.test(name)) ? 'host-network' : 'network';
	}
	// A write into the plugin's own data directory or a temporary file is not one outside it.
	if (reach === 'fs-write' && host.dataDirWrite.test(finding.snippet ?? '')) return 'data-write';
	return reach;
}

function byPlace(a: ReachRef, b: ReachRef): number {
	return a.file < b.file ? -1 : a.file > b.file ? 1 : (a.line ?? 0) - (b.line ?? 0);
}

/** Every place each class is reached, first by file and line; a few per class and file. */
export function collectReach(findings: readonly Finding[], host: HostScanTable): ReachEvidence {
	const evidence: ReachEvidence = new Map();
	for (const finding of findings) {
		if (finding.file === undefined) continue;
		const reach = classOf(finding, host);
		if (reach === undefined) continue;
		const list = evidence.get(reach) ?? [];
		evidence.set(reach, list);
		// Bounded: the judgement needs one place, the message a few; a plugin of many files
		// must not make this list as long as its findings.
		// One place once, whichever rules saw it there.
		const known = list.some((ref) => ref.file === finding.file && ref.line === finding.line);
		if (!known && list.length < 64) {
			const ref: ReachRef = { ruleId: finding.ruleId, file: finding.file };
			if (finding.line !== undefined) ref.line = finding.line;
			if (finding.column !== undefined) ref.column = finding.column;
			if (finding.snippet !== undefined) ref.snippet = finding.snippet;
			list.push(ref);
		}
	}
	for (const list of evidence.values()) list.sort(byPlace);
	return evidence;
}

function describe(ref: EvidenceRef): string {
	return ref.line === undefined ? ref.file : `${ref.file}:${ref.line}`;
}

function places(list: readonly EvidenceRef[]): string {
	const more = list.slice(1, 1 + MORE_PLACES).map(describe);
	if (more.length === 0) return '';
	const rest = list.length - 1 - more.length;
	return `; also ${more.join(', ')}${rest > 0 ? ` and ${rest} more` : ''}`;
}

function judged(ruleId: RuleId, at: ReachRef, message: string): Finding {
	const finding = fileFinding(ruleId, at.file, message);
	if (at.line !== undefined) finding.line = at.line;
	if (at.column !== undefined) finding.column = at.column;
	if (at.snippet !== undefined) finding.snippet = at.snippet;
	return finding;
}

function first(evidence: ReachEvidence, ...classes: ReachClass[]): ReachRef[] {
	return classes.flatMap((reach) => evidence.get(reach) ?? []).sort(byPlace);
}

export interface ReachJudgement {
	findings: Finding[];
	/** D20 capabilities already reported as `undeclared-sensitive`, not to be reported again. */
	covered: Set<Capability>;
}

export function judgeReach(
	evidence: ReachEvidence,
	declared: DeclaredCapabilities,
): ReachJudgement {
	const findings: Finding[] = [];
	const covered = new Set<Capability>();
	for (const reach of REACH_CLASSES) {
		const info = CLASS_INFO[reach];
		const list = evidence.get(reach);
		if (!info.sensitive || list === undefined || list.length === 0) continue;
		const capability = info.capability;
		if (capability !== undefined && declared.granted.includes(capability)) continue;
		// Declared false and used: capability-denied-used says so, as high.
		if (capability !== undefined && declared.denied.includes(capability)) continue;
		const at = list[0] as ReachRef;
		const unsaid =
			capability === undefined
				? 'which no manifest key declares'
				: `which the manifest does not declare (${capability})`;
		const finding = judged(
			'undeclared-sensitive',
			at,
			`can reach ${info.what} (${describe(at)}), ${unsaid}${places(list)}`,
		);
		if (capability !== undefined) {
			finding.capability = capability;
			covered.add(capability);
		}
		findings.push(finding);
	}

	const secrets = evidence.get('secrets') ?? [];
	const network = first(evidence, 'network', 'host-network');
	if (secrets.length > 0 && network.length > 0) {
		const at = secrets[0] as ReachRef;
		findings.push(
			judged(
				'secrets-and-network',
				at,
				`reads secrets (${describe(at)}${places(secrets)}) and can reach the network (${describe(network[0] as ReachRef)})`,
			),
		);
	}

	const persistence = evidence.get('persistence') ?? [];
	const writes = first(evidence, 'fs-write', 'data-write', 'process');
	if (persistence.length > 0 && writes.length > 0) {
		const at = persistence[0] as ReachRef;
		findings.push(
			judged(
				'persistence-write',
				at,
				`names a start-up or persistence location (${describe(at)}${places(persistence)}) and can write files or start programs (${describe(writes[0] as ReachRef)})`,
			),
		);
	}

	const hostFiles = evidence.get('host-files') ?? [];
	const fileWrites = first(evidence, 'fs-write', 'data-write');
	if (hostFiles.length > 0 && fileWrites.length > 0) {
		const at = hostFiles[0] as ReachRef;
		findings.push(
			judged(
				'host-tamper',
				at,
				`reaches the host’s configuration or other plugins’ files (${describe(at)}${places(hostFiles)}) and can write files (${describe(fileWrites[0] as ReachRef)})`,
			),
		);
	}
	const otherApps = evidence.get('other-apps') ?? [];
	if (otherApps.length > 0 && fileWrites.length > 0) {
		const at = otherApps[0] as ReachRef;
		findings.push(
			judged(
				'app-tamper',
				at,
				`reaches other programs’ code or configuration (${describe(at)}${places(otherApps)}) and can write files (${describe(fileWrites[0] as ReachRef)})`,
			),
		);
	}
	return { findings, covered };
}

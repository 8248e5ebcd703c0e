/** The scan report: what `scanPlugin` returns, `vouch scan --json` prints and registries store. */
import type { Capability } from '../manifest/capabilities.ts';
import type { ScanLimits } from './limits.ts';
import type { RuleCategory, RuleId } from './rules/catalog.ts';
import type { Confidence, Severity } from './severity.ts';

export type SourceLanguage = 'python' | 'javascript' | 'typescript' | 'tsx';

export interface Finding {
	ruleId: RuleId;
	category: RuleCategory;
	severity: Severity;
	confidence: Confidence;
	/** What this occurrence is, e.g. "os.system runs a command built at run time". Sanitised. */
	message: string;
	/** Why the rule matters, and what to do instead (the rule's texts). */
	why: string;
	fix: string;
	/** Relative to the plugin root, `/`-separated. Absent for plugin-wide findings. */
	file?: string;
	/** 1-based; absent for whole-file findings. Columns count UTF-16 code units. */
	line?: number;
	column?: number;
	endLine?: number;
	endColumn?: number;
	/** The source line (or a window of a long line), sanitised for any terminal. */
	snippet?: string;
	/** The D20 capability this finding is evidence of. */
	capability?: Capability;
}

export type SkipReason =
	| 'file-limit'
	| 'too-large'
	| 'total-bytes'
	| 'too-deep'
	| 'timeout'
	| 'directory-depth'
	| 'symlink'
	| 'special-file'
	| 'unreadable'
	/** A Python coding cookie names an encoding the scanner does not decode (UTF-7...). */
	| 'encoding';

export interface SkippedFile {
	/** Relative to the plugin root, `/`-separated. */
	file: string;
	reason: SkipReason;
	/** Sanitised detail, e.g. "3.1 MiB, over the 2 MiB bound". */
	detail: string;
}

export type DeclarationStatus =
	/** MANIFEST.toml has a [capabilities] table. */
	| 'declared'
	/** MANIFEST.toml has no [capabilities] table (D20: shown to the user as "undeclared"). */
	| 'undeclared'
	/** No readable, valid MANIFEST.toml: nothing is declared. */
	| 'no-manifest';

export interface CapabilityReport {
	status: DeclarationStatus;
	/** Declared `true`. */
	declared: Capability[];
	/** Declared `false`. */
	denied: Capability[];
	/** What the code was found to use. */
	inferred: Capability[];
	/** Inferred but not declared true: all of `inferred` when nothing is declared. */
	undeclared: Capability[];
	/** Declared true, never seen in the code. */
	unused: Capability[];
	/** Where each inferred capability was seen (first few places). */
	evidence: Partial<Record<Capability, EvidenceRef[]>>;
}

export interface EvidenceRef {
	ruleId: RuleId;
	file: string;
	line?: number;
}

export interface ScanSummary {
	high: number;
	medium: number;
	low: number;
	info: number;
	total: number;
}

export interface ScanReport {
	/** Bumped when a field changes meaning. */
	reportVersion: 1;
	scanner: { name: 'vouch-scan'; version: string };
	/** The directory scanned, absolute. */
	root: string;
	manifest: { status: 'valid' | 'invalid' | 'missing'; file?: string };
	findings: Finding[];
	summary: ScanSummary;
	capabilities: CapabilityReport;
	files: {
		/** Code files parsed and analysed. */
		scanned: number;
		/** Other files looked at (data, docs, binaries). */
		other: number;
		/** Bytes and lines of the scanned code. */
		bytes: number;
		lines: number;
		byLanguage: Partial<Record<SourceLanguage, number>>;
	};
	skipped: SkippedFile[];
	/** Skipped files beyond the ones listed (the list itself is bounded). */
	skippedNotListed: number;
	limits: ScanLimits;
}

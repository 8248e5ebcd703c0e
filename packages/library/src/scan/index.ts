/**
 * Static analysis of plugin code (D21) and capability checks (D20): `scanPlugin(dir)` returns
 * a report of findings, inferred and undeclared capabilities and skipped files; `toSarif`
 * turns it into SARIF 2.1.0.
 */
export type { DeclarationInput } from './capabilities.ts';
export { createScanEngine, prepareScanEngine, type ScanEngine } from './engine/engine.ts';
export {
	inThreadRunner,
	type SourceScanRequest,
	type SourceScanRunner,
} from './engine/source-runner.ts';
export {
	createScanWorkerPool,
	type ScanWorkerPool,
	type ScanWorkerPoolOptions,
	sharedScanPool,
} from './engine/worker-pool.ts';
export { type ScanErrorCode, scanError } from './errors.ts';
export { DEFAULT_SCAN_LIMITS, type ScanLimits } from './limits.ts';
export { type HostScanTable, PICARD_SCAN_TABLE } from './reach/host.ts';
export { reachMatchers } from './reach/matchers.ts';
export {
	isRuleId,
	RULES,
	type RuleCategory,
	type RuleId,
	type RuleInfo,
	ruleInfo,
} from './rules/catalog.ts';
export { SARIF_SCHEMA_URI, toSarif } from './sarif.ts';
export { SCANNER_VERSION, type ScanOptions, scanPlugin } from './scan-plugin.ts';
export {
	atLeast,
	CONFIDENCES,
	type Confidence,
	parseSeverity,
	SEVERITIES,
	type Severity,
	severityRank,
} from './severity.ts';
export type {
	CapabilityReport,
	DeclarationStatus,
	EvidenceRef,
	Finding,
	ScanReport,
	ScanSummary,
	SkippedFile,
	SkipReason,
	SourceLanguage,
} from './types.ts';

/** A finding about a whole file (no line): binaries, skipped files, a manifest's hooks. */
import { type RuleId, ruleInfo } from '../rules/catalog.ts';
import type { Severity } from '../severity.ts';
import type { Finding } from '../types.ts';

/** The rule's own severity unless the caller has judged this occurrence (`severity`). */
export function fileFinding(
	ruleId: RuleId,
	file: string,
	message: string,
	severity?: Severity,
): Finding {
	const info = ruleInfo(ruleId);
	const finding: Finding = {
		ruleId,
		category: info.category,
		severity: severity ?? info.severity,
		confidence: info.confidence,
		message,
		why: info.why,
		fix: info.fix,
		file,
	};
	if (info.capability !== undefined) finding.capability = info.capability;
	return finding;
}

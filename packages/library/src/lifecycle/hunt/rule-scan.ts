/**
 * The scanner as a `rule:` hunt uses it: the whole scan of one exported version, keeping the
 * findings of one rule. Some rules weigh the whole plugin (what it imports, what it declares),
 * so the rule is never run alone on single files. The scanner loads on first use.
 */
import { scanPlugin } from '../../scan/on-first-call.ts';
import type { RuleMatch } from './types.ts';

export async function scanForRule(
	dir: string,
	ruleId: string,
	signal?: AbortSignal,
): Promise<RuleMatch[]> {
	const report = await scanPlugin(dir, signal === undefined ? {} : { signal });
	return report.findings
		.filter((finding) => finding.ruleId === ruleId)
		.map((finding) => ({
			...(finding.file === undefined ? {} : { file: finding.file }),
			...(finding.line === undefined ? {} : { line: finding.line }),
			...(finding.snippet === undefined ? {} : { snippet: finding.snippet }),
		}));
}

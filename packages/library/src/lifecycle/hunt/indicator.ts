/**
 * What `registry hunt` looks for. A plain string is searched as it is (`git grep -F`). A
 * `re:` pattern must first compile on RE2 (D3), so that nothing backtracking-only (back
 * references, lookaround) reaches git's matcher, and must avoid Perl escapes such as `\d` that
 * git's POSIX extended syntax would read differently: what RE2 accepts is then what git
 * searches. A `rule:` names a scanner rule, run on each version's files.
 */
import { isVouchError } from '../../core/errors.ts';
import { compilePythonPattern } from '../../core/pyregex.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { assertGrepPattern } from '../../git/grep.ts';
import { isRuleId, type RuleId } from '../../scan/rules/catalog.ts';
import { huntError } from './errors.ts';

export type Indicator =
	| { kind: 'fixed'; text: string }
	| { kind: 'regex'; pattern: string }
	| { kind: 'rule'; ruleId: RuleId };

/** The indicator as given, for reports: `re:` and `rule:` prefixes kept. */
export function indicatorText(indicator: Indicator): string {
	if (indicator.kind === 'fixed') return indicator.text;
	if (indicator.kind === 'regex') return `re:${indicator.pattern}`;
	return `rule:${indicator.ruleId}`;
}

export function parseIndicator(text: string): Indicator {
	if (text.startsWith('rule:')) {
		const ruleId = text.slice('rule:'.length);
		if (!isRuleId(ruleId)) {
			throw huntError(
				'HUNT_INDICATOR_INVALID',
				`The scanner has no rule ${sanitizeText(ruleId, { maxLength: 80 })}.`,
				{
					hint: 'The rule ids are listed in docs/scanning.md and in `vouch scan --json` findings.',
				},
			);
		}
		return { kind: 'rule', ruleId };
	}
	if (text.startsWith('re:')) {
		const pattern = text.slice('re:'.length);
		checkGitSafe(pattern);
		const perlEscape = /\\[0-9A-Za-z]|\(\?/.exec(pattern);
		if (perlEscape !== null) {
			throw huntError(
				'HUNT_INDICATOR_INVALID',
				`The pattern uses ${sanitizeText(perlEscape[0])}, which git's POSIX syntax reads differently.`,
			);
		}
		try {
			compilePythonPattern(pattern);
		} catch (error) {
			if (!isVouchError(error)) throw error;
			throw huntError(
				'HUNT_INDICATOR_INVALID',
				`The pattern is refused: ${sanitizeText(error.message, { maxLength: 200 })}`,
				{ cause: error },
			);
		}
		return { kind: 'regex', pattern };
	}
	checkGitSafe(text);
	return { kind: 'fixed', text };
}

function checkGitSafe(pattern: string): void {
	try {
		assertGrepPattern(pattern);
	} catch (error) {
		if (!isVouchError(error)) throw error;
		throw huntError('HUNT_INDICATOR_INVALID', error.message, { cause: error });
	}
}

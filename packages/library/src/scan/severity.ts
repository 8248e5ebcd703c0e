/**
 * Severities and confidences of findings, and how they order. A severity says how much harm
 * the pattern can do if it is meant badly; a confidence says how sure the rule is that the
 * pattern is what it looks like (a name match on an unknown object is less certain than a
 * resolved import).
 */
import { ExitCode } from '../core/errors.ts';
import { scanError } from './errors.ts';

export const SEVERITIES = ['info', 'low', 'medium', 'high'] as const;
export type Severity = (typeof SEVERITIES)[number];

export const CONFIDENCES = ['low', 'medium', 'high'] as const;
export type Confidence = (typeof CONFIDENCES)[number];

export function severityRank(severity: Severity): number {
	return SEVERITIES.indexOf(severity);
}

/** True when `severity` is at least `threshold`. */
export function atLeast(severity: Severity, threshold: Severity): boolean {
	return severityRank(severity) >= severityRank(threshold);
}

export function isSeverity(value: string): value is Severity {
	return (SEVERITIES as readonly string[]).includes(value);
}

/** Reads a severity typed by a user (`--fail-on high`); anything else is a usage error. */
export function parseSeverity(value: string): Severity {
	const lower = value.trim().toLowerCase();
	if (isSeverity(lower)) return lower;
	throw scanError('SCAN_INVALID_OPTION', `Unknown severity '${value.slice(0, 40)}'.`, {
		hint: `Use one of: ${SEVERITIES.join(', ')}.`,
		exitCode: ExitCode.usage,
	});
}

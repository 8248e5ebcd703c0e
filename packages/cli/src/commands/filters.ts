/** `--trust`, `--category` and `--locale`, shared by browse and search. */
import { Option } from '@commander-js/extra-typings';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import { closestNames, didYouMean } from '@vouch/library/internal/core/suggest';
import { TRUST_ORDER, type TrustLevel } from '@vouch/library/internal/registry/model';
import { safe } from '../style.ts';

export const trustOption = () =>
	new Option(
		'--trust <levels>',
		'only these trust levels, comma-separated (e.g. official,trusted)',
	);
export const categoryOption = () => new Option('--category <category>', 'only this category');
export const localeOption = () =>
	new Option('--locale <locale>', 'language for names and descriptions').default('en');

export function parseTrustFilter(value: string | undefined): TrustLevel[] | undefined {
	if (value === undefined) return undefined;
	const levels = value
		.split(',')
		.map((part) => part.trim().toLowerCase())
		.filter((part) => part.length > 0);
	for (const level of levels) assertTrustLevel(level, '--trust');
	return levels as TrustLevel[];
}

/** A trust level typed in an option: a known one, else a usage error suggesting the closest. */
export function assertTrustLevel(level: string, option: string): asserts level is TrustLevel {
	if ((TRUST_ORDER as readonly string[]).includes(level)) return;
	const suggestions = closestNames(level, TRUST_ORDER);
	const suggestion = didYouMean(suggestions);
	throw new VouchError(
		'USAGE',
		`Unknown trust level "${safe(level, { maxLength: 80 })}" in ${option}.`,
		{
			hint: `${suggestion === undefined ? '' : `${suggestion} `}Use one or more of: ${TRUST_ORDER.join(', ')}.`,
			exitCode: ExitCode.usage,
			details: { option, value: level, suggestions, valid: [...TRUST_ORDER] },
		},
	);
}

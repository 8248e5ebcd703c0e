/** `--trust`, `--category` and `--locale`, shared by browse and search. */
import { Option } from '@commander-js/extra-typings';
import { ExitCode, VouchError } from '@vouch/library/internal/core/errors';
import { TRUST_ORDER, type TrustLevel } from '@vouch/library/internal/registry/model';

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
	for (const level of levels) {
		if (!(TRUST_ORDER as readonly string[]).includes(level)) {
			throw new VouchError('USAGE', `Unknown trust level "${level}".`, {
				hint: `Use one or more of: ${TRUST_ORDER.join(', ')}.`,
				exitCode: ExitCode.usage,
			});
		}
	}
	return levels as TrustLevel[];
}

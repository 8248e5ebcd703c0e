/**
 * Top-level keys the manifest format does not define. The reference ignores them silently;
 * Vouch reports them as one warning (never an error), so a typo such as `descripton` or
 * `[capabilites]` is seen while newer fields still pass (spec §11 item 10).
 */
import { sanitizeText } from '../core/sanitize.ts';
import type { IssueCollector } from './issues.ts';

export const KNOWN_FIELDS = [
	'uuid',
	'name',
	'description',
	'api',
	'authors',
	'maintainers',
	'license',
	'license_url',
	'long_description',
	'categories',
	'homepage',
	'report_bugs_to',
	'min_python_version',
	'source_locale',
	'name_i18n',
	'description_i18n',
	'long_description_i18n',
	'version',
	'capabilities',
	'entry',
	'network_allow',
] as const;
export type KnownField = (typeof KNOWN_FIELDS)[number];

/** Names listed in the warning; the rest are counted. */
const MAX_LISTED = 20;

export function unknownKeys(keys: readonly string[]): string[] {
	const known: readonly string[] = KNOWN_FIELDS;
	return keys.filter((key) => !known.includes(key));
}

export function checkUnknownKeys(keys: readonly string[], issues: IssueCollector): void {
	const unknown = unknownKeys(keys);
	if (unknown.length === 0) return;
	const listed = unknown
		.slice(0, MAX_LISTED)
		.map((key) => `'${sanitizeText(key, { maxLength: 60 })}'`)
		.join(', ');
	const more = unknown.length > MAX_LISTED ? ` and ${unknown.length - MAX_LISTED} more` : '';
	issues.warning(
		'UNKNOWN_FIELD',
		undefined,
		`Unknown top-level key(s) ignored: ${listed}${more}. Check the spelling; other hosts may not ignore them.`,
	);
}

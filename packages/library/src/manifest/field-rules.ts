/**
 * The manifest fields with rules of their own: the UUID, API versions, URLs with a scheme
 * rule, one-line texts, and categories checked against the host profile.
 */
import { parseApiVersion } from '../core/api-version.ts';
import { normaliseUuid, uuidProblem } from '../core/uuid.ts';
import { checkString, checkStringArray } from './field-checks.ts';
import { describeValue, type IssueCollector, quote } from './issues.ts';
import { FIELD_LIMITS as L } from './limits.ts';
import { SOURCE_LOCALE_PATTERN } from './schema.ts';

export const SOURCE_LOCALE = new RegExp(SOURCE_LOCALE_PATTERN);
/** The reference's rule; `javascript:`, `data:` and `file:` links must never reach a page. */
export const BUG_REPORT_PREFIXES = ['http://', 'https://', 'mailto:'] as const;
/** Vouch's rule for `homepage` and `license_url`, which registry pages render as links. */
export const WEB_PREFIXES = ['http://', 'https://'] as const;

export function checkUuid(value: unknown, issues: IssueCollector): string | undefined {
	if (typeof value !== 'string') {
		issues.error(
			'WRONG_TYPE',
			'uuid',
			`Field 'uuid' must be a string (got ${describeValue(value)}).`,
		);
		return undefined;
	}
	const problem = uuidProblem(value);
	if (problem === 'not-v4') {
		issues.error(
			'INVALID_UUID',
			'uuid',
			`Field 'uuid' must be a valid UUID v4 (got ${quote(value)}).`,
		);
	} else if (problem !== undefined) {
		issues.error(
			'PLACEHOLDER_UUID',
			'uuid',
			`Field 'uuid' appears to be a placeholder or hand-typed UUID (got ${quote(value)}). Generate a real one with 'uuidgen' or Python's uuid.uuid4().`,
		);
	}
	return normaliseUuid(value);
}

export function checkApi(value: unknown, issues: IssueCollector): string[] | undefined {
	return checkStringArray(value, 'api', issues, {
		itemName: 'API version',
		maxItems: L.apiEntries,
		maxItemLength: L.version,
		checkItem: (item, itemField) => {
			if (parseApiVersion(item) === undefined) {
				issues.error('INVALID_API_VERSION', itemField, `Invalid API version ${quote(item)}.`);
			}
		},
	});
}

/** A URL field that must start with one of `prefixes` once trimmed (so `javascript:` and `file:` fail). */
export function checkUrl(
	value: unknown,
	field: string,
	prefixes: readonly string[],
	issues: IssueCollector,
): string | undefined {
	const url = checkString(value, field, issues, L.url);
	if (url === undefined || url.trim() === '') return url;
	const trimmed = url.trim();
	if (!prefixes.some((prefix) => trimmed.startsWith(prefix))) {
		const allowed = prefixes.map((p) => p.replace(/:\/*$/, '')).join(', ');
		issues.error('INVALID_URL_SCHEME', field, `Field '${field}' must be a URL (${allowed}).`);
	}
	return url;
}

export function warnIfMultiline(
	text: string | undefined,
	field: string,
	issues: IssueCollector,
): void {
	if (text !== undefined && (text.includes('\n') || text.includes('\r'))) {
		issues.warning(
			'MULTILINE_TEXT',
			field,
			`Field '${field}' should be one line; lists and prompts show it on one line.`,
		);
	}
}

export function checkCategories(
	value: unknown,
	known: readonly string[] | undefined,
	issues: IssueCollector,
): string[] | undefined {
	return checkStringArray(value, 'categories', issues, {
		itemName: 'category',
		maxItems: L.categories,
		maxItemLength: L.category,
		checkItem: (category, itemField) => {
			if (known === undefined || known.includes(category)) return;
			issues.warning(
				'UNKNOWN_CATEGORY',
				itemField,
				`Category ${quote(category)} is not one this host knows (${known.map((c) => quote(c)).join(', ')}).`,
			);
		},
	});
}

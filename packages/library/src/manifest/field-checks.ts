/**
 * Checks shared by many manifest fields: strings with a length bound, arrays of strings and
 * `*_i18n` translation tables. Each reports every problem it finds and returns the value
 * only when its type is right, so later checks can still run on it.
 */

import { describeValue, fieldPath, type IssueCollector, quote } from './issues.ts';
import { FIELD_LIMITS } from './limits.ts';
import { checkMarkdown } from './markdown-checks.ts';
import { codePointLength, isBlank, isTable } from './values.ts';

/**
 * Locale keys of translation tables (`de`, `pt_BR`, `zh-Hant`, `sr@latin`): the same shape the
 * registry accepts, since the registry tool copies `name_i18n` and `description_i18n` into it.
 */
export const LOCALE_KEY = /^[A-Za-z]{2,3}(?:[_@-][A-Za-z0-9]{1,8}){0,3}$/;

function reportLength(
	text: string,
	field: string,
	max: number,
	issues: IssueCollector,
	min?: number,
): void {
	const length = codePointLength(text);
	if (length <= max) return;
	const range = min === undefined ? `max ${max}` : `${min}-${max}`;
	issues.error('TOO_LONG', field, `Field '${field}' must be ${range} characters (got ${length}).`);
}

/**
 * A string field: the right type, not blank, and at most `max` code points. Returns the
 * string whenever it is one (even when too long or blank), for the caller's further checks.
 */
export function checkString(
	value: unknown,
	field: string,
	issues: IssueCollector,
	max: number,
	min?: number,
): string | undefined {
	if (typeof value !== 'string') {
		issues.error(
			'WRONG_TYPE',
			field,
			`Field '${field}' must be a string (got ${describeValue(value)}).`,
		);
		return undefined;
	}
	if (isBlank(value)) {
		issues.error('EMPTY_FIELD', field, `Field '${field}' must not be empty.`);
		return value;
	}
	reportLength(value, field, max, issues, min);
	return value;
}

export interface StringArraySpec {
	/** For messages: "at least one author". */
	itemName: string;
	maxItems: number;
	maxItemLength: number;
	/** Further checks on each non-blank string item, given its own field path (`api[2]`). */
	checkItem?: (item: string, itemField: string) => void;
}

/**
 * An array of non-blank strings. The reference checks only that the array is non-empty; Vouch
 * also checks the items, because they are shown to users and copied into the registry.
 */
export function checkStringArray(
	value: unknown,
	field: string,
	issues: IssueCollector,
	spec: StringArraySpec,
): string[] | undefined {
	if (!Array.isArray(value)) {
		issues.error(
			'WRONG_TYPE',
			field,
			`Field '${field}' must be an array (got ${describeValue(value)}).`,
		);
		return undefined;
	}
	if (value.length === 0) {
		issues.error(
			'EMPTY_FIELD',
			field,
			`Field '${field}' must contain at least one ${spec.itemName} if present.`,
		);
		return [];
	}
	if (value.length > spec.maxItems) {
		issues.error(
			'TOO_MANY_ITEMS',
			field,
			`Field '${field}' may list at most ${spec.maxItems} items (got ${value.length}).`,
		);
		return undefined;
	}
	const items: string[] = [];
	value.forEach((item: unknown, index) => {
		const itemField = `${field}[${index}]`;
		if (typeof item !== 'string') {
			issues.error(
				'WRONG_TYPE',
				itemField,
				`Each ${spec.itemName} in '${field}' must be a string (got ${describeValue(item)}).`,
			);
			return;
		}
		if (isBlank(item)) {
			issues.error('EMPTY_FIELD', itemField, `Entries of '${field}' must not be empty.`);
		} else {
			reportLength(item, itemField, spec.maxItemLength, issues);
			spec.checkItem?.(item, itemField);
		}
		items.push(item);
	});
	return items;
}

export interface I18nSpec {
	maxLength: number;
	/** Run the Markdown safety checks on every value (long descriptions). */
	markdown: boolean;
}

/**
 * A translation table, locale → text. Present but empty is an error, as in the reference.
 * Vouch also checks keys and values (the reference checks neither): translations are shown in
 * place of the base text, so they get the same type and length rules.
 */
export function checkI18nTable(
	value: unknown,
	field: string,
	issues: IssueCollector,
	spec: I18nSpec,
): Record<string, string> | undefined {
	if (!isTable(value)) {
		issues.error(
			'WRONG_TYPE',
			field,
			`Field '${field}' must be a table of locale = "text" (got ${describeValue(value)}).`,
		);
		return undefined;
	}
	const keys = Object.keys(value);
	if (keys.length === 0) {
		issues.error('EMPTY_SECTION', field, `Section '${field}' is present but empty.`);
		return {};
	}
	if (keys.length > FIELD_LIMITS.locales) {
		issues.error(
			'TOO_MANY_ITEMS',
			field,
			`Section '${field}' may hold at most ${FIELD_LIMITS.locales} locales (got ${keys.length}).`,
		);
		return undefined;
	}
	const entries: [string, string][] = [];
	for (const locale of keys) {
		const entryField = fieldPath(field, locale);
		if (locale.length > FIELD_LIMITS.localeKey || !LOCALE_KEY.test(locale)) {
			issues.error(
				'INVALID_LOCALE',
				entryField,
				`${quote(locale)} in '${field}' is not a locale code such as de, pt_BR or zh-Hant.`,
			);
		}
		const text = checkString(value[locale], entryField, issues, spec.maxLength);
		if (text === undefined) continue;
		if (spec.markdown) checkMarkdown(text, entryField, issues);
		entries.push([locale, text]);
	}
	return Object.fromEntries(entries);
}

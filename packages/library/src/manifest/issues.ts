/**
 * What validation reports about individual fields. Errors make a manifest invalid; warnings
 * never do. Every message is built from sanitised text, so a caller may print it as is.
 */
import { sanitizeText } from '../core/sanitize.ts';

export type ManifestErrorIssueCode =
	/** A required field is absent, or empty (`""`, `[]`), as the reference counts it. */
	| 'MISSING_FIELD'
	| 'WRONG_TYPE'
	/** Blank after trimming, or an empty array. */
	| 'EMPTY_FIELD'
	/** Longer than the bound, counted in Unicode code points. */
	| 'TOO_LONG'
	| 'TOO_MANY_ITEMS'
	| 'INVALID_UUID'
	/** A documented example or a hand-typed, low-entropy UUID. */
	| 'PLACEHOLDER_UUID'
	| 'INVALID_API_VERSION'
	| 'INVALID_VERSION'
	| 'HTML_NOT_ALLOWED'
	/** `<script` in any case. */
	| 'DANGEROUS_CONTENT'
	/** A list item indented 36 or more places ("max 9 levels"). */
	| 'LIST_TOO_DEEP'
	| 'INVALID_URL_SCHEME'
	| 'INVALID_LOCALE'
	/** A `*_i18n` table that is present but has no entries. */
	| 'EMPTY_SECTION'
	| 'INVALID_CAPABILITY'
	/** `entry` is not a relative path inside the plugin to a JavaScript or TypeScript module. */
	| 'INVALID_ENTRY'
	/** A `network_allow` item that is not a bare http(s) origin. */
	| 'INVALID_NETWORK_ALLOW'
	/** The typed schema refused a value the explicit checks let through (a bug guard). */
	| 'SCHEMA_VIOLATION'
	/** More problems than are worth listing; the message counts the rest. */
	| 'ISSUES_TRUNCATED';

export type ManifestWarningCode =
	/** A top-level key the manifest format does not define. */
	| 'UNKNOWN_FIELD'
	/** A category the host profile does not list. */
	| 'UNKNOWN_CATEGORY'
	/** `name` or `description` spans several lines; lists and prompts show one line. */
	| 'MULTILINE_TEXT'
	/** No `[capabilities]` table: the user will be told the plugin does not say what it needs. */
	| 'CAPABILITIES_UNDECLARED'
	| 'ISSUES_TRUNCATED';

export type ManifestIssueCode = ManifestErrorIssueCode | ManifestWarningCode;

export interface ManifestIssue<C extends ManifestIssueCode = ManifestIssueCode> {
	code: C;
	/** Dotted path of the field, as written in the TOML (`long_description_i18n.de`, `api[1]`). */
	field?: string;
	/** Human-readable and sanitised. */
	message: string;
}

/** Enough to fix a manifest by; more only floods a terminal (and memory, for hostile input). */
export const MAX_ISSUES_PER_LIST = 100;

/** Quotes an untrusted value for a message: control characters stripped, length capped. */
export function quote(value: unknown): string {
	const text = typeof value === 'string' ? value : describeValue(value);
	return `'${sanitizeText(text, { maxLength: 60 })}'`;
}

/** A short, safe description of a non-string TOML value, for "got ..." messages. */
export function describeValue(value: unknown): string {
	if (Array.isArray(value)) return 'an array';
	if (value instanceof Date) return 'a date';
	if (value === null || value === undefined) return 'nothing';
	if (typeof value === 'object') return 'a table';
	if (typeof value === 'string') return 'a string';
	if (typeof value === 'boolean') return `the boolean ${value}`;
	return `the ${typeof value} ${sanitizeText(String(value), { maxLength: 30 })}`;
}

/** A field path with any untrusted key segment made safe to print. */
export function fieldPath(parent: string, key: string): string {
	return `${parent}.${sanitizeText(key, { maxLength: 60 })}`;
}

class BoundedList<C extends ManifestIssueCode> {
	readonly items: ManifestIssue<C | 'ISSUES_TRUNCATED'>[] = [];
	private dropped = 0;

	add(code: C, field: string | undefined, message: string): void {
		if (this.items.length >= MAX_ISSUES_PER_LIST) {
			this.dropped++;
			return;
		}
		this.items.push(field === undefined ? { code, message } : { code, field, message });
	}

	finish(): ManifestIssue<C | 'ISSUES_TRUNCATED'>[] {
		if (this.dropped > 0) {
			this.items.push({
				code: 'ISSUES_TRUNCATED',
				message: `${this.dropped} more problem(s) of this kind were not listed.`,
			});
		}
		return this.items;
	}
}

/** Collects errors and warnings in the order they are found, each list bounded. */
export class IssueCollector {
	private readonly errorList = new BoundedList<ManifestErrorIssueCode>();
	private readonly warningList = new BoundedList<ManifestWarningCode>();

	error(code: ManifestErrorIssueCode, field: string | undefined, message: string): void {
		this.errorList.add(code, field, message);
	}

	warning(code: ManifestWarningCode, field: string | undefined, message: string): void {
		this.warningList.add(code, field, message);
	}

	get errorCount(): number {
		return this.errorList.items.length;
	}

	/** Whether an error was already reported on this exact field. */
	hasErrorOn(field: string): boolean {
		return this.errorList.items.some((issue) => issue.field === field);
	}

	finish(): { errors: ManifestIssue[]; warnings: ManifestIssue[] } {
		return { errors: this.errorList.finish(), warnings: this.warningList.finish() };
	}
}

/** The findings of `vouch registry lint`, shared by the checks in `lint*.ts`. */

export type LintCode =
	| 'PLUGIN_SKIPPED'
	| 'TRUST_LEVEL_INVALID'
	| 'ID_INVALID'
	| 'UUID_INVALID'
	| 'DUPLICATE_ID'
	| 'DUPLICATE_UUID'
	| 'DUPLICATE_GIT_URL'
	| 'MISSING_FIELD'
	| 'TIMESTAMP_INVALID'
	| 'TIMESTAMP_ORDER'
	| 'INSECURE_GIT_URL'
	| 'INSECURE_REDIRECT_URL'
	| 'VERSIONING_SCHEME_INVALID'
	| 'REF_INVALID'
	| 'RELEASE_INVALID'
	| 'OFFICIAL_NOT_PINNED'
	| 'UNKNOWN_CATEGORY'
	| 'NO_CATEGORIES'
	| 'UNKNOWN_FIELD'
	| 'REDIRECT_TO_SELF'
	| 'REDIRECT_CONFLICT'
	| 'REDIRECT_SHADOWS_CURRENT'
	| 'REDIRECT_CYCLE'
	| 'BLACKLIST_REGEX_INVALID'
	| 'BLACKLIST_URL_NOT_REPOSITORY'
	| 'BLACKLIST_REASON_MISSING'
	| 'BLACKLIST_DATE_MISSING';

export interface LintIssue {
	code: LintCode;
	/** Sanitised, human-readable. */
	message: string;
	/** The plugin id (sanitised) when the issue is about one plugin. */
	plugin?: string;
	/** The blacklist entry index when the issue is about one entry. */
	entry?: number;
}

export interface LintReport {
	errors: LintIssue[];
	warnings: LintIssue[];
}

/** Collects issues into the two lists of a report. */
export class LintSink {
	readonly errors: LintIssue[] = [];
	readonly warnings: LintIssue[] = [];

	error(issue: LintIssue): void {
		this.errors.push(issue);
	}

	warning(issue: LintIssue): void {
		this.warnings.push(issue);
	}

	report(): LintReport {
		return { errors: this.errors, warnings: this.warnings };
	}
}

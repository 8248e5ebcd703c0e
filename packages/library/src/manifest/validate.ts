/**
 * Validation of a parsed MANIFEST.toml. It follows the reference validator's rules and order
 * (spec §2.3), reports every problem at once, and adds Vouch's decisions: stricter item and
 * URL checks, `[capabilities]` (D20), category warnings against the host profile, and
 * warnings for unknown keys and multi-line one-line texts.
 */
import { parseApiVersion } from '../core/api-version.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { readCapabilities } from './capabilities.ts';
import { checkI18nTable, checkString, checkStringArray } from './field-checks.ts';
import {
	BUG_REPORT_PREFIXES,
	checkApi,
	checkCategories,
	checkUrl,
	checkUuid,
	SOURCE_LOCALE,
	WEB_PREFIXES,
	warnIfMultiline,
} from './field-rules.ts';
import { describeValue, IssueCollector, type ManifestIssue, quote } from './issues.ts';
import { FIELD_LIMITS as L } from './limits.ts';
import { checkMarkdown } from './markdown-checks.ts';
import type { Manifest, ManifestOptions } from './model.ts';
import { checkEntry, checkNetworkAllow } from './node-entry.ts';
import { manifestSchema } from './schema.ts';
import { checkUnknownKeys, type KnownField } from './unknown-keys.ts';
import { isFalsy, isTable } from './values.ts';

export interface ValidationResult {
	manifest?: Manifest;
	errors: ManifestIssue[];
	warnings: ManifestIssue[];
}

const REQUIRED: readonly KnownField[] = ['uuid', 'name', 'description', 'api'];

/** The parsed values a valid manifest is built from. */
type Collected = {
	[K in Exclude<keyof Manifest, 'capabilities'>]?: Manifest[K] | undefined;
} & Pick<Manifest, 'capabilities'>;

/** The optional simple fields, in the reference's order. */
function checkOptionalFields(
	data: Record<string, unknown>,
	into: Collected,
	issues: IssueCollector,
): void {
	if (Object.hasOwn(data, 'long_description')) {
		const text = checkString(data.long_description, 'long_description', issues, L.longDescription);
		if (text !== undefined) checkMarkdown(text, 'long_description', issues);
		into.longDescription = text;
	}
	if (Object.hasOwn(data, 'version')) {
		const version = checkString(data.version, 'version', issues, L.version);
		if (version !== undefined && version.trim() !== '' && parseApiVersion(version) === undefined) {
			issues.error('INVALID_VERSION', 'version', `Invalid version format: ${quote(version)}.`);
		}
		into.version = version;
	}
	if (Object.hasOwn(data, 'api')) into.api = checkApi(data.api, issues);
	if (Object.hasOwn(data, 'source_locale')) {
		const locale = checkString(data.source_locale, 'source_locale', issues, L.sourceLocale);
		if (
			locale !== undefined &&
			!issues.hasErrorOn('source_locale') &&
			!SOURCE_LOCALE.test(locale)
		) {
			issues.error(
				'INVALID_LOCALE',
				'source_locale',
				`Field 'source_locale' must be a valid locale code such as en or pt_BR (got ${quote(locale)}).`,
			);
		}
		into.sourceLocale = locale;
	}
	if (Object.hasOwn(data, 'license'))
		into.license = checkString(data.license, 'license', issues, L.license);
	if (Object.hasOwn(data, 'license_url')) {
		into.licenseUrl = checkUrl(data.license_url, 'license_url', WEB_PREFIXES, issues);
	}
	if (Object.hasOwn(data, 'homepage'))
		into.homepage = checkUrl(data.homepage, 'homepage', WEB_PREFIXES, issues);
	if (Object.hasOwn(data, 'report_bugs_to')) {
		into.reportBugsTo = checkUrl(
			data.report_bugs_to,
			'report_bugs_to',
			BUG_REPORT_PREFIXES,
			issues,
		);
	}
	if (Object.hasOwn(data, 'min_python_version')) {
		into.minPythonVersion = checkString(
			data.min_python_version,
			'min_python_version',
			issues,
			L.minPythonVersion,
		);
	}
}

function checkLists(
	data: Record<string, unknown>,
	into: Collected,
	options: ManifestOptions,
	issues: IssueCollector,
): void {
	const people = { maxItems: L.people, maxItemLength: L.person };
	if (Object.hasOwn(data, 'authors')) {
		into.authors = checkStringArray(data.authors, 'authors', issues, {
			itemName: 'author',
			...people,
		});
	}
	if (Object.hasOwn(data, 'maintainers')) {
		into.maintainers = checkStringArray(data.maintainers, 'maintainers', issues, {
			itemName: 'maintainer',
			...people,
		});
	}
	if (Object.hasOwn(data, 'categories'))
		into.categories = checkCategories(data.categories, options.categories, issues);
	if (Object.hasOwn(data, 'name_i18n')) {
		into.nameI18n = checkI18nTable(data.name_i18n, 'name_i18n', issues, {
			maxLength: L.name,
			markdown: false,
		});
	}
	if (Object.hasOwn(data, 'description_i18n')) {
		into.descriptionI18n = checkI18nTable(data.description_i18n, 'description_i18n', issues, {
			maxLength: L.description,
			markdown: false,
		});
	}
	if (Object.hasOwn(data, 'long_description_i18n')) {
		into.longDescriptionI18n = checkI18nTable(
			data.long_description_i18n,
			'long_description_i18n',
			issues,
			{
				maxLength: L.longDescription,
				markdown: true,
			},
		);
	}
}

/** Only fields that were present and well-typed reach here (there were no errors). */
function buildManifest(c: Collected): Manifest {
	const manifest: Manifest = {
		uuid: c.uuid ?? '',
		name: c.name ?? '',
		description: c.description ?? '',
		api: c.api ?? [],
		authors: c.authors ?? [],
		maintainers: c.maintainers ?? [],
		categories: c.categories ?? [],
		sourceLocale: c.sourceLocale ?? 'en',
		nameI18n: c.nameI18n ?? {},
		descriptionI18n: c.descriptionI18n ?? {},
		longDescriptionI18n: c.longDescriptionI18n ?? {},
		capabilities: c.capabilities,
	};
	const optional = [
		'license',
		'licenseUrl',
		'longDescription',
		'homepage',
		'reportBugsTo',
		'minPythonVersion',
		'version',
		'entry',
	] as const;
	for (const key of optional) {
		const value = c[key];
		if (value !== undefined) manifest[key] = value;
	}
	if (c.networkAllow !== undefined) manifest.networkAllow = c.networkAllow;
	return manifest;
}

/**
 * Validates parsed manifest data. Never throws for bad content: every problem becomes an
 * error or a warning, and `manifest` is returned only when there are no errors.
 */
export function validateManifest(data: unknown, options: ManifestOptions = {}): ValidationResult {
	const issues = new IssueCollector();
	if (!isTable(data)) {
		issues.error(
			'WRONG_TYPE',
			undefined,
			`A manifest must be a TOML table (got ${describeValue(data)}).`,
		);
		return issues.finish();
	}
	// Own keys only: the reference's "missing" is absent or falsy, in that order of checks.
	const present = (key: string) => Object.hasOwn(data, key);
	for (const field of REQUIRED) {
		if (!present(field) || isFalsy(data[field])) {
			issues.error('MISSING_FIELD', field, `Missing required field: ${field}.`);
		}
	}
	const collected: Collected = { capabilities: { status: 'undeclared' } };
	if (present('uuid')) collected.uuid = checkUuid(data.uuid, issues);
	if (present('name')) {
		collected.name = checkString(data.name, 'name', issues, L.name, 1);
		warnIfMultiline(collected.name, 'name', issues);
	}
	if (present('description')) {
		collected.description = checkString(data.description, 'description', issues, L.description, 1);
		warnIfMultiline(collected.description, 'description', issues);
	}
	checkOptionalFields(data, collected, issues);
	checkLists(data, collected, options, issues);
	if (present('entry')) collected.entry = checkEntry(data.entry, issues);
	if (present('network_allow'))
		collected.networkAllow = checkNetworkAllow(data.network_allow, issues);
	collected.capabilities = readCapabilities(
		present('capabilities') ? data.capabilities : undefined,
		issues,
	);
	checkUnknownKeys(Object.keys(data), issues);

	if (issues.errorCount === 0) {
		// Belt and braces: the published schema must agree with the explicit checks.
		const parsed = manifestSchema.safeParse(data);
		if (!parsed.success) {
			for (const issue of parsed.error.issues) {
				const field = sanitizeText(issue.path.map((p) => String(p)).join('.'), { maxLength: 120 });
				issues.error(
					'SCHEMA_VIOLATION',
					field || undefined,
					`Field '${field}' does not match the manifest schema.`,
				);
			}
		}
	}
	const { errors, warnings } = issues.finish();
	if (errors.length > 0) return { errors, warnings };
	return { manifest: buildManifest(collected), errors, warnings };
}

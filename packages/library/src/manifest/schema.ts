/**
 * The typed schema of a *valid* MANIFEST.toml, in its TOML (snake_case) form. It is published
 * as `schemas/manifest.schema.json` for editors and other tools, and it runs as a final guard
 * after the explicit checks in `validate.ts` (which report every problem with its own code).
 *
 * Lengths count Unicode code points, as the reference (Python `len`) does and as JSON Schema's
 * `maxLength` is defined; zod's own `.max()` counts UTF-16 units, so it is not used on text.
 */
import * as z from 'zod';
import { parseApiVersion } from '../core/api-version.ts';
import { uuidProblem } from '../core/uuid.ts';
import { CAPABILITIES, CAPABILITY_DESCRIPTIONS } from './capabilities.ts';
import { LOCALE_KEY } from './field-checks.ts';
import { FIELD_LIMITS as L } from './limits.ts';
import { containsHtmlTag, containsScriptTag, hasExcessiveListNesting } from './markdown-checks.ts';
import { codePointLength } from './values.ts';

/** The shape half of the UUID rule; placeholders and low entropy are checked in code. */
export const UUID_V4_PATTERN =
	'^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-4[0-9a-fA-F]{3}-[89abAB][0-9a-fA-F]{3}-[0-9a-fA-F]{12}$';
/** The grammar `parseApiVersion` accepts (`3`, `3.0`, `3.0.1`, `3.1.0rc1`...). */
export const API_VERSION_PATTERN =
	'^(\\d+)(?:[._](\\d+)(?:[._](\\d+)[._]?(?:(dev|a|alpha|b|beta|rc|final)[._]?(\\d+))?)?)?$';
export const SOURCE_LOCALE_PATTERN = '^[a-z]{2,3}(_[A-Z]{2})?$';
/** After leading whitespace, as the reference strips before testing the prefix. */
export const BUG_REPORT_URL_PATTERN = '^\\s*(?:https?://|mailto:)';
export const WEB_URL_PATTERN = '^\\s*https?://';
/** At least one non-whitespace character: blank values count as empty. */
const NOT_BLANK = '\\S';

interface TextSpec {
	max: number;
	pattern?: string;
	description?: string;
}

/** A non-blank string of at most `max` code points. */
function text({ max, pattern, description }: TextSpec) {
	let schema = z
		.string()
		.regex(new RegExp(NOT_BLANK))
		.check(
			z.refine((s: string) => codePointLength(s) <= max, { message: `at most ${max} characters` }),
		);
	if (pattern !== undefined) schema = schema.regex(new RegExp(pattern));
	return schema.meta({ minLength: 1, maxLength: max, ...(description ? { description } : {}) });
}

function markdownText(max: number, description: string) {
	return text({ max, description }).check(
		z.refine(
			(s: string) => !containsHtmlTag(s) && !containsScriptTag(s) && !hasExcessiveListNesting(s),
			{ message: 'Markdown only: no HTML tags, no deeply nested lists' },
		),
	);
}

function stringList(maxItems: number, maxItemLength: number, description: string) {
	return z
		.array(text({ max: maxItemLength }))
		.min(1)
		.max(maxItems)
		.meta({ description });
}

function i18nTable<T extends z.ZodType<string>>(value: T, description: string) {
	return z
		.record(z.string().regex(LOCALE_KEY).max(L.localeKey), value)
		.check(
			z.refine(
				(table: Record<string, string>) => {
					const count = Object.keys(table).length;
					return count >= 1 && count <= L.locales;
				},
				{ message: `between 1 and ${L.locales} locales` },
			),
		)
		.meta({ minProperties: 1, maxProperties: L.locales, description });
}

const capabilityFlags = Object.fromEntries(
	CAPABILITIES.map((name) => [
		name,
		z.boolean().optional().meta({ description: CAPABILITY_DESCRIPTIONS[name] }),
	]),
) as Record<(typeof CAPABILITIES)[number], z.ZodOptional<z.ZodBoolean>>;

export const capabilitiesSchema = z.strictObject(capabilityFlags).meta({
	description:
		'What the plugin will reach. Absent means "undeclared", and users are told so. An unknown key or a non-boolean value is an error.',
});

export const manifestSchema = z
	.looseObject({
		uuid: z
			.string()
			.regex(new RegExp(UUID_V4_PATTERN))
			.check(
				z.refine((s: string) => uuidProblem(s) === undefined, {
					message: 'placeholder or low-entropy UUID',
				}),
			)
			.meta({
				description:
					'The permanent identity: a random UUID v4, any case. Documented example UUIDs and hand-typed ones (under 2.8 bits of entropy per hex digit) are refused.',
			}),
		name: text({ max: L.name, description: 'Display name, one line.' }),
		description: text({
			max: L.description,
			description: 'One-line summary for lists and search.',
		}),
		api: z
			.array(
				text({ max: L.version, pattern: API_VERSION_PATTERN }).check(
					z.refine((s: string) => parseApiVersion(s) !== undefined),
				),
			)
			.min(1)
			.max(L.apiEntries)
			.meta({ description: 'Plugin API versions the plugin supports, such as "3.0".' }),
		version: text({
			max: L.version,
			pattern: API_VERSION_PATTERN,
			description: 'The plugin version.',
		})
			.check(z.refine((s: string) => parseApiVersion(s) !== undefined))
			.optional(),
		authors: stringList(L.people, L.person, 'Authors (informative).').optional(),
		maintainers: stringList(L.people, L.person, 'Maintainers (informative).').optional(),
		license: text({
			max: L.license,
			description: 'SPDX licence identifier (not verified).',
		}).optional(),
		license_url: text({
			max: L.url,
			pattern: WEB_URL_PATTERN,
			description: 'http(s) URL of the licence text.',
		}).optional(),
		long_description: markdownText(L.longDescription, 'Markdown, no HTML.').optional(),
		categories: stringList(
			L.categories,
			L.category,
			"Categories; values outside the host's list only warn.",
		).optional(),
		homepage: text({
			max: L.url,
			pattern: WEB_URL_PATTERN,
			description: 'http(s) URL of the project.',
		}).optional(),
		report_bugs_to: text({
			max: L.url,
			pattern: BUG_REPORT_URL_PATTERN,
			description: 'An http, https or mailto URL.',
		}).optional(),
		min_python_version: text({
			max: L.minPythonVersion,
			description: 'Informative; never enforced.',
		}).optional(),
		source_locale: text({
			max: L.sourceLocale,
			pattern: SOURCE_LOCALE_PATTERN,
			description: 'Locale of the base texts; default "en".',
		}).optional(),
		name_i18n: i18nTable(text({ max: L.name }), 'Translated names by locale.').optional(),
		description_i18n: i18nTable(
			text({ max: L.description }),
			'Translated descriptions by locale.',
		).optional(),
		long_description_i18n: i18nTable(
			markdownText(L.longDescription, 'Markdown, no HTML.'),
			'Translated long descriptions by locale.',
		).optional(),
		capabilities: capabilitiesSchema.optional(),
		entry: text({
			max: 200,
			description:
				'For Node hosts: the module to load, a relative path inside the plugin (.js, .mjs, .cjs, .ts, .mts, .cts).',
		}).optional(),
		network_allow: stringList(
			32,
			300,
			'For Node hosts: the origins (https://host[:port]) that api.fetch may reach.',
		).optional(),
	})
	.meta({
		title: 'MANIFEST.toml',
		description:
			'A plugin manifest, read by Vouch and by Picard 3. Keys not listed here are allowed and reported as warnings.',
	});

export type ManifestDocument = z.infer<typeof manifestSchema>;

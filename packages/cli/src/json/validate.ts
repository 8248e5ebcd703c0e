/** `vouch validate --json`: every problem of a MANIFEST.toml, and the manifest when valid. */
import { CAPABILITIES } from '@vouch/library/internal/manifest/capabilities';
import * as z from 'zod';
import { ok, uuid } from './common.ts';

const capability = z.enum(CAPABILITIES);
const localised = z.record(z.string(), z.string());

export const manifestIssue = z.object({
	code: z.string().describe('A stable issue code, such as MISSING_FIELD or UNKNOWN_FIELD.'),
	field: z.string().optional().describe('The dotted path of the field, as written in the TOML.'),
	message: z.string(),
});

/** The manifest as read, with camelCase names (the TOML format is schemas/manifest.schema.json). */
export const manifestRead = z.object({
	uuid,
	name: z.string(),
	description: z.string(),
	api: z.array(z.string()),
	authors: z.array(z.string()),
	maintainers: z.array(z.string()),
	license: z.string().optional(),
	licenseUrl: z.string().optional(),
	longDescription: z.string().optional(),
	categories: z.array(z.string()),
	homepage: z.string().optional(),
	reportBugsTo: z.string().optional(),
	minPythonVersion: z.string().optional(),
	sourceLocale: z.string(),
	nameI18n: localised,
	descriptionI18n: localised,
	longDescriptionI18n: localised,
	version: z.string().optional(),
	capabilities: z.union([
		z.object({ status: z.literal('undeclared') }),
		z.object({
			status: z.literal('declared'),
			granted: z.array(capability),
			denied: z.array(capability),
			unlisted: z.array(capability).describe('Not mentioned: unknown, never denied.'),
		}),
	]),
});

export const validateDocument = z
	.object({
		ok: ok.describe('True when the manifest has no errors (exit 0); false exits 1.'),
		manifest: manifestRead.optional().describe('Present only when there are no errors.'),
		errors: z.array(manifestIssue),
		warnings: z.array(manifestIssue),
		file: z.string().describe('The MANIFEST.toml read.'),
	})
	.meta({ title: 'vouch validate --json' });

export type ValidateJson = z.infer<typeof validateDocument>;

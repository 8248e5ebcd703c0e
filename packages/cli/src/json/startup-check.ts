/**
 * `vouch startup-check --json`: the contract for hosts written in other languages
 * (docs/json-output.md). A host runs it before loading plugins and loads exactly `load`.
 */
import * as z from 'zod';
import { freshnessState, pluginName, trustLevel, uuid } from './common.ts';

const entry = {
	uuid,
	name: pluginName.describe('The display name, made safe for a terminal (at most 100 characters).'),
	reason: z.string().describe('Why, sanitised, for the user.'),
};

/** What a blacklist entry tells the user, beside its reason (issue 13: reason, severity, link, advice). */
const blockFields = {
	severity: z
		.enum(['hard', 'soft'])
		.optional()
		.describe(
			'blacklist: hard (disabled and quarantined) or soft (disabled; the user may enable it again after reading the reason).',
		),
	incident: z
		.string()
		.optional()
		.describe('blacklist: the public incident page (https, or http to loopback), sanitised.'),
	advice: z
		.string()
		.optional()
		.describe('blacklist: what the user should do, sanitised (at most 1000 characters).'),
	alsoSoftReasons: z
		.array(z.string())
		.optional()
		.describe(
			'blacklist, soft only, when several soft entries match: the reasons of the others after `reason`, in file order, sanitised. Show each with `reason`.',
		),
};

/**
 * The version of this document's contract. It changes only with a breaking change (a field
 * renamed, removed or given a new meaning), so a host in another language can refuse a document
 * it was not written for instead of misreading it (fail safe). Adding fields does not change it.
 */
export const STARTUP_CHECK_SCHEMA_VERSION = 1;

export const startupCheckDocument = z
	.object({
		ok: z.literal(true).describe('Always true: a failed check prints the error document instead.'),
		schemaVersion: z
			.literal(STARTUP_CHECK_SCHEMA_VERSION)
			.describe(
				'The version of this contract; it changes only with a breaking change. A host refuses a value it does not know.',
			),
		load: z
			.array(
				z.object({
					uuid,
					name: entry.name,
					path: z.string().describe('The directory to load the plugin from.'),
					trust: trustLevel.describe('The trust level the decision was made with.'),
				}),
			)
			.describe('Enabled plugins the host may load now, sorted by name. Load these and no others.'),
		disabled: z
			.array(
				z.object({
					...entry,
					kind: z.enum(['blacklist', 'integrity']),
					...blockFields,
					files: z
						.array(z.string())
						.optional()
						.describe('integrity: the files changed, added or removed since install.'),
				}),
			)
			.describe('Disabled by this check and recorded so: blacklisted, or files changed (D19b).'),
		quarantined: z
			.array(
				z.object({
					...entry,
					...blockFields,
					path: z.string().describe('Where the files were moved.'),
				}),
			)
			.describe('Hard-blacklisted plugins moved to quarantine by this check (also in disabled).'),
		heldBack: z
			.array(z.object({ ...entry, kind: z.enum(['stale-blacklist', 'api']) }))
			.describe(
				'Enabled but not to be loaded this time; nothing changed on disk. They load again once the blacklist is fresh or the API matches.',
			),
		removed: z
			.array(z.object(entry))
			.describe('Local plugins whose directory is gone, dropped from the record.'),
		warnings: z
			.array(z.string())
			.describe('Sanitised notices for the user: impersonation flags, an old blacklist.'),
		blacklist: z
			.object({
				state: freshnessState,
				ageDays: z.number().optional().describe('Days since the last successful fetch.'),
			})
			.describe('How current the blacklist the decisions used is.'),
	})
	.meta({ title: 'vouch startup-check --json' });

export type StartupCheckJson = z.infer<typeof startupCheckDocument>;

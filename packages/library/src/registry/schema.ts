/**
 * The registry file format: Picard's `plugins.toml` and the equivalent JSON document (same
 * snake_case keys) are described by this one zod schema. It only describes shapes and bounds;
 * `parse.ts` turns validated entries into the model (canonical URLs, lowercase UUIDs, trust
 * defaults). No transforms live here, so the schema can be exported as JSON Schema.
 */
import * as z from 'zod';
import { COMMIT_HASH_SHAPE } from '../core/commit-hash.ts';
import { semver } from '../core/semver.ts';
import { ADVICE_SHAPE, isIncidentUrl } from './incident-fields.ts';
import { REGISTRY_LIMITS as L } from './limits.ts';

/** 8-4-4-4-12 hex in any case. The registry names other plugins' UUIDs, so only the shape is required. */
export const UUID_SHAPE =
	/^[0-9A-Fa-f]{8}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{4}-[0-9A-Fa-f]{12}$/;

/**
 * Locale keys of `*_i18n` tables (`de`, `pt_BR`, `zh-Hant`, `sr@latin`). The pattern also keeps
 * keys such as `__proto__` out of the tables built from them.
 */
export const LOCALE_KEY = /^[A-Za-z]{2,3}(?:[_@-][A-Za-z0-9]{1,8}){0,3}$/;

const shortText = z.string().max(L.shortText);
const uuidText = z.string().regex(UUID_SHAPE);
const urlText = z.string().min(1).max(L.url);

function i18nTable(maxValueLength: number) {
	return z
		.record(z.string().regex(LOCALE_KEY), z.string().max(maxValueLength))
		.refine((table) => Object.keys(table).length <= L.locales, {
			message: `at most ${L.locales} locales`,
		});
}

export const registryRefSchema = z.object({
	name: shortText.min(1),
	description: z.string().max(L.description).optional(),
	/** Inclusive. */
	min_api_version: shortText.optional(),
	/** Inclusive. */
	max_api_version: shortText.optional(),
});

/** A reviewed release pin (D19b). */
export const releasePinSchema = z.object({
	ref: shortText.min(1),
	commit: shortText.min(1),
	tree: shortText.min(1),
});

/**
 * A recorded trust or URL change of a plugin (`[[plugins.changes]]`): Picard's reader ignores
 * the key, so the history travels in the file without breaking it.
 */
export const pluginChangeSchema = z.object({
	at: shortText,
	/** `trust_level` or `git_url`. */
	field: shortText.min(1),
	from: z.string().max(L.url).optional(),
	to: z.string().max(L.url).optional(),
	reason: z.string().max(L.description),
	/** `key:<TUF key id>` of the signer, or a maintainer's name. */
	actor: shortText.optional(),
	report: urlText.optional(),
});

export const pluginEntrySchema = z.object({
	id: z.string().min(1).max(L.id),
	uuid: uuidText,
	name: z.string().min(1).max(L.name),
	description: z.string().max(L.description).optional(),
	name_i18n: i18nTable(L.name).optional(),
	description_i18n: i18nTable(L.description).optional(),
	git_url: urlText,
	versioning_scheme: z.string().max(L.versioningScheme).optional(),
	refs: z.array(registryRefSchema).max(L.refs).optional(),
	categories: z.array(shortText).max(L.categories).optional(),
	/** `official`, `trusted` or `community`; anything else counts as `community` (D6). */
	trust_level: shortText.optional(),
	authors: z.array(z.string().max(L.person)).max(L.people).optional(),
	maintainers: z.array(z.string().max(L.person)).max(L.people).optional(),
	added_at: shortText.optional(),
	updated_at: shortText.optional(),
	redirect_from: z.array(urlText).max(L.redirects).optional(),
	redirect_from_uuid: z.array(uuidText).max(L.redirects).optional(),
	releases: z.array(releasePinSchema).max(L.releases).optional(),
	signers: z.array(z.string().min(1).max(L.signer)).max(L.signers).optional(),
	changes: z.array(pluginChangeSchema).max(L.changes).optional(),
});
export type PluginEntryInput = z.infer<typeof pluginEntrySchema>;

export const BLACKLIST_SEVERITIES = ['hard', 'soft'] as const;

/**
 * Keys present must all match (D4). An entry with no identifier would match nothing or
 * everything depending on the reader, so it is malformed.
 */
export const blacklistEntrySchema = z
	.object({
		/** A stable id (`bl-` and 12 hex digits) that `blacklist remove <id>` names. */
		id: shortText.min(1).optional(),
		uuid: uuidText.optional(),
		url: urlText.optional(),
		url_regex: z.string().min(1).max(L.urlRegex).optional(),
		/** A semver range over the plugin's version. */
		versions: shortText
			.min(1)
			.refine((range) => semver().validRange(range) !== null, { message: 'not a semver range' })
			.optional(),
		reason: z.string().max(L.description).optional(),
		blacklisted_at: shortText.optional(),
		severity: z.enum(BLACKLIST_SEVERITIES).optional(),
		/** A link to the report the entry came from. */
		report: urlText.optional(),
		/** Who added it: `key:<TUF key id>` of the signer, or a maintainer's name. */
		actor: shortText.optional(),
		/**
		 * A full commit hash (40 hex digits for SHA-1, 64 for SHA-256): a matching key, ANDed
		 * with the others, that blocks exactly one fetched commit (for example after an account
		 * takeover). Picard ignores the key, so to Picard the entry blocks every commit.
		 */
		commit: z.string().regex(COMMIT_HASH_SHAPE).optional(),
		/** The incident page: https, or http to this machine's loopback only. */
		incident: urlText
			.refine(isIncidentUrl, { message: 'an https URL (http only to a loopback host)' })
			.meta({ pattern: '^(?:https://|http://)' })
			.optional(),
		/** What users should do (for example "rotate the tokens this plugin could read"). */
		advice: z.string().min(1).max(L.advice).regex(ADVICE_SHAPE).optional(),
	})
	.refine(
		(entry) => entry.uuid !== undefined || entry.url !== undefined || entry.url_regex !== undefined,
		{ message: 'needs at least one of uuid, url, url_regex' },
	)
	// The refinement above, spelled for the published JSON Schema.
	.meta({ anyOf: [{ required: ['uuid'] }, { required: ['url'] }, { required: ['url_regex'] }] });
export type BlacklistEntryInput = z.infer<typeof blacklistEntrySchema>;

/** The whole document, as published in `schemas/registry.schema.json`. */
export const registryDocumentSchema = z
	.object({
		/** The registry format version (informational). */
		api_version: z.string().max(64).optional(),
		plugins: z.array(pluginEntrySchema).max(L.maxPlugins).optional(),
		blacklist: z.array(blacklistEntrySchema).max(L.maxBlacklistEntries).optional(),
	})
	.meta({
		title: 'Vouch plugin registry',
		description:
			'A plugin registry with its blacklist: Picard plugins.toml, or the same document as JSON.',
	});

/**
 * The same document with entries left unchecked, so that `parse.ts` can validate each entry on
 * its own: a bad plugin is skipped, a bad blacklist entry fails the load.
 */
export const registryEnvelopeSchema = registryDocumentSchema.extend({
	plugins: z.array(z.unknown()).optional(),
	blacklist: z.array(z.unknown()).optional(),
});

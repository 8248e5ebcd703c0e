/**
 * The host profile file (architecture.md, "The host profile"): snake_case TOML keys,
 * unknown keys refused so a typo such as `allow_unsgined` cannot silently fall back to a
 * default. Every list and string is bounded.
 */
import * as z from 'zod';
import { parseApiVersion } from './api-version.ts';
import {
	DEFAULT_CASE_INSENSITIVE_PATH_HOSTS,
	isCanonicalHostName,
	MAX_URL_LENGTH,
} from './canonical-url.ts';

/** A profile name becomes a directory name (`vouch/<name>`), so it is one plain segment. */
export const PROFILE_NAME = /^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$/;
const CATEGORY = /^[a-z0-9][a-z0-9_-]{0,31}$/;
const MAX_PATH_LENGTH = 4096;

/** Picard's categories, also the default for a profile that does not list its own. */
export const DEFAULT_CATEGORIES: readonly string[] = [
	'metadata',
	'coverart',
	'ui',
	'scripting',
	'formats',
	'other',
];
/** The languages a host's plugins can be written in. */
export const PLUGIN_LANGUAGES = ['python', 'javascript'] as const;
export type PluginLanguage = (typeof PLUGIN_LANGUAGES)[number];
export const DEFAULT_MAX_STALENESS_DAYS = 14;
export const DEFAULT_REFRESH_INTERVAL_HOURS = 6;

const pathValue = z.string().min(1).max(MAX_PATH_LENGTH);

export const profileDocumentSchema = z.strictObject({
	name: z.string().regex(PROFILE_NAME, 'use letters, digits, "_" and "-" (at most 64)'),
	api_versions: z
		.array(
			z
				.string()
				.max(64)
				.refine((v) => parseApiVersion(v) !== undefined, 'not an API version such as "3.0"'),
		)
		.min(1)
		.max(32),
	registry_urls: z.array(z.string().trim().min(1).max(MAX_URL_LENGTH)).min(1).max(16),
	trusted_root: pathValue.optional(),
	// Unsigned sources are the exception (D19): a profile has to ask for them.
	allow_unsigned: z.boolean().default(false),
	categories: z
		.array(z.string().regex(CATEGORY, 'use lowercase letters, digits, "_" and "-"'))
		.min(1)
		.max(64)
		.default([...DEFAULT_CATEGORIES]),
	max_staleness_days: z.int().min(1).max(3650).default(DEFAULT_MAX_STALENESS_DAYS),
	refresh_interval_hours: z.number().positive().max(8760).default(DEFAULT_REFRESH_INTERVAL_HOURS),
	// Hosts whose repository paths ignore case (D2): URLs on them are compared with the path
	// lowercased, so `BadOrg/Plugin` cannot step around a blacklist entry for `badorg/plugin`.
	// The list adds to the big forges, which fold whatever it says (see canonical-url.ts).
	case_insensitive_path_hosts: z
		.array(z.string().max(253).refine(isCanonicalHostName, 'not a host name such as github.com'))
		.max(64)
		.default([...DEFAULT_CASE_INSENSITIVE_PATH_HOSTS]),
	// What the host's plugins are written in: `vouch init` scaffolds an entry module in it, and a
	// JavaScript host runs them in the Node host, whose enforcement notes (D29) apply to it alone.
	plugin_language: z.enum(PLUGIN_LANGUAGES).default('python'),
	plugins_dir: pathValue.optional(),
	data_dir: pathValue.optional(),
	cache_dir: pathValue.optional(),
	config_dir: pathValue.optional(),
});

export type ProfileDocument = z.infer<typeof profileDocumentSchema>;

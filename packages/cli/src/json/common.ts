/**
 * The pieces every `--json` document shares, and the vocabulary they fix (docs/json-output.md):
 * `id` is always a registry id, `uuid` the plugin's UUID, `name` its display name, `trust` its
 * trust level now, `ref` a branch, tag or commit name, `commit` a full commit id, and `version`
 * the version of an installed copy (the tag's version for a tagged install).
 */
import * as z from 'zod';

/** Every document has `ok`: true when the command did what was asked. */
export const ok = z
	.boolean()
	.describe('True exactly when the exit code is 0: false with exit code 1 or 3.');

export const trustLevel = z
	.enum(['official', 'trusted', 'community', 'unregistered'])
	.describe('A trust level (D6): official, trusted, community or unregistered.');

export const uuid = z.string().describe('The plugin UUID from its MANIFEST.toml, lowercased.');
export const registryId = z.string().describe('The plugin id in the registry.');
export const pluginName = z.string().describe('The plugin display name, as data (not sanitised).');
export const isoTime = z.string().describe('An ISO 8601 UTC time.');

export const blacklistSeverity = z.enum(['hard', 'soft']);

/** A blacklist verdict inside a plugin document: `false`, or why the plugin is blocked. */
export const blacklistMark = z
	.union([
		z.literal(false),
		z.object({
			reason: z.string(),
			severity: blacklistSeverity,
			/** The entry's position in the registry's blacklist. */
			entry: z.int().min(0),
			incident: z
				.string()
				.optional()
				.describe('The public incident page (https, or http to loopback), sanitised.'),
			advice: z.string().optional().describe('What the user should do, sanitised.'),
			alsoSoftReasons: z
				.array(z.string())
				.optional()
				.describe(
					'Soft only, when several soft entries match: the reasons of the others after `reason`, in file order, sanitised.',
				),
		}),
	])
	.describe(
		'false, or the matching blacklist entry: its reason, severity, index, and the incident link and advice when the registry gives them.',
	);

export type BlacklistMarkJson = z.infer<typeof blacklistMark>;

export const freshnessState = z
	.enum(['fresh', 'stale', 'expired', 'missing'])
	.describe('How current the blacklist is (D1).');

/** Where the registry of this answer came from (commands that read it whole). */
export const registryStatus = z.object({
	source: z.string().describe('The source read: a URL or a file path.'),
	signed: z.boolean().describe('Verified through TUF (D19); false means an unsigned registry.'),
	fromCache: z.boolean(),
	offline: z.boolean().describe('No source answered; a cached copy was used.'),
	fetchedAt: isoTime,
	blacklistFreshness: freshnessState,
});

export type RegistryStatusJson = z.infer<typeof registryStatus>;

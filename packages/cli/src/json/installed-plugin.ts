/** An installed plugin as `install`, `enable`, `disable`, `list` and `info` print it. */
import * as z from 'zod';
import { blacklistMark, isoTime, pluginName, registryId, trustLevel, uuid } from './common.ts';

export const pluginSource = z.object({
	kind: z.enum(['git', 'local']),
	url: z.string().describe('The URL installed from, as given (no credentials).'),
	canonicalUrl: z.string(),
	fetchedUrl: z
		.string()
		.optional()
		.describe('Where git really fetched from after a redirect (D27).'),
	ref: z.string().optional().describe('The branch or tag installed; absent for a commit pin.'),
	refType: z.enum(['branch', 'tag', 'commit', 'local']),
	commit: z.string().optional().describe('The full commit id checked out.'),
});

export const scanSummary = z.object({
	scannedAt: isoTime,
	scannerVersion: z.string().optional(),
	failed: z.literal(true).optional(),
	high: z.int().min(0),
	medium: z.int().min(0),
	low: z.int().min(0),
	info: z.int().min(0),
	undeclared: z.array(z.string()),
	skipped: z.int().min(0),
});

export const installedPlugin = z.object({
	uuid,
	name: pluginName,
	id: registryId.nullable().describe('The registry id it was installed under, or null.'),
	version: z
		.string()
		.nullable()
		.describe(
			"The installed version: the tag's version for a tagged install, else the manifest's version, else null.",
		),
	manifestVersion: z.string().nullable().describe('The version the MANIFEST.toml declares.'),
	path: z.string().describe('The directory the host loads the plugin from.'),
	enabled: z.boolean(),
	state: z.enum(['active', 'quarantined']),
	trust: trustLevel.nullable().describe('The trust level now; null when no registry was read.'),
	trustAtInstall: trustLevel,
	source: pluginSource,
	originalUrl: z.string().nullable(),
	originalUuid: z.string().nullable(),
	capabilities: z.union([
		z.object({ status: z.literal('undeclared') }),
		z.object({ status: z.literal('declared'), granted: z.array(z.string()) }),
	]),
	release: z
		.union([
			z.object({ state: z.literal('verified'), ref: z.string() }),
			z.object({ state: z.literal('unsigned-registry') }),
		])
		.nullable(),
	authorSignature: z
		.object({
			tag: z.string(),
			keyFingerprint: z.string().optional(),
			signedRegistry: z.boolean(),
		})
		.nullable(),
	scan: scanSummary.nullable(),
	disabledReason: z
		.object({
			kind: z.enum(['blacklist', 'integrity', 'api', 'user', 'crash_loop']),
			reason: z.string(),
			at: isoTime,
		})
		.nullable(),
	installedAt: isoTime,
	updatedAt: isoTime,
});

export type InstalledPluginJson = z.infer<typeof installedPlugin>;

export const knownUpdate = z
	.object({ from: z.string(), to: z.string(), checkedAt: isoTime })
	.nullable()
	.describe('The update the last `vouch check-updates` found, or null.');

/** `list` and `info`: the record plus what the registry says about it now. */
export const installedPluginStatus = installedPlugin.extend({
	impersonation: z
		.string()
		.nullable()
		.describe('Why the plugin may be impersonating another (D6).'),
	blacklisted: blacklistMark,
	update: knownUpdate,
});

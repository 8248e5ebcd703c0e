/** A registry plugin as `browse`, `search` and `info` print it. */
import * as z from 'zod';
import { blacklistMark, pluginName, registryId, trustLevel, uuid } from './common.ts';

export const releaseStatus = z
	.enum(['signed-pins', 'unsigned-registry', 'not-required'])
	.describe(
		'D19b: only pinned releases install (signed-pins), pins exist but the registry is unsigned so nothing is verified (unsigned-registry), or no pins are required (not-required).',
	);

export const registryPluginSummary = z.object({
	id: registryId,
	uuid,
	name: pluginName,
	description: z.string(),
	trust: trustLevel.exclude(['unregistered']).describe('The effective registry trust level.'),
	declaredTrust: z
		.string()
		.optional()
		.describe('The raw trust_level when it was missing or unknown (then counted as community).'),
	gitUrl: z.string(),
	categories: z.array(z.string()),
	releaseStatus,
	blacklisted: blacklistMark,
});

export type RegistryPluginSummaryJson = z.infer<typeof registryPluginSummary>;

export const releasePin = z.object({
	ref: z.string(),
	commit: z.string().describe('The full commit id.'),
	tree: z.string().describe('The tree digest of the release files.'),
});

/** `vouch info`: the summary plus everything else the registry says. */
export const registryPluginDetail = registryPluginSummary.extend({
	versioningScheme: z.string().nullable(),
	refs: z.array(
		z.object({
			name: z.string(),
			description: z.string().optional(),
			minApiVersion: z.string().optional(),
			maxApiVersion: z.string().optional(),
		}),
	),
	authors: z.array(z.string()),
	maintainers: z.array(z.string()),
	redirectFrom: z.array(z.string()),
	redirectFromUuid: z.array(z.string()),
	releases: z.array(releasePin).describe('The reviewed-release pins (D19b).'),
	addedAt: z.string().nullable(),
	updatedAt: z.string().nullable(),
});

export type RegistryPluginDetailJson = z.infer<typeof registryPluginDetail>;

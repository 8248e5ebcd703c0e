/** `vouch registry diff --json`: what changed between two registries, lowering changes first. */
import * as z from 'zod';
import { ok } from './common.ts';

export const diffChange = z.object({
	kind: z
		.string()
		.describe('plugin-added, trust-changed, git-url-changed, pin-removed, blacklist-removed, …'),
	lowersSecurity: z.boolean().describe('True when the change makes users less safe.'),
	why: z.string().optional().describe('Why it lowers security.'),
	plugin: z.string().optional().describe('The plugin id (in the new registry when it has one).'),
	oldPlugin: z.string().optional().describe('The old id, for a renamed plugin.'),
	entry: z.int().min(0).optional().describe('The blacklist entry index.'),
	entryId: z.string().optional().describe('The blacklist entry id, when it has one.'),
	before: z.string().optional(),
	after: z.string().optional(),
	message: z.string(),
});

export const registryDiffDocument = z
	.object({
		ok: ok.describe('True unless --fail-on-lowering is given and a change lowers security.'),
		old: z.string(),
		new: z.string(),
		changeCount: z.int().min(0),
		loweringCount: z.int().min(0),
		changes: z.array(diffChange).describe('Security-lowering changes first.'),
		warnings: z
			.array(z.string())
			.describe('What could not be compared, e.g. plugin entries skipped as malformed.'),
	})
	.meta({ title: 'vouch registry diff --json' });

export type RegistryDiffJson = z.infer<typeof registryDiffDocument>;

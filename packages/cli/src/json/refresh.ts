/** `vouch refresh --json`: what the refresh reached and read. */
import * as z from 'zod';
import { isoTime, ok, registryStatus } from './common.ts';

export const sourceFailure = z.object({
	source: z.string(),
	code: z.string(),
	message: z.string(),
});

export const refreshDocument = z
	.object({
		ok,
		registry: registryStatus.extend({
			unchanged: z.boolean().describe('The server answered 304 Not Modified.'),
			local: z.boolean().describe('A local file, read but not cached.'),
			expiresAt: isoTime.optional().describe('Signed registries: when the metadata expires.'),
		}),
		pluginCount: z.int().min(0).describe('How many plugins the registry lists.'),
		blacklistCount: z.int().min(0).describe('How many blacklist entries it has.'),
		failures: z.array(sourceFailure).describe('Sources tried before the one that answered.'),
		warnings: z.array(z.string()),
	})
	.meta({ title: 'vouch refresh --json' });

export type RefreshJson = z.infer<typeof refreshDocument>;

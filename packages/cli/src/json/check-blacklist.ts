/** `vouch check-blacklist --json`: the verdict (exit 3 when blocked). */
import * as z from 'zod';
import { blacklistSeverity, ok, registryStatus } from './common.ts';

export const checkBlacklistDocument = z
	.object({
		ok,
		blocked: z.boolean().describe('True when an entry matches; the exit code is then 3.'),
		reason: z.string().optional().describe('Present when blocked.'),
		severity: blacklistSeverity.optional().describe('Present when blocked.'),
		entry: z.int().min(0).optional().describe('The index of the matching entry, when blocked.'),
		matchedOn: z
			.array(z.enum(['uuid', 'url', 'url_regex', 'versions', 'commit']))
			.optional()
			.describe('The keys of the entry, all of which matched, when blocked.'),
		incident: z
			.string()
			.optional()
			.describe('The public incident page, sanitised, when blocked and the registry gives one.'),
		advice: z
			.string()
			.optional()
			.describe('What the user should do, sanitised, when blocked and the registry gives it.'),
		registry: registryStatus,
		problems: z
			.array(z.object({ index: z.int().min(0), urlRegex: z.string(), error: z.string() }))
			.describe('Entries whose url_regex cannot compile; they match nothing (D3).'),
		warnings: z.array(z.string()),
	})
	.meta({ title: 'vouch check-blacklist --json' });

export type CheckBlacklistJson = z.infer<typeof checkBlacklistDocument>;

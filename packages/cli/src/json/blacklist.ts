/** `vouch blacklist list --json` and `vouch blacklist search --json`. */
import * as z from 'zod';
import { blacklistSeverity, ok, registryStatus, uuid } from './common.ts';

const matchKey = z.enum(['uuid', 'url', 'url_regex', 'versions', 'commit']);

const blacklistRow = z.object({
	index: z.int().min(0).describe("The entry's position in the registry's blacklist."),
	uuid: uuid.optional(),
	url: z.string().optional(),
	urlRegex: z.string().optional(),
	versions: z.string().optional().describe('The version range the entry blocks.'),
	reason: z.string().describe("The registry's reason, or the matcher's default for the kind."),
	reasonGiven: z.boolean().describe('False when the registry gave no reason.'),
	severity: blacklistSeverity,
	blacklistedAt: z.string().optional().describe('As the registry wrote it.'),
});

const problems = z
	.array(z.object({ index: z.int().min(0), urlRegex: z.string(), error: z.string() }))
	.describe('Entries whose url_regex cannot compile; they match nothing.');

export const blacklistListDocument = z
	.object({
		ok,
		count: z.int().min(0),
		entries: z.array(blacklistRow).describe('Newest first; entries without a date last.'),
		registry: registryStatus,
		problems,
	})
	.meta({ title: 'vouch blacklist list --json' });

export const blacklistSearchDocument = z
	.object({
		ok,
		query: z.string(),
		count: z.int().min(0),
		entries: z.array(
			blacklistRow.extend({
				matchedOn: z
					.array(z.enum(['uuid', 'url', 'url_regex', 'reason', 'address']))
					.describe('What matched the text; "address" when the URL in any spelling names it.'),
			}),
		),
		url: z
			.object({
				canonical: z.string().optional().describe('Absent when the text cannot be made canonical.'),
				blocked: z.boolean().describe('Blocked for a plugin at this address, UUID unknown.'),
				entry: z.int().min(0).optional(),
				matchedOn: z.array(matchKey).optional(),
				naming: z.array(z.int().min(0)).describe('Entries whose url or url_regex names it.'),
			})
			.optional()
			.describe('Present when the text is a URL.'),
		registry: registryStatus,
	})
	.meta({ title: 'vouch blacklist search --json' });

export type BlacklistListJson = z.infer<typeof blacklistListDocument>;
export type BlacklistSearchJson = z.infer<typeof blacklistSearchDocument>;

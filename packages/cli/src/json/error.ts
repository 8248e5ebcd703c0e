/** The document every command prints on stdout with `--json` when it fails (run.ts). */
import * as z from 'zod';

export const errorDocument = z
	.object({
		ok: z.literal(false),
		error: z.object({
			code: z
				.string()
				.describe(
					'A stable error code (USAGE, BLACKLISTED, NOT_INSTALLED, INTERNAL...); match on it, not on the message.',
				),
			message: z.string().describe('Sanitised, for people.'),
			hint: z.string().optional().describe('What to do about it, sanitised.'),
			details: z
				.record(z.string(), z.unknown())
				.optional()
				.describe('Code-specific facts, such as the failures of each registry source.'),
		}),
	})
	.meta({ title: 'vouch --json error' });

export type ErrorDocumentJson = z.infer<typeof errorDocument>;

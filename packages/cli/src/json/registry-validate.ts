/** `vouch registry validate --json`: lint findings plus the checks of every plugin repository. */
import * as z from 'zod';
import { ok } from './common.ts';

export const validateIssue = z.object({
	code: z.string().describe('A stable code: a lint code, or one of the repository checks.'),
	message: z.string(),
	plugin: z.string().optional().describe('The plugin id, when the issue is about one plugin.'),
	ref: z.string().optional().describe('The branch or tag, when the issue is about one ref.'),
	entry: z.int().min(0).optional().describe('The blacklist entry index, when about one entry.'),
});

export const registryValidateDocument = z
	.object({
		ok: ok.describe('True when there are no errors; false exits 1.'),
		file: z.string(),
		pluginCount: z.int().min(0),
		blacklistCount: z.int().min(0),
		offline: z.boolean().describe('True with --offline: the repository checks did not run.'),
		skippedChecks: z
			.array(
				z.object({
					check: z.string().describe('A stable name of the check.'),
					description: z.string(),
				}),
			)
			.describe('The checks that did not run (all repository checks with --offline).'),
		errors: z.array(validateIssue),
		warnings: z.array(validateIssue),
		plugins: z
			.array(
				z.object({
					id: z.string(),
					durationMs: z.number().min(0).describe('Time its repository checks took.'),
					errors: z.int().min(0),
				}),
			)
			.describe('Per plugin, when the repository checks ran; empty offline.'),
	})
	.meta({ title: 'vouch registry validate --json' });

export type RegistryValidateJson = z.infer<typeof registryValidateDocument>;

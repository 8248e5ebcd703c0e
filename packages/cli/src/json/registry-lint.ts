/** `vouch registry lint --json`: every problem of a registry file. */
import * as z from 'zod';
import { ok } from './common.ts';

export const lintIssue = z.object({
	code: z.string().describe('A stable lint code.'),
	message: z.string(),
	plugin: z.string().optional().describe('The plugin id, when the issue is about one plugin.'),
	entry: z.int().min(0).optional().describe('The blacklist entry index, when about one entry.'),
});

export const registryLintDocument = z
	.object({
		ok: ok.describe('True when there are no errors; false exits 1.'),
		file: z.string(),
		pluginCount: z.int().min(0).describe('How many plugins the file lists.'),
		blacklistCount: z.int().min(0).describe('How many blacklist entries it has.'),
		errors: z.array(lintIssue),
		warnings: z.array(lintIssue),
	})
	.meta({ title: 'vouch registry lint --json' });

export type RegistryLintJson = z.infer<typeof registryLintDocument>;

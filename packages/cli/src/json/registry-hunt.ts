/** `vouch registry hunt --json`: every published version searched for one indicator. */
import * as z from 'zod';
import { ok, registryId } from './common.ts';

const problem = z.object({
	code: z.string().describe('A stable error code (a git code, or HUNT_*).'),
	message: z.string(),
});

const hit = z.object({
	path: z.string().describe('The file, relative to the plugin root, `/`-separated (sanitised).'),
	line: z
		.int()
		.min(0)
		.describe('1-based; 0 when only the file is known (very long lines, whole-file findings).'),
	excerpt: z.string().describe('The matching line around the match, sanitised and bounded.'),
});

const version = z.object({
	names: z
		.array(z.string())
		.describe('The tags and refs this commit was published under; `pin <ref>` for a pin.'),
	commit: z.string().describe('The full commit id.'),
	hits: z.array(hit),
	hitsTruncated: z.boolean().describe('More hits were found than are listed.'),
	error: problem.optional().describe('Why this version was not searched.'),
});

export const registryHuntDocument = z
	.object({
		ok: ok.describe('True when every plugin could be searched; false (exit 1) when one failed.'),
		file: z.string(),
		indicator: z.object({
			kind: z.enum(['fixed', 'regex', 'rule']),
			text: z.string().describe('As given, with its `re:` or `rule:` prefix.'),
		}),
		plugins: z.array(
			z.object({
				id: registryId,
				gitUrl: z.string(),
				status: z.enum(['searched', 'failed']),
				error: problem.optional(),
				versions: z.array(version),
				versionsOmitted: z.int().min(0).describe('Versions past the per-plugin bound.'),
				missing: z
					.array(z.string())
					.describe('Registry refs and pins the repository does not have.'),
				filesSearched: z
					.int()
					.min(0)
					.describe('Distinct files searched; one shared by many versions counts once.'),
				filesSkipped: z.int().min(0).describe('Files too large to search.'),
			}),
		),
		unknownPluginIds: z.array(z.string()).describe('--plugin ids the registry does not list.'),
		totals: z.object({
			plugins: z.int().min(0),
			failed: z.int().min(0),
			versions: z.int().min(0),
			versionsWithHits: z.int().min(0),
			hits: z.int().min(0),
			pluginsWithHits: z.int().min(0),
		}),
		incident: z
			.object({ id: z.int().min(1), url: z.string() })
			.optional()
			.describe('The incident opened with --open-incident (absent when nothing was found).'),
	})
	.meta({ title: 'vouch registry hunt --json' });

export type RegistryHuntJson = z.infer<typeof registryHuntDocument>;

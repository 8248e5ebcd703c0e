/** `vouch browse --json` and `vouch search --json`: registry plugins with their verdicts. */
import * as z from 'zod';
import { ok, registryStatus } from './common.ts';
import { registryPluginSummary } from './registry-plugin.ts';

export const browseDocument = z
	.object({ ok, registry: registryStatus, plugins: z.array(registryPluginSummary) })
	.meta({ title: 'vouch browse --json' });

export const searchDocument = z
	.object({
		ok,
		query: z.string().describe('The search text as given.'),
		registry: registryStatus,
		plugins: z.array(registryPluginSummary),
	})
	.meta({ title: 'vouch search --json' });

export type BrowseJson = z.infer<typeof browseDocument>;
export type SearchJson = z.infer<typeof searchDocument>;

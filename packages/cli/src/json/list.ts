/** `vouch list --json`: every installed plugin with its trust and blacklist state now. */
import * as z from 'zod';
import { freshnessState, ok } from './common.ts';
import { installedPluginStatus } from './installed-plugin.ts';

export const listDocument = z
	.object({
		ok,
		registry: z.object({
			available: z.boolean().describe('False: no registry could be read; trust is null.'),
			signed: z.boolean(),
			source: z.string().nullable().describe('The source read, or null when none could be.'),
			blacklistFreshness: freshnessState,
		}),
		plugins: z.array(
			installedPluginStatus.extend({
				handle: z
					.string()
					.describe(
						'What to type for this plugin in any command: its registry id, else its name when unique and plain, else its UUID.',
					),
			}),
		),
	})
	.meta({ title: 'vouch list --json' });

export type ListJson = z.infer<typeof listDocument>;

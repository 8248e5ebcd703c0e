/** `vouch init --json`: the plugin skeleton written. */
import * as z from 'zod';
import { ok, pluginName, uuid } from './common.ts';

export const initDocument = z
	.object({
		ok,
		dir: z.string().describe('The plugin directory, absolute.'),
		uuid: uuid.describe('The fresh UUID written to MANIFEST.toml.'),
		name: pluginName,
		api: z.array(z.string()).describe('The host API versions the manifest declares.'),
		language: z.enum(['python', 'javascript']),
		profile: z.string().describe('The host profile the skeleton is for.'),
		files: z.array(z.object({ path: z.string(), content: z.string() })),
	})
	.meta({ title: 'vouch init --json' });

export type InitJson = z.infer<typeof initDocument>;

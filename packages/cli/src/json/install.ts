/** `vouch install --json`, `vouch enable --json` and `vouch disable --json`: the plugin record. */
import * as z from 'zod';
import { ok, pluginName, uuid } from './common.ts';
import { installedPlugin } from './installed-plugin.ts';

export const installDocument = z
	.object({
		ok,
		reinstalled: z.boolean(),
		plugin: installedPlugin,
	})
	.meta({ title: 'vouch install --json' });

export const enablementDocument = z
	.object({ ok, plugin: installedPlugin })
	.meta({ title: 'vouch enable / disable --json' });

export const uninstallDocument = z
	.object({
		ok,
		uuid,
		name: pluginName,
		filesRemoved: z
			.boolean()
			.describe('False for a local plugin (its directory stays) or a quarantined one (evidence).'),
		purged: z
			.array(z.string())
			.describe('The settings and data directories deleted (--purge); empty without it.'),
	})
	.meta({ title: 'vouch uninstall --json' });

export type InstallJson = z.infer<typeof installDocument>;
export type EnablementJson = z.infer<typeof enablementDocument>;
export type UninstallJson = z.infer<typeof uninstallDocument>;

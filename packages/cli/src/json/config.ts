/** `vouch config list|get|set|unset --json`: stored settings and where each value comes from. */
import * as z from 'zod';
import { ok } from './common.ts';

const settingKey = z.enum(['profile', 'registry', 'service']);

const effectiveSetting = z.object({
	key: settingKey,
	value: z
		.union([z.string(), z.array(z.string())])
		.describe(
			"The value in effect; the registry's default is the profile's list of sources, the service's is the empty list (none).",
		),
	source: z
		.enum(['flag', 'env', 'config', 'default'])
		.describe(
			'Where the value comes from: a flag, an environment variable, the file, the default.',
		),
	file: z.string().describe('The settings file the key is stored in, whether or not it is set.'),
});

export const configListDocument = z
	.object({ ok, settings: z.array(effectiveSetting) })
	.meta({ title: 'vouch config list --json' });

export const configGetDocument = z
	.object({ ok, ...effectiveSetting.shape })
	.meta({ title: 'vouch config get --json' });

export const configSetDocument = z
	.object({
		ok,
		key: settingKey,
		value: z.string().optional().describe('The value stored; absent after unset.'),
		file: z.string(),
	})
	.meta({ title: 'vouch config set|unset --json' });

export type EffectiveSettingJson = z.infer<typeof effectiveSetting>;
export type ConfigListJson = z.infer<typeof configListDocument>;
export type ConfigGetJson = z.infer<typeof configGetDocument>;
export type ConfigSetJson = z.infer<typeof configSetDocument>;

/** `vouch registry pin --json`: a reviewed-release pin computed from a real clone (D19b). */
import * as z from 'zod';
import { ok, registryId } from './common.ts';
import { registryChange } from './registry-edit.ts';
import { releasePin } from './registry-plugin.ts';

export const registryPinDocument = z
	.object({
		ok,
		id: registryId,
		pin: releasePin,
		refType: z
			.enum(['tag', 'branch', 'commit', 'local'])
			.describe('What the ref named; only a tag makes a lasting pin.'),
		written: z.boolean().describe('--write added the pin to the file (false if already there).'),
		file: z.string().nullable().describe('The registry file read, or null for a URL.'),
		change: registryChange
			.nullable()
			.optional()
			.describe(
				'With --write, the change record appended to the journal; null if nothing changed.',
			),
	})
	.meta({ title: 'vouch registry pin --json' });

export type RegistryPinJson = z.infer<typeof registryPinDocument>;

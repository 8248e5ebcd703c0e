/**
 * `vouch registry plugin | ref | blacklist | stats --json`: the maintainer's edit commands.
 * Every edit prints the change record the library made (`registry/edit/change.ts`), the same
 * record a transparency log appends.
 */
import * as z from 'zod';
import { blacklistSeverity, ok, pluginName, registryId, uuid } from './common.ts';

export const registryChange = z
	.object({
		schema: z.literal('vouch-registry-change-v1'),
		action: z.enum([
			'plugin.add',
			'plugin.update',
			'plugin.edit',
			'plugin.remove',
			'plugin.redirect.add',
			'plugin.redirect.remove',
			'ref.add',
			'ref.edit',
			'ref.remove',
			'blacklist.add',
			'blacklist.remove',
			'plugin.pin',
		]),
		subject: z.string().describe('The plugin id (`id@ref` for refs), or the blacklist entry ids.'),
		at: z.string().describe('When, in the registry timestamp form YYYY-MM-DDTHH:MM:SSZ.'),
		fields: z.array(
			z
				.object({ field: z.string(), from: z.unknown(), to: z.unknown() })
				.describe('One value before and after; null when absent.'),
		),
		reason: z.string().nullable(),
		actor: z
			.string()
			.nullable()
			.describe('`key:<TUF key id>` of the signer, or the --actor given.'),
		report: z.string().nullable().describe('A link to the report the change answers.'),
		registrySha256Before: z.string(),
		registrySha256After: z.string(),
	})
	.describe('A registry change record (also what the transparency log appends).');

export const registryEditDocument = z
	.object({
		ok,
		file: z.string().describe('The registry file edited.'),
		changed: z.boolean().describe('False when the edit would change nothing: nothing was written.'),
		change: registryChange.nullable(),
		notes: z.array(z.string()).describe('What the maintainer was told before the change.'),
	})
	.meta({ title: 'vouch registry <plugin|ref|blacklist> <edit> --json' });

export type RegistryEditJson = z.infer<typeof registryEditDocument>;

export const registryRedirectDocument = registryEditDocument
	.extend({ redirects: z.array(z.string()).describe("The plugin's redirect_from list now.") })
	.meta({ title: 'vouch registry plugin redirect --json' });

export type RegistryRedirectJson = z.infer<typeof registryRedirectDocument>;

const pluginRow = z.object({
	id: registryId,
	uuid,
	name: pluginName,
	trust: z.enum(['official', 'trusted', 'community']),
	gitUrl: z.string(),
	categories: z.array(z.string()),
});

export const registryPluginListDocument = z
	.object({ ok, file: z.string(), count: z.int().min(0), plugins: z.array(pluginRow) })
	.meta({ title: 'vouch registry plugin list --json' });

export type RegistryPluginListJson = z.infer<typeof registryPluginListDocument>;

export const registryPluginShowDocument = z
	.object({
		ok,
		file: z.string(),
		id: registryId,
		trust: z.enum(['official', 'trusted', 'community']),
		entry: z
			.record(z.string(), z.unknown())
			.describe('The entry as the file has it (snake_case keys).'),
	})
	.meta({ title: 'vouch registry plugin show --json' });

export type RegistryPluginShowJson = z.infer<typeof registryPluginShowDocument>;

export const registryRefListDocument = z
	.object({
		ok,
		file: z.string(),
		id: registryId,
		refs: z.array(
			z.object({
				name: z.string(),
				description: z.string().optional(),
				min_api_version: z.string().optional(),
				max_api_version: z.string().optional(),
			}),
		),
	})
	.meta({ title: 'vouch registry ref list --json' });

export type RegistryRefListJson = z.infer<typeof registryRefListDocument>;

export const registryBlacklistEntry = z.object({
	id: z
		.string()
		.describe('The stable id `blacklist remove` takes (stored, or derived from the content).'),
	index: z
		.int()
		.min(0)
		.describe('Position in the file; the first matching entry gives the reason.'),
	uuid: z.string().optional(),
	url: z.string().optional(),
	urlRegex: z.string().optional(),
	versions: z.string().optional(),
	commit: z.string().optional().describe('The one commit the entry blocks (a full id).'),
	incident: z.string().optional().describe('The public incident page.'),
	advice: z.string().optional().describe('What users should do, as the registry wrote it.'),
	severity: blacklistSeverity,
	reason: z.string().nullable(),
	blacklistedAt: z.string().nullable(),
	report: z.string().nullable(),
	actor: z.string().nullable(),
});

export const registryBlacklistListDocument = z
	.object({ ok, file: z.string(), count: z.int().min(0), entries: z.array(registryBlacklistEntry) })
	.meta({ title: 'vouch registry blacklist list|show --json' });

export type RegistryBlacklistListJson = z.infer<typeof registryBlacklistListDocument>;

export const registryStatsDocument = z
	.object({
		ok,
		file: z.string(),
		plugins: z.int().min(0),
		byTrust: z.record(z.string(), z.int().min(0)),
		byCategory: z.record(z.string(), z.int().min(0)),
		uncategorised: z.int().min(0),
		blacklist: z.int().min(0),
		blacklistByKind: z.record(z.string(), z.int().min(0)),
	})
	.meta({ title: 'vouch registry stats --json' });

export type RegistryStatsJson = z.infer<typeof registryStatsDocument>;

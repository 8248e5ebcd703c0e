/**
 * `vouch info --json`: one of three shapes, told apart by which key is present: `installed`
 * (an installed copy matched, with its registry entry as `registryEntry`), `plugin` (a registry
 * entry matched, nothing installed) or neither (a URL the registry does not know, reported as
 * unregistered).
 */
import * as z from 'zod';
import { blacklistMark, ok, registryStatus, trustLevel } from './common.ts';
import { installedPluginStatus } from './installed-plugin.ts';
import { registryPluginDetail } from './registry-plugin.ts';
import { remoteRefs, wouldInstall } from './remote-refs.ts';

const query = z.string().describe('The id, URL or UUID as given.');

export const infoInstalledDocument = z.object({
	ok,
	query,
	registered: z.boolean().describe('The registry knows the installed URL or UUID.'),
	installed: installedPluginStatus,
	registryEntry: registryPluginDetail
		.nullable()
		.describe(
			'What the registry says about the plugin (the same fields as `plugin` when it is not installed); null when trust does not bind this copy to an entry (D6).',
		),
	remote: remoteRefs,
	registry: registryStatus,
});

export const infoRegisteredDocument = z.object({
	ok,
	query,
	matchedBy: z
		.enum(['id', 'uuid', 'url', 'redirect_url', 'redirect_uuid'])
		.describe('What the query matched; redirect_* means an old address of the plugin.'),
	registered: z.literal(true),
	plugin: registryPluginDetail,
	remote: remoteRefs,
	wouldInstall,
	registry: registryStatus,
});

export const infoUnregisteredDocument = z.object({
	ok,
	query,
	registered: z.literal(false),
	trust: trustLevel.extract(['unregistered']),
	blacklisted: blacklistMark,
	registry: registryStatus,
});

export const infoDocument = z
	.union([infoInstalledDocument, infoRegisteredDocument, infoUnregisteredDocument])
	.meta({ title: 'vouch info --json' });

export type InfoInstalledJson = z.infer<typeof infoInstalledDocument>;
export type InfoRegisteredJson = z.infer<typeof infoRegisteredDocument>;
export type InfoUnregisteredJson = z.infer<typeof infoUnregisteredDocument>;

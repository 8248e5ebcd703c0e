/**
 * Trust binding (D6). A plugin earns its registry level only from the entry whose *current*
 * canonical `git_url` is its source URL, and, once its manifest is read, whose UUID is its UUID.
 * Everything else is `unregistered`:
 * - an unknown URL, or no registry at all (fail safe);
 * - an old `redirect_from` URL: the caller should install from the current URL instead;
 * - a registered URL serving a different UUID;
 * - a registered UUID at another URL, which is also flagged as a possible impersonation.
 */

import { sanitizeText } from '../core/sanitize.ts';
import { normaliseUuid } from '../core/uuid.ts';
import type { RegistryIndex } from './index.ts';
import type { RegistryPlugin, TrustLevel } from './model.ts';

export interface TrustQuery {
	/** The install source, any spelling. */
	url: string;
	/** The manifest UUID, once known. */
	uuid?: string;
}

export interface TrustResult {
	level: TrustLevel;
	/** The entry that grants `level`; set only when the level comes from the registry. */
	plugin?: RegistryPlugin;
	/** The UUID is a registered plugin's (current or old) but the URL is not its current one. */
	impersonation?: { plugin: RegistryPlugin; reason: string };
	/** The URL is an old address of this plugin; trust belongs to `plugin.gitUrl`. */
	redirectedFrom?: { plugin: RegistryPlugin; oldUrl: string };
	/** The URL is registered, but the manifest's UUID is not the entry's. */
	uuidMismatch?: { plugin: RegistryPlugin; expectedUuid: string; actualUuid: string };
}

export function resolveTrust(index: RegistryIndex | undefined, query: TrustQuery): TrustResult {
	if (index === undefined) return { level: 'unregistered' };
	const url = index.canonical(query.url);
	const uuid = query.uuid === undefined ? undefined : normaliseUuid(query.uuid);
	const atUrl = url === undefined ? undefined : index.byUrl(query.url);

	if (atUrl !== undefined && (uuid === undefined || uuid === atUrl.uuid)) {
		return { level: atUrl.trustLevel, plugin: atUrl };
	}
	const result: TrustResult = { level: 'unregistered' };
	if (atUrl !== undefined && uuid !== undefined) {
		result.uuidMismatch = { plugin: atUrl, expectedUuid: atUrl.uuid, actualUuid: uuid };
	}
	if (atUrl === undefined && url !== undefined) {
		const moved = index.byRedirectUrl(query.url);
		if (moved !== undefined) result.redirectedFrom = { plugin: moved, oldUrl: query.url };
	}
	if (uuid !== undefined) {
		const impersonation = impersonationOf(index, uuid, url);
		if (impersonation !== undefined) result.impersonation = impersonation;
	}
	return result;
}

/**
 * A UUID that belongs to a registered plugin, now or before, seen at a URL other than that
 * plugin's current one. An old address of the same plugin is a stale install, not an
 * impersonation, so it is not flagged.
 */
function impersonationOf(
	index: RegistryIndex,
	uuid: string,
	url: string | undefined,
): TrustResult['impersonation'] {
	const owner = index.byUuid(uuid);
	const formerOwner = owner === undefined ? index.byRedirectUuid(uuid) : undefined;
	const plugin = owner ?? formerOwner;
	if (plugin === undefined || url === plugin.canonicalGitUrl) return undefined;
	if (url !== undefined && plugin.canonicalRedirectFrom.includes(url)) return undefined;
	const whose = owner === undefined ? 'a former UUID of' : 'the UUID of';
	return {
		plugin,
		reason: `This plugin uses ${whose} the registered plugin "${sanitizeText(plugin.id)}" (${plugin.trustLevel}) but is not at its registered URL ${sanitizeText(plugin.gitUrl)}. It may be an impersonation.`,
	};
}

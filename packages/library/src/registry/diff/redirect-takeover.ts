/**
 * Who held an address or a UUID in the old registry. A redirect moves the installs of its old
 * URL or UUID to the entry that lists it (D8); when that URL or UUID was another plugin's (its
 * git_url, its UUID, or one of its own redirects), the change hands that plugin's users to this
 * entry. Lint refuses it while the other plugin is listed, so the takeover shows only as a
 * removal beside a redirect, which the diff must not let pass as two harmless changes.
 */
import type { RegistryPlugin } from '../model.ts';

export interface PreviousOwners {
	urls: ReadonlyMap<string, RegistryPlugin>;
	uuids: ReadonlyMap<string, RegistryPlugin>;
}

export function previousOwners(plugins: readonly RegistryPlugin[]): PreviousOwners {
	const urls = new Map<string, RegistryPlugin>();
	const uuids = new Map<string, RegistryPlugin>();
	for (const plugin of plugins) {
		for (const url of [plugin.canonicalGitUrl, ...plugin.canonicalRedirectFrom]) {
			if (!urls.has(url)) urls.set(url, plugin);
		}
		for (const uuid of [plugin.uuid, ...plugin.redirectFromUuid]) {
			if (!uuids.has(uuid)) uuids.set(uuid, plugin);
		}
	}
	return { urls, uuids };
}

export const NO_OWNERS: PreviousOwners = { urls: new Map(), uuids: new Map() };

/** The other plugin that held `key` in the old registry; never `self` (the entry's old form). */
export function heldBy(
	owners: ReadonlyMap<string, RegistryPlugin>,
	key: string,
	self: RegistryPlugin | undefined,
): RegistryPlugin | undefined {
	const owner = owners.get(key);
	return owner === undefined || owner === self ? undefined : owner;
}

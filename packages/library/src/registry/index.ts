/**
 * O(1) lookup of registry plugins by id, UUID, canonical git URL and their redirect keys.
 * A current match always beats a redirect match (spec §3.7): an old URL or UUID listed by one
 * plugin can never hide the plugin that owns it today. On duplicates (which lint reports) the
 * first entry in registry order wins, so lookups stay deterministic.
 */
import {
	type CanonicalUrlContext,
	isScpLikeAddress,
	pickUrlContext,
	tryCanonicalUrl,
} from '../core/canonical-url.ts';
import { isUuidVariant, normaliseUuid, parseUuidArgument } from '../core/uuid.ts';
import type { Registry, RegistryPlugin } from './model.ts';
import { UUID_SHAPE } from './schema.ts';

export type MatchedBy = 'id' | 'uuid' | 'url' | 'redirect_url' | 'redirect_uuid';

export interface PluginMatch {
	plugin: RegistryPlugin;
	matchedBy: MatchedBy;
}

export interface PluginQuery {
	id?: string;
	uuid?: string;
	/** Any spelling; compared in canonical form. */
	url?: string;
}

export interface RegistryIndex {
	readonly registry: Registry;
	byId(id: string): RegistryPlugin | undefined;
	byUuid(uuid: string): RegistryPlugin | undefined;
	/** By current `git_url` only. */
	byUrl(url: string): RegistryPlugin | undefined;
	/** The plugin listing this URL in `redirect_from`. */
	byRedirectUrl(url: string): RegistryPlugin | undefined;
	/** The plugin listing this UUID in `redirect_from_uuid`. */
	byRedirectUuid(uuid: string): RegistryPlugin | undefined;
	/** Current id, UUID and URL first; redirect URL and UUID only when none of those match. */
	findPlugin(query: PluginQuery): PluginMatch | undefined;
	/** For `info <id|url|uuid>`: the kind of key is decided by the shape of the text. */
	lookup(text: string): PluginMatch | undefined;
	/** The canonical form lookups use, or undefined when the text is not a usable URL. */
	canonical(url: string): string | undefined;
}

/** Base for relative paths and the case-insensitive hosts; must match those used in parsing. */
export type RegistryIndexOptions = CanonicalUrlContext;

export function buildRegistryIndex(
	registry: Registry,
	options: RegistryIndexOptions = {},
): RegistryIndex {
	const ids = new Map<string, RegistryPlugin>();
	const uuids = new Map<string, RegistryPlugin>();
	const urls = new Map<string, RegistryPlugin>();
	const redirectUrls = new Map<string, RegistryPlugin>();
	const redirectUuids = new Map<string, RegistryPlugin>();
	for (const plugin of registry.plugins) {
		setFirst(ids, plugin.id, plugin);
		setFirst(uuids, plugin.uuid, plugin);
		setFirst(urls, plugin.canonicalGitUrl, plugin);
		for (const url of plugin.canonicalRedirectFrom) setFirst(redirectUrls, url, plugin);
		for (const uuid of plugin.redirectFromUuid) setFirst(redirectUuids, uuid, plugin);
	}
	const context: CanonicalUrlContext = pickUrlContext(options);
	const canonical = (url: string) => tryCanonicalUrl(url, context);
	const byCanonical = (map: Map<string, RegistryPlugin>, url: string) => {
		const key = canonical(url);
		return key === undefined ? undefined : map.get(key);
	};

	const index: RegistryIndex = {
		registry,
		byId: (id) => ids.get(id),
		byUuid: (uuid) => uuids.get(normaliseUuid(uuid)),
		byUrl: (url) => byCanonical(urls, url),
		byRedirectUrl: (url) => byCanonical(redirectUrls, url),
		byRedirectUuid: (uuid) => redirectUuids.get(normaliseUuid(uuid)),
		canonical,
		findPlugin(query) {
			const { id, uuid, url } = query;
			const canonicalUrl = url === undefined ? undefined : canonical(url);
			const uuidKey = uuid === undefined ? undefined : normaliseUuid(uuid);
			// First pass: current keys of every plugin.
			const current =
				(id !== undefined ? match(ids.get(id), 'id') : undefined) ??
				(uuidKey !== undefined ? match(uuids.get(uuidKey), 'uuid') : undefined) ??
				(canonicalUrl !== undefined ? match(urls.get(canonicalUrl), 'url') : undefined);
			if (current) return current;
			// Second pass: redirects. Ids have none.
			return (
				(canonicalUrl !== undefined
					? match(redirectUrls.get(canonicalUrl), 'redirect_url')
					: undefined) ??
				(uuidKey !== undefined ? match(redirectUuids.get(uuidKey), 'redirect_uuid') : undefined)
			);
		},
		lookup(text) {
			const query = text.trim();
			if (query.length === 0) return undefined;
			const kind = lookupKind(query);
			// A braced or URN spelling is refused, never looked up as an id or URL (exit 2).
			if (kind === 'uuid') return index.findPlugin({ uuid: parseUuidArgument(query) });
			if (kind === 'url') return index.findPlugin({ url: query });
			// Registry ids are lowercase; accept any case from a person typing one.
			return index.findPlugin({ id: query }) ?? index.findPlugin({ id: query.toLowerCase() });
		},
	};
	return index;
}

/**
 * How `lookup` reads its argument: a UUID, a URL or path, or else a registry id. UUIDs in other
 * spellings (`{...}`, `urn:uuid:...`) count as UUIDs, so that they are refused rather than
 * read as an scp-like URL or an unknown id.
 */
export function lookupKind(text: string): 'uuid' | 'url' | 'id' {
	const query = text.trim();
	if (UUID_SHAPE.test(query) || isUuidVariant(query)) return 'uuid';
	if (query.includes('/') || query.includes('://') || isScpLikeAddress(query)) return 'url';
	return 'id';
}

function match(plugin: RegistryPlugin | undefined, matchedBy: MatchedBy): PluginMatch | undefined {
	return plugin === undefined ? undefined : { plugin, matchedBy };
}

function setFirst(map: Map<string, RegistryPlugin>, key: string, plugin: RegistryPlugin): void {
	if (!map.has(key)) map.set(key, plugin);
}

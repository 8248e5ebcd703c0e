/**
 * The local repositories a local registry lists (an air-gapped mirror, D11), made absolute.
 * A relative `git_url` is read next to the registry file, not in whatever directory a
 * command happens to run in; `..` is resolved and symlinks are followed, so every later check
 * (the blacklist, the install record, D27's origin check) sees the one real path git clones.
 * Only called for registries read from a local file: a remote registry's local paths stay as
 * they are, and the transport rule refuses them.
 */
import { realpathSync } from 'node:fs';
import { type CanonicalUrlContext, tryCanonicalUrl } from '../core/canonical-url.ts';
import { gitTransportOf } from '../core/transport-policy.ts';
import type { Registry, RegistryPlugin } from './model.ts';

export function anchorLocalPaths(
	registry: Registry,
	registryDir: string,
	context: CanonicalUrlContext = {},
): Registry {
	const anchored: CanonicalUrlContext = { ...context, cwd: registryDir };
	const anchor = (url: string): string | undefined => {
		if (gitTransportOf(url) !== 'file') return undefined;
		const path = tryCanonicalUrl(url, anchored);
		if (path === undefined) return undefined;
		try {
			return realpathSync.native(path);
		} catch {
			// Not there (yet): the clone will say so; the resolved path is still the right name.
			return path;
		}
	};
	const plugins = registry.plugins.map((plugin): RegistryPlugin => {
		const gitUrl = anchor(plugin.gitUrl);
		const redirects = plugin.redirectFrom.map((url) => anchor(url));
		if (gitUrl === undefined && redirects.every((url) => url === undefined)) return plugin;
		return {
			...plugin,
			...(gitUrl === undefined ? {} : { gitUrl, canonicalGitUrl: gitUrl }),
			redirectFrom: plugin.redirectFrom.map((url, i) => redirects[i] ?? url),
			canonicalRedirectFrom: plugin.canonicalRedirectFrom.map((url, i) => redirects[i] ?? url),
		};
	});
	return { ...registry, plugins };
}

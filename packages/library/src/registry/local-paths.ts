/**
 * The local repositories a local registry lists (an air-gapped mirror, D11), made absolute.
 * A relative `git_url` is read next to the registry file, not in whatever directory a
 * command happens to run in; `..` is resolved and symlinks are followed, so every later check
 * (the blacklist, the install record, D27's origin check) sees the one real path git clones.
 * The blacklist's local `url`s are anchored alike, so an entry and a plugin written the same
 * way still name the same repository.
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
	// A blacklist entry names a local repository in the same words as `git_url` does, so it is
	// read the same way: otherwise `./bad` would be looked for in the command's directory, and
	// a path through a symlink would never equal the real path the plugin is installed from.
	const blacklist = registry.blacklist.map((entry) => {
		const url = entry.url === undefined ? undefined : anchor(entry.url);
		return url === undefined ? entry : { ...entry, url };
	});
	return { ...registry, plugins, blacklist };
}

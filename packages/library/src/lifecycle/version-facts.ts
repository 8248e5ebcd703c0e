/**
 * The versions a blacklist `versions` range is tested against (D4): the manifest's own, which
 * its author can set to anything, and the one the installed ref names (tag `v1.2.3` → `1.2.3`
 * under the registry's tag scheme). The blacklist matches on either, and on neither being
 * known, so rewriting the manifest cannot walk a plugin out of a blocked range.
 */
import { tagVersion } from '../core/versions.ts';
import type { RegistryIndex } from '../registry/index.ts';
import type { RegistryPlugin } from '../registry/model.ts';
import { schemeOf } from './checkout-choice.ts';
import type { InstalledPlugin } from './store/index.ts';

export interface VersionFacts {
	version?: string;
	refVersion?: string;
	/** The commit the copy was fetched at, for entries with a `commit` key. */
	commit?: string;
}

export interface RefFacts {
	ref?: string | undefined;
	refType?: string | undefined;
}

export function versionFacts(
	manifestVersion: string | undefined,
	ref: RefFacts,
	entry: RegistryPlugin | undefined,
): VersionFacts {
	const refVersion =
		ref.refType === 'tag' && ref.ref !== undefined
			? tagVersion(ref.ref, schemeOf(entry))
			: undefined;
	return {
		...(manifestVersion === undefined ? {} : { version: manifestVersion }),
		...(refVersion === undefined ? {} : { refVersion }),
	};
}

/**
 * The same for an installed plugin, with the scheme of the registry entry at its URL, and the
 * commit it was installed at (a local copy without git has none: unknown, which fails safe).
 */
export function installedVersionFacts(
	plugin: InstalledPlugin,
	index: RegistryIndex | undefined,
): VersionFacts {
	const facts = versionFacts(plugin.version, plugin.source, index?.byUrl(plugin.source.url));
	const { commit } = plugin.source;
	return commit === undefined || commit === '' ? facts : { ...facts, commit };
}

/**
 * The one version Vouch reports for an installed copy: the tag's version for a tagged install
 * (what was actually fetched, whatever the manifest claims), else the manifest's version.
 * Every command's output uses this, so no command says `version: null` for a tagged install.
 */
export function reportedVersion(
	plugin: InstalledPlugin,
	index: RegistryIndex | undefined,
): string | undefined {
	const facts = installedVersionFacts(plugin, index);
	return facts.refVersion ?? facts.version;
}

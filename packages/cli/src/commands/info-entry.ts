/**
 * The registry's side of `vouch info`: the entry's heading, description, identity and refs, as
 * text and as JSON. The same block heads `info` of a plugin that is only in the registry and of
 * one that is installed, so an installed plugin never shows less than one that is not.
 */
import type { BlacklistVerdict } from '@vouch/library/internal/blacklist/index';
import { UNSIGNED_RELEASE_LABEL } from '@vouch/library/internal/lifecycle/release-check';
import { localisedDescription, localisedName } from '@vouch/library/internal/registry/i18n';
import type { RegistryPlugin } from '@vouch/library/internal/registry/model';
import { releaseStatusOf } from '@vouch/library/internal/registry/release-policy';
import { badgeSafeText, pluginNameLabel } from '@vouch/library/internal/registry/trust-display';
import type { RegistryPluginDetailJson } from '../json/registry-plugin.ts';
import type { Output } from '../output.ts';
import { pluginJson, trustText } from '../plugin-view.ts';
import { safe } from '../style.ts';

/** Everything the registry says about the plugin, as data (strings not sanitised). */
export function registryEntryJson(
	plugin: RegistryPlugin,
	verdict: BlacklistVerdict,
	signedRegistry: boolean,
): RegistryPluginDetailJson {
	return {
		...pluginJson(plugin, verdict, signedRegistry),
		versioningScheme: plugin.versioningScheme ?? null,
		refs: plugin.refs,
		authors: plugin.authors,
		maintainers: plugin.maintainers,
		redirectFrom: plugin.redirectFrom,
		redirectFromUuid: plugin.redirectFromUuid,
		releases: plugin.releases,
		addedAt: plugin.addedAt ?? null,
		updatedAt: plugin.updatedAt ?? null,
	};
}

/**
 * The entry as a person reads it. `between` prints what belongs after the registry's refs (the
 * remote's refs, or the installed copy) and before the categories and dates.
 */
export function printRegistryEntry(
	plugin: RegistryPlugin,
	output: Output,
	options: { locale: string; signedRegistry: boolean },
	between: () => void,
): void {
	const { locale } = options;
	const { style } = output;
	output.line(
		`${trustText(plugin.trustLevel, style)}  ${style.bold(pluginNameLabel(localisedName(plugin, locale)))} (${badgeSafeText(plugin.id)})`,
	);
	output.line(`  ${badgeSafeText(localisedDescription(plugin, locale))}`);
	if (plugin.declaredTrustLevel !== undefined) {
		output.line(
			style.yellow(
				`  The registry gives no known trust level ("${safe(plugin.declaredTrustLevel)}"); treated as community.`,
			),
		);
	}
	output.line(`  UUID:         ${safe(plugin.uuid)}`);
	output.line(`  Git URL:      ${safe(plugin.gitUrl)}`);
	output.line(
		`  Versioning:   ${plugin.versioningScheme === undefined ? 'explicit refs only' : safe(plugin.versioningScheme)}`,
	);
	const refs = plugin.refs.map((ref) => {
		const bounds =
			ref.minApiVersion || ref.maxApiVersion
				? ` (API ${ref.minApiVersion ?? '*'}–${ref.maxApiVersion ?? '*'})`
				: '';
		return `${safe(ref.name)}${bounds}`;
	});
	// What the registry lists is not what install chooses (D15): both are shown, and which.
	output.line(`  Refs:         ${refs.length === 0 ? '(none)' : refs.join(', ')} (registry entry)`);
	between();
	if (plugin.categories.length > 0)
		output.line(`  Categories:   ${plugin.categories.map((c) => safe(c)).join(', ')}`);
	if (plugin.authors.length > 0)
		output.line(`  Authors:      ${plugin.authors.map((a) => safe(a)).join(', ')}`);
	if (plugin.maintainers.length > 0)
		output.line(`  Maintainers:  ${plugin.maintainers.map((m) => safe(m)).join(', ')}`);
	if (plugin.redirectFrom.length > 0)
		output.line(`  Moved from:   ${plugin.redirectFrom.map((u) => safe(u)).join(', ')}`);
	if (plugin.redirectFromUuid.length > 0)
		output.line(`  Old UUIDs:    ${plugin.redirectFromUuid.map((u) => safe(u)).join(', ')}`);
	if (plugin.addedAt !== undefined)
		output.line(
			`  Added:        ${safe(plugin.addedAt)}${plugin.updatedAt === undefined ? '' : `, updated ${safe(plugin.updatedAt)}`}`,
		);
	const releases = releaseStatusOf(plugin, options.signedRegistry);
	if (releases !== 'not-required') {
		output.line(
			releases === 'signed-pins'
				? `  Releases:     only reviewed releases install (${plugin.releases.length} pinned in the signed registry)`
				: style.yellow(`  Releases:     ${UNSIGNED_RELEASE_LABEL}`),
		);
	}
}

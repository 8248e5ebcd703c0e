/** How registry plugins look in the terminal and in `--json` output. */
import type { BlacklistVerdict } from '@vouch/library/internal/blacklist/index';
import { blockDetails, blockNoticeLines } from '@vouch/library/internal/lifecycle/blocked-notice';
import { UNSIGNED_RELEASE_LABEL } from '@vouch/library/internal/lifecycle/release-check';
import { localisedDescription, localisedName } from '@vouch/library/internal/registry/i18n';
import type { RegistryPlugin, TrustLevel } from '@vouch/library/internal/registry/model';
import { releaseStatusOf } from '@vouch/library/internal/registry/release-policy';
import {
	badgeSafeText,
	pluginNameLabel,
	trustBadge,
} from '@vouch/library/internal/registry/trust-display';
import type { BlacklistMarkJson } from './json/common.ts';
import type { RegistryPluginSummaryJson } from './json/registry-plugin.ts';
import type { Style } from './style.ts';
import { safe } from './style.ts';

/** Vouch's badge and level, padded to one width so that what follows starts in one column. */
export function trustText(level: TrustLevel, style: Style): string {
	const label = `${trustBadge(level)} ${level.padEnd(12)}`;
	switch (level) {
		case 'official':
			return style.green(label);
		case 'trusted':
			return style.cyan(label);
		case 'community':
			return style.yellow(label);
		default:
			return style.red(label);
	}
}

export function pluginRow(
	plugin: RegistryPlugin,
	verdict: BlacklistVerdict,
	style: Style,
	locale: string,
	signedRegistry: boolean,
): string[] {
	// Vouch's badge comes first, in a fixed column; the author's text after it cannot draw one.
	const name = pluginNameLabel(localisedName(plugin, locale), 80);
	const description = badgeSafeText(localisedDescription(plugin, locale), { maxLength: 160 });
	const blocked = verdict.blocked
		? ` ${style.red(`BLACKLISTED: ${safe(verdict.reason, { maxLength: 120 })}`)}`
		: '';
	const release =
		releaseStatusOf(plugin, signedRegistry) === 'unsigned-registry'
			? ` ${style.yellow(`(${UNSIGNED_RELEASE_LABEL})`)}`
			: '';
	return [
		`${trustText(plugin.trustLevel, style)}  ${style.bold(badgeSafeText(plugin.id))}  ${name}${blocked}${release}`,
		`    ${style.dim(description)}`,
	];
}

/** The JSON form: the registry fields plus the verdict, all strings as data (not sanitised). */
export function pluginJson(
	plugin: RegistryPlugin,
	verdict: BlacklistVerdict,
	signedRegistry: boolean,
): RegistryPluginSummaryJson {
	return {
		id: plugin.id,
		uuid: plugin.uuid,
		name: plugin.name,
		description: plugin.description,
		trust: plugin.trustLevel,
		...(plugin.declaredTrustLevel === undefined
			? {}
			: { declaredTrust: plugin.declaredTrustLevel }),
		gitUrl: plugin.gitUrl,
		categories: plugin.categories,
		/** D19b: `signed-pins`, `unsigned-registry` (release not verified) or `not-required`. */
		releaseStatus: releaseStatusOf(plugin, signedRegistry),
		blacklisted: blacklistMarkOf(verdict),
	};
}

/** A verdict as every plugin document gives it: `false`, or the entry that blocks it. */
export function blacklistMarkOf(verdict: BlacklistVerdict): BlacklistMarkJson {
	if (!verdict.blocked) return false;
	const { reason, severity, ...details } = blockDetails(verdict);
	return { reason, severity, entry: verdict.entry.index, ...details };
}

/**
 * The advice and incident lines under a "blacklisted" line, and one for each further soft
 * entry that matched (D4), indented; sanitised again.
 */
export function blockDetailLines(verdict: BlacklistVerdict, indent: string): string[] {
	if (!verdict.blocked) return [];
	return blockNoticeLines(blockDetails(verdict)).map((line) => `${indent}${safe(line)}`);
}

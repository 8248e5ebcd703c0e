/** How an installed plugin is shown by `install`, `list` and `info`, in JSON and in text. */
import { isVouchError } from '@vouch/library/internal/core/errors';
import type { HostProfile } from '@vouch/library/internal/core/profile';
import { UNSIGNED_SIGNERS_LABEL } from '@vouch/library/internal/lifecycle/author-signature';
import { type FindContext, findInstalled } from '@vouch/library/internal/lifecycle/installed';
import { UNSIGNED_RELEASE_LABEL } from '@vouch/library/internal/lifecycle/release-check';
import {
	type InstalledPlugin,
	openStore,
	type PluginFiles,
} from '@vouch/library/internal/lifecycle/store/index';
import { describeVersion } from '@vouch/library/internal/lifecycle/update';
import type { KnownUpdate } from '@vouch/library/internal/lifecycle/update-cache';
import { reportedVersion } from '@vouch/library/internal/lifecycle/version-facts';
import { RAW_SOCKETS_NOTE } from '@vouch/library/internal/manifest/capabilities';
import { nodeEnforcementApplies } from '@vouch/library/internal/manifest/enforcement';
import type { RegistryIndex } from '@vouch/library/internal/registry/index';
import type { TrustLevel } from '@vouch/library/internal/registry/model';
import type { TrustResult } from '@vouch/library/internal/registry/trust';
import { TRUST_DISPLAY } from '@vouch/library/internal/registry/trust-display';
import type { InstalledPluginJson } from '../json/installed-plugin.ts';
import type { Output } from '../output.ts';
import { safe } from '../style.ts';

/** What the registry says about the plugin now, when one was read. */
export interface InstalledRegistryFacts {
	index: RegistryIndex | undefined;
	/** The trust level now; null when no registry was read. */
	trust: TrustLevel | null;
}

export function installedJson(
	plugin: InstalledPlugin,
	files: Pick<PluginFiles, 'pathOf'>,
	enabled: boolean,
	registry: InstalledRegistryFacts,
): InstalledPluginJson {
	return {
		uuid: plugin.uuid,
		name: plugin.name,
		id: plugin.registryId ?? null,
		version: reportedVersion(plugin, registry.index) ?? null,
		manifestVersion: plugin.version ?? null,
		path: files.pathOf(plugin),
		enabled,
		state: plugin.state,
		trust: registry.trust,
		trustAtInstall: plugin.trustAtInstall,
		source: plugin.source,
		originalUrl: plugin.originalUrl ?? null,
		originalUuid: plugin.originalUuid ?? null,
		capabilities: plugin.capabilities,
		release: plugin.release ?? null,
		authorSignature: plugin.authorSignature ?? null,
		scan: plugin.scan ?? null,
		disabledReason: plugin.disabledReason ?? null,
		installedAt: plugin.installedAt,
		updatedAt: plugin.updatedAt,
	};
}

/** D19b, in words: what the registry's pins established about this release. */
export function releaseLabel(plugin: InstalledPlugin): string | undefined {
	if (plugin.release === undefined) return undefined;
	return plugin.release.state === 'verified'
		? `reviewed release ${safe(plugin.release.ref)} (verified against the signed registry)`
		: UNSIGNED_RELEASE_LABEL;
}

/** D21, in one line: what the static scan found when this version was fetched. */
export function scanLabel(plugin: InstalledPlugin): string | undefined {
	const { scan } = plugin;
	if (scan === undefined) return undefined;
	if (scan.failed === true) return `the static scan failed (${scan.scannedAt})`;
	const counts = `${scan.high} high, ${scan.medium} medium, ${scan.low} low, ${scan.info} info`;
	const undeclared =
		scan.undeclared.length === 0
			? ''
			: `; uses undeclared: ${scan.undeclared.map((c) => safe(c)).join(', ')}`;
	const skipped = scan.skipped === 0 ? '' : `; ${scan.skipped} file(s) not scanned`;
	return `scan: ${counts}${undeclared}${skipped}`;
}

/** The installed copy matching `query`, if any; a lookup miss is not an error for `info`. */
export async function installedMatching(
	profile: HostProfile,
	query: string,
	context: FindContext,
): Promise<{ plugin: InstalledPlugin; enabled: boolean } | undefined> {
	try {
		const state = await openStore({ dataDir: profile.dataDir }).read();
		const plugin = findInstalled(state, query, context);
		return { plugin, enabled: state.enabled.includes(plugin.uuid) };
	} catch (error) {
		if (isVouchError(error) && error.code === 'NOT_INSTALLED') return undefined;
		throw error;
	}
}

/** The "Installed" block of `vouch info`: where it came from, its state, a known update. */
export function printInstalled(
	output: Output,
	installed: { plugin: InstalledPlugin; enabled: boolean },
	files: Pick<PluginFiles, 'pathOf'>,
	trust: TrustResult,
	update: KnownUpdate | undefined,
	profile: HostProfile,
): void {
	const { plugin } = installed;
	const status =
		plugin.state === 'quarantined' ? 'quarantined' : installed.enabled ? 'enabled' : 'disabled';
	output.line(
		`  Installed:    ${describeVersion(plugin)} [${status}] at ${safe(files.pathOf(plugin))}`,
	);
	output.line(
		`  From:         ${safe(plugin.source.url)}${plugin.originalUrl === undefined ? '' : ` (originally ${safe(plugin.originalUrl)})`}`,
	);
	output.line(
		`  Trust:        ${TRUST_DISPLAY[trust.level].badge} ${trust.level} now, ${plugin.trustAtInstall} at install`,
	);
	const release = releaseLabel(plugin);
	if (release !== undefined) output.line(`  Release:      ${release}`);
	const signature = plugin.authorSignature;
	if (signature !== undefined) {
		output.line(
			`  Signed:       tag ${safe(signature.tag)} by author key ${safe(signature.keyFingerprint ?? '(listed)')}${signature.signedRegistry ? '' : ` (${UNSIGNED_SIGNERS_LABEL})`}`,
		);
	}
	const scan = scanLabel(plugin);
	if (scan !== undefined) output.line(`  Scan:         ${scan}`);
	output.line(`  Capabilities: ${capabilitiesLabel(plugin, profile)}`);
	if (trust.impersonation !== undefined)
		output.line(output.style.red(`  POSSIBLE IMPERSONATION: ${safe(trust.impersonation.reason)}`));
	if (plugin.disabledReason !== undefined)
		output.line(`  Disabled:     ${safe(plugin.disabledReason.reason)}`);
	if (update !== undefined)
		output.line(
			`  Update:       ${safe(update.from)} -> ${safe(update.to)} (checked ${safe(update.checkedAt)})`,
		);
}

/**
 * The declared capabilities, and, for a host that runs plugins in the Node host, what it can
 * enforce of the network: raw sockets are outside Node 20's permission model, whatever the
 * plugin declares. Another host (Picard runs Python) is told nothing about Node (D29).
 */
function capabilitiesLabel(plugin: InstalledPlugin, profile: HostProfile): string {
	const declared =
		plugin.capabilities.status === 'undeclared'
			? 'undeclared'
			: plugin.capabilities.granted.length === 0
				? 'none declared'
				: plugin.capabilities.granted.map((name) => safe(name)).join(', ');
	return nodeEnforcementApplies(profile)
		? `${declared} (raw sockets: ${RAW_SOCKETS_NOTE})`
		: declared;
}

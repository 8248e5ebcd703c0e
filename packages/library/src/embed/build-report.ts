/**
 * `buildReport`: what the host knows about a plugin, attached to a community report (D22) so
 * the service need not trust the reporter's memory. The facts come from the install record
 * (uuid, source, ref, commit, tree digest, version) and the registry snapshot (id, trust now);
 * a registered plugin that is not installed is reported with the registry's facts alone. The
 * caller shows the result before sending it: nothing is attached that the user cannot see.
 */
import { gitTransportOf } from '../core/transport-policy.ts';
import type { InstalledPlugin } from '../lifecycle/store/index.ts';
import { reportedVersion } from '../lifecycle/version-facts.ts';
import type { RegistryIndex } from '../registry/index.ts';
import type { RegistryPlugin } from '../registry/model.ts';
import { resolveTrust } from '../registry/trust.ts';
import {
	type ReportEvidence,
	type ReportedPlugin,
	type ReportKind,
	type ReportRequest,
	reportedPluginSchema,
} from '../report/report-schema.ts';

/** The plugin a report is about: an installed copy, a registry entry, or both. */
export interface ReportSubject {
	/** The install record, when the plugin is installed here. */
	installed?: InstalledPlugin | undefined;
	/** The registry entry, when the plugin is registered (looked up by the caller). */
	entry?: RegistryPlugin | undefined;
	/** The registry snapshot's index, for the trust level now (D6) and the tag's version. */
	index?: RegistryIndex | undefined;
}

/** What the reporter says. */
export interface ReportInput {
	kind: ReportKind;
	/** Free text; newlines allowed, control characters refused by the contract. */
	details?: string;
	evidence?: ReportEvidence[];
}

/** The host application: its profile name and its own version. */
export interface ReportHost {
	profile: string;
	version: string;
}

/** The report as it will be sent (check it with `checkReportRequest` before showing it). */
export function buildReport(
	subject: ReportSubject,
	input: ReportInput,
	host?: ReportHost,
): ReportRequest {
	return {
		plugin: pluginFacts(subject),
		...(host === undefined ? {} : { host: { profile: host.profile, version: host.version } }),
		kind: input.kind,
		details: input.details ?? '',
		evidence: [...(input.evidence ?? [])],
	};
}

/** The facts the host holds, each kept only when it fits the wire contract. */
export function pluginFacts(subject: ReportSubject): ReportedPlugin {
	const { installed, index } = subject;
	const facts: Record<string, unknown> = {};
	if (installed !== undefined) {
		const trust =
			index === undefined
				? undefined
				: resolveTrust(index, { url: installed.source.url, uuid: installed.uuid });
		const entry = trust?.plugin ?? subject.entry;
		Object.assign(facts, {
			id: entry?.id ?? installed.registryId,
			uuid: installed.uuid.toLowerCase(),
			// A local directory's path names the user's own folders and tells the service nothing.
			url: shareableUrl(installed.source.url) ?? shareableUrl(installed.originUrl),
			ref: installed.source.refType === 'local' ? undefined : installed.source.ref,
			commit: installed.source.commit,
			treeDigest: installed.treeDigest,
			// Trust now when a registry was read (D6), else what it was at install.
			trust: trust?.level ?? installed.trustAtInstall,
			version: reportedVersion(installed, index),
		});
	} else if (subject.entry !== undefined) {
		const entry = subject.entry;
		Object.assign(facts, {
			id: entry.id,
			uuid: entry.uuid,
			url: shareableUrl(entry.gitUrl),
			trust: entry.trustLevel,
		});
	}
	const shape = reportedPluginSchema.shape;
	const kept: Record<string, unknown> = {};
	for (const [key, value] of Object.entries(facts)) {
		if (value === undefined) continue;
		const field = shape[key as keyof typeof shape];
		if (field?.safeParse(value).success) kept[key] = value;
	}
	return kept as ReportedPlugin;
}

/** A network address (https, http, ssh, git), never a local path or `file://`. */
function shareableUrl(url: string | undefined): string | undefined {
	if (url === undefined) return undefined;
	const transport = gitTransportOf(url);
	return transport === 'https' || transport === 'http' || transport === 'ssh' || transport === 'git'
		? url
		: undefined;
}

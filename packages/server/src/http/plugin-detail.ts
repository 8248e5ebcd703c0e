/**
 * One plugin as the API shows it: the registry's entry read by the library (refs, reviewed
 * releases, trust and its history, texts in every language), the capabilities its newest scan
 * found, and whether the registry's own blacklist blocks it, decided by the library's matcher
 * exactly as a client would decide it.
 */
import type { RegistryPlugin } from '@vouch/library/internal/registry/model';
import type { Kysely } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { listBlacklist } from '../store/blacklist-queries.ts';
import { scanReportsOf } from '../store/plugin-queries.ts';
import type { RegistryView } from './registry-view.ts';

interface ScanReportShape {
	summary?: Record<string, unknown>;
	capabilities?: {
		status?: unknown;
		declared?: unknown;
		denied?: unknown;
		inferred?: unknown;
		undeclared?: unknown;
		unused?: unknown;
	};
	scanner?: { version?: unknown };
}

function strings(value: unknown): string[] {
	return Array.isArray(value)
		? value.filter((item): item is string => typeof item === 'string')
		: [];
}

export async function pluginDetail(
	db: Kysely<ServiceDatabase>,
	view: RegistryView,
	plugin: RegistryPlugin,
) {
	const [newest] = await scanReportsOf(db, plugin.id);
	const report = (newest?.report ?? {}) as ScanReportShape;
	const capabilities = report.capabilities;
	const verdict = view.blacklist.check({ url: plugin.gitUrl, uuid: plugin.uuid });
	let blacklist: Record<string, unknown> = { blocked: false };
	if (verdict.blocked) {
		const rows = await listBlacklist(db);
		blacklist = {
			blocked: true,
			entryId: rows.find((row) => row.position === verdict.entry.index)?.id ?? null,
			reason: verdict.reason,
			severity: verdict.severity,
			matchedOn: verdict.matchedOn,
		};
	}
	return {
		id: plugin.id,
		uuid: plugin.uuid,
		name: plugin.name,
		nameI18n: plugin.nameI18n,
		description: plugin.description,
		descriptionI18n: plugin.descriptionI18n,
		trust: plugin.trustLevel,
		categories: plugin.categories,
		authors: plugin.authors,
		maintainers: plugin.maintainers,
		gitUrl: plugin.gitUrl,
		versioningScheme: plugin.versioningScheme ?? null,
		refs: plugin.refs,
		releases: plugin.releases,
		redirectFrom: plugin.redirectFrom,
		addedAt: plugin.addedAt ?? null,
		updatedAt: plugin.updatedAt ?? null,
		capabilities:
			newest === undefined
				? null
				: {
						status: typeof capabilities?.status === 'string' ? capabilities.status : null,
						declared: strings(capabilities?.declared),
						denied: strings(capabilities?.denied),
						detected: strings(capabilities?.inferred),
						undeclared: strings(capabilities?.undeclared),
						unused: strings(capabilities?.unused),
					},
		scan:
			newest === undefined
				? null
				: {
						commit: newest.commit,
						ref: newest.ref,
						createdAt: newest.createdAt,
						summary: report.summary ?? null,
					},
		blacklist,
	};
}

/**
 * Which plugin a report is about, and which incident it joins. A plugin is found in the
 * registry by its id, its uuid, or its URL compared in canonical form (the library's
 * `canonicalUrl`, as every other comparison of plugin URLs). Reports group by plugin: the
 * registry id, or the canonical URL of a plugin the registry does not list. Maintainers (and
 * `registry hunt`) open incidents grouped by version (`<id>@<version or commit>`) or by author
 * (the owner's URL prefix). A report joins the open incident of its group, else opens one.
 */
import {
	type CanonicalUrlContext,
	sourceKind,
	tryCanonicalUrl,
} from '@vouch/library/internal/core/canonical-url';
import type { RegistryPlugin } from '@vouch/library/internal/registry/model';
import type { ReportedPlugin } from '@vouch/library/internal/report/report-schema';
import type { Kysely, Transaction } from 'kysely';
import type { ServiceDatabase } from '../db/schema.ts';
import { serverError } from '../errors.ts';
import { OPEN_STATES } from './state-machine.ts';

export interface ReportTarget {
	/** The registered plugin, when the registry lists it. */
	plugin?: RegistryPlugin;
	/** `plugin` grouping's key: the registry id, `url:<canonical>` or `uuid:<uuid>`. */
	groupKey: string;
}

export function resolveReportedPlugin(
	plugins: readonly RegistryPlugin[],
	reported: ReportedPlugin,
	urlContext: CanonicalUrlContext = {},
): ReportTarget {
	const canonical =
		reported.url !== undefined && sourceKind(reported.url) === 'remote'
			? tryCanonicalUrl(reported.url, urlContext)
			: undefined;
	const plugin =
		(reported.id !== undefined ? plugins.find((p) => p.id === reported.id) : undefined) ??
		(reported.uuid !== undefined ? plugins.find((p) => p.uuid === reported.uuid) : undefined) ??
		(canonical !== undefined ? plugins.find((p) => p.canonicalGitUrl === canonical) : undefined);
	if (plugin !== undefined) return { plugin, groupKey: plugin.id };
	if (canonical !== undefined) return { groupKey: `url:${canonical}` };
	if (reported.uuid !== undefined) return { groupKey: `uuid:${reported.uuid}` };
	throw serverError('NOT_FOUND', 'The registry lists no such plugin.', {
		hint: 'Send the plugin’s source URL (https://…) so an unregistered plugin can be reported.',
	});
}

/**
 * The owner's URL prefix of a plugin's canonical URL: `https://github.com/someone/` for
 * `https://github.com/someone/plugin`. What an author block and an author incident key on.
 */
export function ownerPrefixOf(canonicalUrl: string): string | undefined {
	const match = /^([a-z][a-z0-9+.-]*:\/\/[^/]+\/[^/]+)\//i.exec(canonicalUrl);
	return match?.[1] === undefined ? undefined : `${match[1]}/`;
}

/** A usable owner prefix from a maintainer: a remote URL, canonical, ending in `/`. */
export function normaliseOwnerUrl(raw: string, urlContext: CanonicalUrlContext = {}): string {
	const trimmed = raw.replace(/\/+$/, '');
	const canonical =
		sourceKind(trimmed) === 'remote' ? tryCanonicalUrl(trimmed, urlContext) : undefined;
	if (canonical === undefined || !/^https?:\/\/[^/]+\/[^/]+$/.test(canonical)) {
		throw serverError('BAD_REQUEST', 'The owner URL is not a repository owner’s URL.', {
			hint: 'Give it as https://<host>/<owner>/ (every repository under it is blocked).',
		});
	}
	return `${canonical}/`;
}

/** The open incident of a group, if any (the newest, should two have been opened at once). */
export async function openIncidentOf(
	db: Kysely<ServiceDatabase> | Transaction<ServiceDatabase>,
	groupKey: string,
): Promise<{ id: number; state: string } | undefined> {
	const row = await db
		.selectFrom('incidents')
		.select(['id', 'state'])
		.where('group_key', '=', groupKey)
		.where('state', 'in', [...OPEN_STATES])
		.orderBy('id', 'desc')
		.limit(1)
		.executeTakeFirst();
	return row === undefined ? undefined : { id: Number(row.id), state: row.state };
}

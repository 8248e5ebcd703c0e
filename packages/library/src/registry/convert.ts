/**
 * Validated registry entries to model records: UUIDs lowercased, URLs canonicalised (D2), the
 * trust level defaulted to `community` (D6), refs defaulted to `main`. A problem that makes an
 * entry unusable is returned as text, so the caller decides: skip a plugin, refuse a blacklist.
 */
import { type CanonicalUrlContext, tryCanonicalUrl } from '../core/canonical-url.ts';
import { normaliseUuid } from '../core/uuid.ts';
import {
	type BlacklistEntry,
	REGISTRY_TRUST_LEVELS,
	type RegistryPlugin,
	type RegistryRef,
	type RegistryTrustLevel,
} from './model.ts';
import type { BlacklistEntryInput, PluginEntryInput } from './schema.ts';

export type Converted<T> = { ok: true; value: T } | { ok: false; problem: string };

const KNOWN_TRUST: ReadonlySet<string> = new Set(REGISTRY_TRUST_LEVELS);

/** `entry` must be fresh schema output: its arrays become the model's without a copy. */
export function toRegistryPlugin(
	entry: PluginEntryInput,
	context: CanonicalUrlContext,
): Converted<RegistryPlugin> {
	const canonicalGitUrl = tryCanonicalUrl(entry.git_url, context);
	if (canonicalGitUrl === undefined) return { ok: false, problem: 'git_url is not a usable URL' };
	const redirectFrom = entry.redirect_from ?? [];
	const canonicalRedirectFrom: string[] = [];
	for (const url of redirectFrom) {
		const canonical = tryCanonicalUrl(url, context);
		if (canonical === undefined) return { ok: false, problem: 'a redirect_from URL is not usable' };
		canonicalRedirectFrom.push(canonical);
	}
	const declared = entry.trust_level;
	const known = declared !== undefined && KNOWN_TRUST.has(declared);
	const plugin: RegistryPlugin = {
		id: entry.id,
		uuid: normaliseUuid(entry.uuid),
		name: entry.name,
		description: entry.description ?? '',
		nameI18n: copyTable(entry.name_i18n),
		descriptionI18n: copyTable(entry.description_i18n),
		gitUrl: entry.git_url,
		canonicalGitUrl,
		refs: toRefs(entry.refs),
		categories: entry.categories ?? [],
		// Never a higher level by default: unknown or missing is the lowest registry level.
		trustLevel: known ? (declared as RegistryTrustLevel) : 'community',
		authors: entry.authors ?? [],
		maintainers: entry.maintainers ?? [],
		redirectFrom,
		canonicalRedirectFrom,
		redirectFromUuid: (entry.redirect_from_uuid ?? []).map(normaliseUuid),
		releases: (entry.releases ?? []).map((pin) => ({
			ref: pin.ref,
			commit: pin.commit.toLowerCase(),
			tree: pin.tree,
		})),
		signers: entry.signers ?? [],
	};
	if (!known) plugin.declaredTrustLevel = declared ?? '';
	if (entry.versioning_scheme !== undefined) plugin.versioningScheme = entry.versioning_scheme;
	if (entry.added_at !== undefined) plugin.addedAt = entry.added_at;
	if (entry.updated_at !== undefined) plugin.updatedAt = entry.updated_at;
	return { ok: true, value: plugin };
}

function toRefs(refs: PluginEntryInput['refs']): RegistryRef[] {
	if (refs === undefined || refs.length === 0) return [{ name: 'main' }];
	return refs.map((ref) => {
		const out: RegistryRef = { name: ref.name };
		if (ref.description !== undefined) out.description = ref.description;
		if (ref.min_api_version !== undefined) out.minApiVersion = ref.min_api_version;
		if (ref.max_api_version !== undefined) out.maxApiVersion = ref.max_api_version;
		return out;
	});
}

/** A fresh plain object; the schema has already kept keys to locale shapes. */
function copyTable(table: Readonly<Record<string, string>> | undefined): Record<string, string> {
	return table === undefined ? {} : Object.fromEntries(Object.entries(table));
}

export function toBlacklistEntry(
	entry: BlacklistEntryInput,
	index: number,
	context: CanonicalUrlContext,
): Converted<BlacklistEntry> {
	// The URL is kept raw (the matcher canonicalises it), but one that cannot be canonicalised
	// would silently match nothing, so it is malformed.
	if (entry.url !== undefined && tryCanonicalUrl(entry.url, context) === undefined) {
		return { ok: false, problem: 'url is not a usable URL' };
	}
	const out: BlacklistEntry = { index, severity: entry.severity ?? 'hard' };
	if (entry.uuid !== undefined) out.uuid = normaliseUuid(entry.uuid);
	if (entry.url !== undefined) out.url = entry.url;
	if (entry.url_regex !== undefined) out.urlRegex = entry.url_regex;
	if (entry.versions !== undefined) out.versions = entry.versions;
	if (entry.reason !== undefined) out.reason = entry.reason;
	if (entry.blacklisted_at !== undefined) out.blacklistedAt = entry.blacklisted_at;
	if (entry.commit !== undefined) out.commit = entry.commit.toLowerCase();
	if (entry.incident !== undefined) out.incident = entry.incident;
	if (entry.advice !== undefined) out.advice = entry.advice;
	return { ok: true, value: out };
}

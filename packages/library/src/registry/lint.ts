/**
 * `vouch registry lint`: everything a registry must satisfy before it is published. The client
 * is lenient where leniency is safe (a bad plugin entry is skipped, an unknown trust level is
 * community); the registry tool is strict, so those cases never ship.
 *
 * Covers spec §6.4 and §11 items 51 and 63–65, plus D9 (redirects), D11 (https only) and D4
 * (blacklist entries), and patterns RE2 cannot compile (D3).
 */

import { compareApiVersions, parseApiVersion } from '../core/api-version.ts';
import { patternError } from '../core/pyregex.ts';
import { sanitizeText } from '../core/sanitize.ts';
import {
	checkTransport,
	PUBLISHED_REGISTRY_GIT,
	type TransportUse,
} from '../core/transport-policy.ts';
import { uuidProblem } from '../core/uuid.ts';
import { lintBlacklist } from './lint-blacklist.ts';
import { type LintIssue, type LintReport, LintSink } from './lint-issues.ts';
import { lintRedirects } from './lint-redirects.ts';
import type { Registry, RegistryPlugin } from './model.ts';
import { isValidRegistryId } from './registry-id.ts';
import { isUnpinnedOfficial } from './release-policy.ts';
import { isIsoUtcTimestamp } from './timestamps.ts';

export type { LintCode, LintIssue, LintReport } from './lint-issues.ts';

export interface LintOptions {
	/** The host's categories; unknown ones are warned about. Omit to skip the check. */
	categories?: readonly string[];
	/** Entries in the source's `plugins` array; default `registry.rawPluginCount`. */
	rawPluginCount?: number;
	/**
	 * The registry stays a local file (an offline mirror, D11), so its entries may name local
	 * repositories. Default false: held to what a published registry may list.
	 */
	registryIsLocal?: boolean;
}

export function lintRegistry(registry: Registry, options: LintOptions = {}): LintReport {
	const sink = new LintSink();
	lintLoadWarnings(registry, options, sink);
	lintDuplicates(registry.plugins, sink);
	const categories = options.categories === undefined ? undefined : new Set(options.categories);
	const transport: TransportUse =
		options.registryIsLocal === true
			? { kind: 'registry-git', registryIsLocal: true }
			: PUBLISHED_REGISTRY_GIT;
	for (const plugin of registry.plugins) lintPlugin(plugin, categories, transport, sink);
	lintRedirects(registry.plugins, sink, transport);
	lintBlacklist(registry.blacklist, sink);
	return sink.report();
}

/** What loading tolerated: skipped entries and unknown keys are errors here. */
function lintLoadWarnings(registry: Registry, options: LintOptions, sink: LintSink): void {
	let skipped = 0;
	for (const warning of registry.warnings) {
		const issue: LintIssue = {
			code: warning.code === 'PLUGIN_SKIPPED' ? 'PLUGIN_SKIPPED' : 'UNKNOWN_FIELD',
			message: warning.message,
			...(warning.plugin === undefined ? {} : { plugin: warning.plugin }),
		};
		if (warning.code === 'PLUGIN_SKIPPED') {
			skipped++;
			sink.error(issue);
		} else if (warning.code === 'UNKNOWN_FIELD') {
			// A client reads past an unknown key; a registry must not ship one (a typo'd key is
			// a rule that silently does nothing).
			sink.error(issue);
		}
	}
	// Load warnings are capped; the raw count catches skips the cap left out.
	const raw = options.rawPluginCount ?? registry.rawPluginCount;
	const missing = raw === undefined ? 0 : raw - registry.plugins.length - skipped;
	if (missing > 0) {
		sink.error({
			code: 'PLUGIN_SKIPPED',
			message: `${missing} more plugin entr${missing === 1 ? 'y was' : 'ies were'} skipped as malformed.`,
		});
	}
}

function lintDuplicates(plugins: readonly RegistryPlugin[], sink: LintSink): void {
	const checks = [
		{ code: 'DUPLICATE_ID', what: 'id', key: (p: RegistryPlugin) => p.id },
		{ code: 'DUPLICATE_UUID', what: 'UUID', key: (p: RegistryPlugin) => p.uuid },
		// Canonical form: `.git`, a trailing slash or host case cannot hide a duplicate (D2).
		{ code: 'DUPLICATE_GIT_URL', what: 'git_url', key: (p: RegistryPlugin) => p.canonicalGitUrl },
	] as const;
	for (const check of checks) {
		const first = new Map<string, RegistryPlugin>();
		for (const plugin of plugins) {
			const key = check.key(plugin);
			const earlier = first.get(key);
			if (earlier === undefined) {
				first.set(key, plugin);
				continue;
			}
			sink.error({
				code: check.code,
				message: `Same ${check.what} as "${sanitizeText(earlier.id)}": ${sanitizeText(key)}.`,
				plugin: sanitizeText(plugin.id),
			});
		}
	}
}

function lintPlugin(
	plugin: RegistryPlugin,
	categories: ReadonlySet<string> | undefined,
	transport: TransportUse,
	sink: LintSink,
): void {
	const id = sanitizeText(plugin.id);
	const error = (code: LintIssue['code'], message: string) =>
		sink.error({ code, message, plugin: id });
	const warning = (code: LintIssue['code'], message: string) =>
		sink.warning({ code, message, plugin: id });

	if (!isValidRegistryId(plugin.id)) {
		error('ID_INVALID', 'The id must be lowercase letters and digits in hyphen-separated runs.');
	}
	const uuidIssue = uuidProblem(plugin.uuid);
	if (uuidIssue !== undefined) error('UUID_INVALID', `The UUID is not acceptable (${uuidIssue}).`);
	if (plugin.declaredTrustLevel !== undefined) {
		error(
			'TRUST_LEVEL_INVALID',
			plugin.declaredTrustLevel === ''
				? 'trust_level is missing (clients treat it as community).'
				: `trust_level "${sanitizeText(plugin.declaredTrustLevel)}" is not official, trusted or community.`,
		);
	}
	// What a published (remote) registry may list: the one transport rule (D11).
	if (!checkTransport(plugin.canonicalGitUrl, transport).allowed) {
		error(
			'INSECURE_GIT_URL',
			`git_url ${sanitizeText(plugin.gitUrl)} is not https; registry plugins are fetched over https only.`,
		);
	}
	if (plugin.description.trim().length === 0) error('MISSING_FIELD', 'description is missing.');
	lintTimestamps(plugin, error, warning);
	lintVersioningScheme(plugin, error);
	lintRefs(plugin, error);
	for (const pin of plugin.releases) {
		if (!/^(?:[0-9a-f]{40}|[0-9a-f]{64})$/.test(pin.commit)) {
			error('RELEASE_INVALID', `Release pin for "${sanitizeText(pin.ref)}" has no full commit id.`);
		}
		if (!/^sha256:[0-9a-f]{64}$/.test(pin.tree)) {
			error(
				'RELEASE_INVALID',
				`Release pin for "${sanitizeText(pin.ref)}" has no vouch-tree-v1 digest (sha256:<64 hex>); compute it with \`vouch registry pin\`.`,
			);
		}
	}
	// A warning, not an error: Picard's unsigned plugins.toml has none, and reads fine.
	if (isUnpinnedOfficial(plugin)) {
		warning(
			'OFFICIAL_NOT_PINNED',
			'Official plugin without reviewed releases: a signed registry cannot publish it (D19b). Pin one with `vouch registry pin`.',
		);
	}
	if (plugin.categories.length === 0) warning('NO_CATEGORIES', 'No categories.');
	if (categories !== undefined) {
		for (const category of plugin.categories) {
			if (!categories.has(category)) {
				warning('UNKNOWN_CATEGORY', `Unknown category "${sanitizeText(category)}".`);
			}
		}
	}
}

type Report = (code: LintIssue['code'], message: string) => void;

function lintTimestamps(plugin: RegistryPlugin, error: Report, warning: Report): void {
	for (const [field, value] of [
		['added_at', plugin.addedAt],
		['updated_at', plugin.updatedAt],
	] as const) {
		if (value === undefined) error('MISSING_FIELD', `${field} is missing.`);
		else if (!isIsoUtcTimestamp(value)) {
			error(
				'TIMESTAMP_INVALID',
				`${field} "${sanitizeText(value)}" is not an ISO 8601 UTC timestamp.`,
			);
		}
	}
	const { addedAt, updatedAt } = plugin;
	if (
		addedAt !== undefined &&
		updatedAt !== undefined &&
		isIsoUtcTimestamp(addedAt) &&
		isIsoUtcTimestamp(updatedAt) &&
		Date.parse(updatedAt) < Date.parse(addedAt)
	) {
		warning('TIMESTAMP_ORDER', 'updated_at is earlier than added_at.');
	}
}

/** `semver`, `calver`, or `regex:` with a pattern RE2 compiles (D3). */
function lintVersioningScheme(plugin: RegistryPlugin, error: Report): void {
	const scheme = plugin.versioningScheme;
	if (scheme === undefined || scheme === 'semver' || scheme === 'calver') return;
	if (scheme.startsWith('regex:')) {
		const problem = patternError(scheme.slice('regex:'.length));
		if (problem === undefined) return;
		error(
			'VERSIONING_SCHEME_INVALID',
			`The regex: versioning scheme cannot be compiled by RE2: ${sanitizeText(problem, { maxLength: 200 })}`,
		);
		return;
	}
	error(
		'VERSIONING_SCHEME_INVALID',
		`versioning_scheme "${sanitizeText(scheme, { maxLength: 60 })}" is not semver, calver or regex:<pattern>.`,
	);
}

function lintRefs(plugin: RegistryPlugin, error: Report): void {
	const seen = new Set<string>();
	for (const ref of plugin.refs) {
		const name = sanitizeText(ref.name);
		if (seen.has(ref.name)) error('REF_INVALID', `Ref "${name}" is listed twice.`);
		seen.add(ref.name);
		if (!isSafeRefName(ref.name)) error('REF_INVALID', `Ref "${name}" is not a safe git ref name.`);
		const min = ref.minApiVersion === undefined ? undefined : parseApiVersion(ref.minApiVersion);
		const max = ref.maxApiVersion === undefined ? undefined : parseApiVersion(ref.maxApiVersion);
		if (ref.minApiVersion !== undefined && min === undefined) {
			error('REF_INVALID', `Ref "${name}": min_api_version is not an API version.`);
		}
		if (ref.maxApiVersion !== undefined && max === undefined) {
			error('REF_INVALID', `Ref "${name}": max_api_version is not an API version.`);
		}
		if (min !== undefined && max !== undefined && compareApiVersions(min, max) > 0) {
			error('REF_INVALID', `Ref "${name}": min_api_version is above max_api_version.`);
		}
	}
}

/**
 * A subset of `git check-ref-format`, plus no leading `-`: a ref name reaches git's argv, where
 * a leading dash would read as an option.
 */
export function isSafeRefName(name: string): boolean {
	if (name.length === 0 || name.startsWith('-') || name.startsWith('/') || name.endsWith('/')) {
		return false;
	}
	if (name.endsWith('.') || name.endsWith('.lock') || name.includes('..') || name.includes('@{')) {
		return false;
	}
	if (name === '@' || name.includes('//')) return false;
	for (const ch of name) {
		const cp = ch.codePointAt(0) as number;
		if (cp <= 0x20 || cp === 0x7f || '~^:?*[\\'.includes(ch)) return false;
	}
	return true;
}

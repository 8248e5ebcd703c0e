/**
 * The in-memory registry model, shared by the registry reader, the index and trust
 * resolution. Parsers in `src/registry` turn the Picard TOML form and the equivalent JSON
 * form (same snake_case keys) into these records; blacklist entries use the blacklist's own
 * type.
 */
import type { BlacklistEntry } from '../blacklist/entry.ts';

export const REGISTRY_TRUST_LEVELS = ['official', 'trusted', 'community'] as const;
export type RegistryTrustLevel = (typeof REGISTRY_TRUST_LEVELS)[number];
/** `unregistered` is never in a registry: the client assigns it. */
export type TrustLevel = RegistryTrustLevel | 'unregistered';
/** Highest first: official > trusted > community > unregistered. */
export const TRUST_ORDER: readonly TrustLevel[] = [
	'official',
	'trusted',
	'community',
	'unregistered',
];

export interface RegistryRef {
	name: string;
	description?: string;
	/** Inclusive API bounds, as written in the registry (e.g. "3.0"). */
	minApiVersion?: string;
	maxApiVersion?: string;
}

/** A reviewed release (D19b): the ref, its commit, and the tree digest of its files. */
export interface ReleasePin {
	ref: string;
	commit: string;
	tree: string;
}

export interface RegistryPlugin {
	id: string;
	/** Lowercased. */
	uuid: string;
	name: string;
	description: string;
	nameI18n: Readonly<Record<string, string>>;
	descriptionI18n: Readonly<Record<string, string>>;
	/** As written in the registry, for display and cloning. */
	gitUrl: string;
	/** `canonicalUrl(gitUrl)`: the form every comparison uses. */
	canonicalGitUrl: string;
	/** `semver`, `calver` or `regex:<pattern>`; undefined means only the explicit refs. */
	versioningScheme?: string;
	/** Never empty: defaults to `[{ name: 'main' }]`. The first is the default ref. */
	refs: RegistryRef[];
	categories: string[];
	/** Effective level: a missing or unknown value counts as `community` (D6). */
	trustLevel: RegistryTrustLevel;
	/** The raw value when it was missing (`''`) or unknown, so tools can report it. */
	declaredTrustLevel?: string;
	authors: string[];
	maintainers: string[];
	addedAt?: string;
	updatedAt?: string;
	/** Old URLs, raw. */
	redirectFrom: string[];
	/** Old URLs, canonical, same order as `redirectFrom`. */
	canonicalRedirectFrom: string[];
	/** Old UUIDs, lowercased. */
	redirectFromUuid: string[];
	releases: ReleasePin[];
	/** SSH public keys of authors allowed to sign release tags (a later issue uses them). */
	signers: string[];
}

// The blacklist owns its entry type; the registry parses into it.
export type { BlacklistEntry, BlacklistSeverity } from '../blacklist/entry.ts';

export interface RegistryWarning {
	code:
		| 'PLUGIN_SKIPPED'
		| 'UNKNOWN_TRUST_LEVEL'
		| 'UNKNOWN_CATEGORY'
		| 'UNKNOWN_FIELD'
		/** The list was cut at its bound; the message counts what was left out. */
		| 'WARNINGS_TRUNCATED';
	/** Sanitised, human-readable. */
	message: string;
	/** The plugin's id or its position, when the warning is about one entry. */
	plugin?: string;
}

export interface Registry {
	/** The registry's own `api_version` (informational). */
	apiVersion?: string;
	format: 'toml' | 'json';
	plugins: RegistryPlugin[];
	blacklist: BlacklistEntry[];
	warnings: RegistryWarning[];
	/** Where it was read from, for messages (credentials redacted). */
	label?: string;
	/** Entries in the source's `plugins` array, skipped ones included (lint reports the gap). */
	rawPluginCount?: number;
}

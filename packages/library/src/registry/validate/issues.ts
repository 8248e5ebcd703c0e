/**
 * The findings of `vouch registry validate`: every lint finding (the same rules, from
 * `lint*.ts`), plus what only the plugins' repositories can show.
 */
import type { LintCode, LintIssue } from '../lint-issues.ts';

export type RepositoryCheckCode =
	/** ls-remote or the fetch of the plugin's repository failed. */
	| 'REPOSITORY_UNREACHABLE'
	/** A ref the registry lists is neither a branch nor a tag of the repository. */
	| 'REF_NOT_FOUND'
	/** No MANIFEST.toml at the top of the tree at that ref. */
	| 'MANIFEST_MISSING'
	/** MANIFEST.toml at that ref does not parse or validate. */
	| 'MANIFEST_INVALID'
	/** MANIFEST.toml at that ref names another plugin (D6): trust would not bind to it. */
	| 'MANIFEST_UUID_MISMATCH'
	/** The manifest at that ref carries a UUID the entry declares as an old one. */
	| 'MANIFEST_OLD_UUID'
	/** The versioning scheme matches none of the repository's tags. */
	| 'NO_TAG_MATCHES_SCHEME'
	/** More version tags than are read; the oldest were not checked. */
	| 'TAGS_NOT_ALL_CHECKED'
	/** A reviewed-release pin names a ref the repository does not have. */
	| 'PIN_REF_NOT_FOUND'
	/** The pinned ref now points at another commit than the pin's. */
	| 'PIN_COMMIT_MISMATCH'
	/** The pinned commit's files do not digest to the pin's tree. */
	| 'PIN_TREE_MISMATCH'
	/** A check stopped on an unexpected failure; the plugin is not known to be valid. */
	| 'CHECK_FAILED';

export type ValidateCode = LintCode | RepositoryCheckCode;

export interface ValidateIssue extends Omit<LintIssue, 'code'> {
	code: ValidateCode;
	/** The ref (branch or tag) the issue is about, sanitised. */
	ref?: string;
}

/** The checks `--offline` leaves out, named as the report names them. */
export const NETWORK_CHECKS = [
	'refs-resolve',
	'manifests-match-uuid',
	'scheme-matches-tag',
	'pins-match-remote',
] as const;
export type NetworkCheck = (typeof NETWORK_CHECKS)[number];

export const NETWORK_CHECK_DESCRIPTIONS: Readonly<Record<NetworkCheck, string>> = {
	'refs-resolve': 'every ref resolves in the plugin repository',
	'manifests-match-uuid': 'MANIFEST.toml at every ref and version tag validates with the same UUID',
	'scheme-matches-tag': 'the versioning scheme matches at least one tag',
	'pins-match-remote': 'every pin matches ls-remote and its tree digest',
};

/** What the checks of one plugin found. */
export interface PluginCheckResult {
	errors: ValidateIssue[];
	warnings: ValidateIssue[];
}

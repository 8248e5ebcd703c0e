/**
 * What `vouch registry diff` reports: one record per change a reviewer must see. Every string
 * in a change comes from a registry and is sanitised here, so any caller may print it.
 */

export const DIFF_CHANGE_KINDS = [
	'plugin-added',
	'plugin-removed',
	'plugin-renamed',
	'uuid-changed',
	'trust-changed',
	'git-url-changed',
	'redirect-added',
	'redirect-removed',
	'uuid-redirect-added',
	'uuid-redirect-removed',
	'pin-added',
	'pin-removed',
	'pin-moved',
	'signers-changed',
	'refs-changed',
	'versioning-scheme-changed',
	'metadata-changed',
	'blacklist-added',
	'blacklist-removed',
	'blacklist-changed',
] as const;
export type DiffChangeKind = (typeof DIFF_CHANGE_KINDS)[number];

export interface DiffChange {
	kind: DiffChangeKind;
	/** True when the change makes users less safe; such changes are listed first. */
	lowersSecurity: boolean;
	/** Why it lowers security, when it does. */
	why?: string;
	/** The plugin id in the new registry (the old one for a removed plugin). */
	plugin?: string;
	/** The old id, when it differs (a rename). */
	oldPlugin?: string;
	/** The blacklist entry's position in the new (or, for a removal, the old) registry. */
	entry?: number;
	/** The entry's stable `id`, when the registry gives one. */
	entryId?: string;
	before?: string;
	after?: string;
	/** One line for people. */
	message: string;
}

export interface RegistryDiff {
	changes: DiffChange[];
	/** How many changes lower security. */
	lowering: number;
}

/**
 * A blacklist entry (D4), as the matcher reads it. The registry parses its `[[blacklist]]`
 * tables into these records; the types live here so that the blacklist depends on nothing
 * but `core`, and the registry depends on the blacklist, not the other way round.
 */

export type BlacklistSeverity = 'hard' | 'soft';

export interface BlacklistEntry {
	/** Position in the registry's blacklist array: the first match in file order wins. */
	index: number;
	/** Lowercased. */
	uuid?: string;
	/** Raw, as written. */
	url?: string;
	/** Python `re` syntax, evaluated with RE2 search semantics (D3). */
	urlRegex?: string;
	/** A semver range over the plugin's version (D4). */
	versions?: string;
	/** A full commit id, lowercased: the entry blocks only that fetched commit. */
	commit?: string;
	reason?: string;
	blacklistedAt?: string;
	/** `hard` (the default) quarantines; `soft` disables and may be re-enabled. */
	severity: BlacklistSeverity;
	/** The public incident page (https, or http to loopback); raw, sanitise before display. */
	incident?: string;
	/** What users should do; raw, sanitise before display. */
	advice?: string;
}

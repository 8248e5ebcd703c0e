/**
 * The URL half of `vouch blacklist search`: which entries name an address, and whether the
 * address is blocked. Both answers come from the compiled matcher (D2, D3), never from a second
 * comparison written here, so any spelling git would fetch from the same place finds the same
 * entries that `install` and `check-blacklist` would apply.
 */

import type { BlacklistEntry } from '@vouch/library/internal/blacklist/entry';
import {
	type CompileBlacklistOptions,
	type CompiledBlacklist,
	compileBlacklist,
	createPatternCache,
	strictestOf,
} from '@vouch/library/internal/blacklist/index';
import type { MatchKey } from '@vouch/library/internal/blacklist/types';
import { tryCanonicalUrl } from '@vouch/library/internal/core/canonical-url';

export interface UrlAnswer {
	/** The comparison form, or undefined when the text cannot be made canonical. */
	canonical?: string;
	/** Blocked for a plugin at this address whose UUID and version are not known yet. */
	blocked: boolean;
	/** The entry that blocks it: the first in file order, as at install. */
	entry?: number;
	matchedOn?: MatchKey[];
	/** Entries whose `url` or `url_regex` matches the address, blocking or not on their own. */
	naming: number[];
}

export function answerForUrl(
	url: string,
	entries: readonly BlacklistEntry[],
	blacklist: CompiledBlacklist,
	options: CompileBlacklistOptions,
	/** The address install knows a local path by (`knownAddress`), asked about too (D11). */
	known?: string,
): UrlAnswer {
	const canonical = tryCanonicalUrl(url, options);
	const addresses = known === undefined || known === url ? [url] : [url, known];
	const verdict = strictestOf(addresses.map((address) => blacklist.check({ url: address })));
	// An entry that also names a UUID or a version range blocks only that plugin or those
	// versions; asking the matcher about its address keys alone says whether it is about this
	// address. One pattern cache serves every one-entry matcher.
	const patterns = options.patterns ?? createPatternCache();
	const naming = entries
		.filter((entry) => entry.url !== undefined || entry.urlRegex !== undefined)
		.filter((entry) =>
			addresses.some(
				(address) =>
					compileBlacklist([addressKeys(entry)], { ...options, patterns }).check({
						url: address,
					}).blocked,
			),
		)
		.map((entry) => entry.index);
	return {
		...(canonical === undefined ? {} : { canonical }),
		blocked: verdict.blocked,
		...(verdict.blocked ? { entry: verdict.entry.index, matchedOn: verdict.matchedOn } : {}),
		naming,
	};
}

function addressKeys(entry: BlacklistEntry): BlacklistEntry {
	return {
		index: entry.index,
		severity: entry.severity,
		...(entry.url === undefined ? {} : { url: entry.url }),
		...(entry.urlRegex === undefined ? {} : { urlRegex: entry.urlRegex }),
	};
}

/**
 * Blacklist checks for the registry tool (D3, D4, spec §11 item 64). Loading already refuses
 * structurally broken entries; these are the rules a client tolerates but a registry must not
 * publish: patterns RE2 cannot run (a client treats them as matching nothing, so the entry
 * silently protects no one), and entries without a reason or a date.
 */
import { foldsPathCase, locationKey, tryCanonicalUrl } from '../core/canonical-url.ts';
import { patternError } from '../core/pyregex.ts';
import { sanitizeText } from '../core/sanitize.ts';
import type { LintSink } from './lint-issues.ts';
import type { BlacklistEntry } from './model.ts';
import { isIsoUtcTimestamp } from './timestamps.ts';

export function lintBlacklist(entries: readonly BlacklistEntry[], sink: LintSink): void {
	for (const entry of entries) {
		const where = `Blacklist entry #${entry.index}`;
		if (entry.urlRegex !== undefined) {
			const problem = patternError(entry.urlRegex);
			if (problem !== undefined) {
				sink.error({
					code: 'BLACKLIST_REGEX_INVALID',
					message: `${where}: url_regex cannot be compiled by RE2, so it would block nothing: ${sanitizeText(problem, { maxLength: 200 })}`,
					entry: entry.index,
				});
			}
		}
		if (entry.url !== undefined && namesAccountOnForge(entry.url)) {
			sink.warning({
				code: 'BLACKLIST_URL_NOT_REPOSITORY',
				message: `${where}: url ${sanitizeText(entry.url, { maxLength: 200 })} names an account, not a repository, so it blocks nothing; to block everything under it, write a url_regex such as "^https://github\\.com/name/".`,
				entry: entry.index,
			});
		}
		if (entry.reason === undefined || entry.reason.trim().length === 0) {
			sink.error({
				code: 'BLACKLIST_REASON_MISSING',
				message: `${where} has no reason; users must be told why a plugin is blocked.`,
				entry: entry.index,
			});
		}
		if (entry.blacklistedAt === undefined) {
			sink.error({
				code: 'BLACKLIST_DATE_MISSING',
				message: `${where} has no blacklisted_at timestamp.`,
				entry: entry.index,
			});
		} else if (!isIsoUtcTimestamp(entry.blacklistedAt)) {
			sink.error({
				code: 'TIMESTAMP_INVALID',
				message: `${where}: blacklisted_at "${sanitizeText(entry.blacklistedAt)}" is not an ISO 8601 UTC timestamp.`,
				entry: entry.index,
			});
		}
	}
}

/**
 * A `url` entry matches one repository only. On a forge every repository lives under an
 * account, so an address with a single path segment (`https://github.com/evil/`) is an
 * account page: an entry written to block an organisation that way silently blocks nothing.
 */
function namesAccountOnForge(url: string): boolean {
	const canonical = tryCanonicalUrl(url);
	if (canonical === undefined || !foldsPathCase(canonical)) return false;
	const path = locationKey(canonical).replace(/^\/\/[^/]*/, '');
	return path.split('/').filter((segment) => segment !== '').length < 2;
}

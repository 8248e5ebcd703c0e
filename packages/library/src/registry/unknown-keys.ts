/**
 * Keys a registry document does not define. A client reads past them (a newer format may add
 * some), but never silently: each one is a load warning naming it, and `registry lint` and
 * `registry publish` refuse them, so a typo never ships signed.
 *
 * One case is not left to a warning: a top-level key that looks like a misspelt `blacklist`
 * (`[[blacklists]]`, `[[black_list]]`, `[[blocklist]]`). Read past, its entries would block
 * nothing and every check would answer "not blacklisted". The load fails instead, like a
 * malformed blacklist entry (D1), so the client keeps its last good registry.
 */
import { editDistance } from '../core/edit-distance.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { registryError } from './errors.ts';
import { REGISTRY_LIMITS } from './limits.ts';
import { blacklistEntrySchema, pluginEntrySchema, registryDocumentSchema } from './schema.ts';
import type { WarningCollector } from './warnings.ts';

const TOP_LEVEL_KEYS: ReadonlySet<string> = new Set(Object.keys(registryDocumentSchema.shape));
export const PLUGIN_KEYS: ReadonlySet<string> = new Set(Object.keys(pluginEntrySchema.shape));
const BLACKLIST_KEYS: ReadonlySet<string> = new Set(Object.keys(blacklistEntrySchema.shape));

/** Keys longer than this are shown cut; no real key is near it. */
const SHOWN_KEY_LENGTH = 60;

export function showKey(key: string): string {
	return `"${sanitizeText(key, { maxLength: SHOWN_KEY_LENGTH })}"`;
}

/**
 * Whether a top-level key is probably meant as the blacklist: it names blocking (`black`,
 * `block`, `deny`, `ban`) or is within two edits of `blacklist`.
 */
export function looksLikeBlacklist(key: string): boolean {
	const letters = key.toLowerCase().replace(/[^a-z]/g, '');
	if (/black|block|deny|denied|banned|banlist/.test(letters)) return true;
	return letters.length <= 20 && editDistance(letters, 'blacklist') <= 2;
}

/**
 * Checks the top level and the entries of a decoded document: throws BLACKLIST_INVALID for a
 * misspelt blacklist table, and adds an UNKNOWN_FIELD warning for every other unknown key.
 */
export function checkUnknownKeys(
	document: Record<string, unknown>,
	label: string,
	warnings: WarningCollector,
): void {
	for (const key of Object.keys(document)) {
		if (TOP_LEVEL_KEYS.has(key)) continue;
		if (looksLikeBlacklist(key)) {
			throw registryError(
				'BLACKLIST_INVALID',
				`The registry from ${sanitizeText(label)} has a top-level ${showKey(key)}, which looks like a misspelt "blacklist": its entries would block nothing.`,
				{
					hint: 'The registry is refused rather than read without a blacklist. Tell the registry maintainers.',
					details: { key: sanitizeText(key, { maxLength: SHOWN_KEY_LENGTH }) },
				},
			);
		}
		warnings.add({
			code: 'UNKNOWN_FIELD',
			message: `Unknown top-level key ${showKey(key)} in the registry is ignored.`,
		});
	}
	warnEntryKeys(document.blacklist, BLACKLIST_KEYS, 'blacklist entries', warnings);
}

/** One warning per unknown key across the entries of a table array, not one per entry. */
export function warnEntryKeys(
	entries: unknown,
	known: ReadonlySet<string>,
	where: string,
	warnings: WarningCollector,
): void {
	if (!Array.isArray(entries)) return;
	const unknown = new Set<string>();
	for (const entry of entries) {
		if (unknown.size >= REGISTRY_LIMITS.warnings) break;
		if (entry === null || typeof entry !== 'object' || Array.isArray(entry)) continue;
		for (const key in entry) if (!known.has(key)) unknown.add(key);
	}
	for (const key of unknown) {
		warnings.add({
			code: 'UNKNOWN_FIELD',
			message: `Unknown field ${showKey(key)} in ${where} is ignored.`,
		});
	}
}

/**
 * Registry ids (spec §1, "Registry ID derivation"): a short, lowercase, hyphenated name taken
 * from the repository name, without the conventional `picard-plugin-` style prefixes.
 */
import { registryError } from './errors.ts';

/** Tried in order; only the first that matches is stripped. */
const PREFIXES = ['picard-plugin-', 'picard-', 'plugin-'] as const;

/** Lowercase letters and digits in hyphen-separated runs. */
export const REGISTRY_ID_PATTERN = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

export function isValidRegistryId(id: string): boolean {
	return id.length <= 100 && REGISTRY_ID_PATTERN.test(id);
}

/** Throws INVALID_REGISTRY_ID when nothing usable is left. */
export function deriveRegistryId(gitUrl: string): string {
	let name = lastPathSegment(gitUrl);
	const lower = name.toLowerCase();
	const prefix = PREFIXES.find((candidate) => lower.startsWith(candidate));
	if (prefix !== undefined) name = name.slice(prefix.length);
	let id = '';
	for (const ch of name.toLowerCase()) {
		const keep = (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9');
		// Runs of anything else become one hyphen.
		if (keep) id += ch;
		else if (!id.endsWith('-')) id += '-';
	}
	id = trimHyphens(id);
	if (id.length === 0) {
		throw registryError('INVALID_REGISTRY_ID', 'No registry id can be derived from this URL.', {
			hint: 'Choose an id by hand: lowercase letters, digits and hyphens.',
		});
	}
	return id;
}

/** The repository name: the last segment, without query, fragment, trailing `/` or `.git`. */
function lastPathSegment(url: string): string {
	let path = url.trim();
	for (const stop of ['?', '#']) {
		const at = path.indexOf(stop);
		if (at !== -1) path = path.slice(0, at);
	}
	while (path.endsWith('/')) path = path.slice(0, -1);
	if (path.toLowerCase().endsWith('.git')) path = path.slice(0, -'.git'.length);
	const cut = Math.max(path.lastIndexOf('/'), path.lastIndexOf(':'), path.lastIndexOf('\\'));
	return path.slice(cut + 1);
}

function trimHyphens(text: string): string {
	let start = 0;
	let end = text.length;
	while (start < end && text.charAt(start) === '-') start++;
	while (end > start && text.charAt(end - 1) === '-') end--;
	return text.slice(start, end);
}

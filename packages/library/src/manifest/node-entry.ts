/**
 * What a JavaScript or TypeScript plugin adds to its manifest for a Node host: `entry`, the
 * module the host loads, and `network_allow`, the origins its `api.fetch` may reach. Python
 * hosts ignore both. The entry is a relative path that stays inside the plugin (no `..`, no
 * absolute path), so a manifest can never point the host at code outside the reviewed tree.
 * The allow-list holds origins only: the host compares a request's origin with them exactly.
 */
import { checkString, checkStringArray } from './field-checks.ts';
import { type IssueCollector, quote } from './issues.ts';

/** Module kinds a Node host can load. */
const ENTRY_EXTENSION = /\.(?:m|c)?(?:j|t)s$/;
const MAX_ENTRY_LENGTH = 200;
const MAX_ORIGINS = 32;
const MAX_ORIGIN_LENGTH = 300;

export function checkEntry(value: unknown, issues: IssueCollector): string | undefined {
	const entry = checkString(value, 'entry', issues, MAX_ENTRY_LENGTH, 1);
	if (entry === undefined) return undefined;
	const segments = entry.split('/');
	const escapes =
		entry.startsWith('/') ||
		entry.includes('\\') ||
		entry.includes('\0') ||
		/^[a-zA-Z]:/.test(entry) ||
		segments.some((segment) => segment === '..' || segment === '');
	if (escapes || !ENTRY_EXTENSION.test(entry)) {
		issues.error(
			'INVALID_ENTRY',
			'entry',
			`Field 'entry' must be a relative path inside the plugin to a .js, .mjs, .cjs, .ts, .mts or .cts file (got ${quote(entry)}).`,
		);
		return undefined;
	}
	return entry;
}

/** The origin of an allow-list item, or undefined when it is not a bare http(s) origin. */
export function originOf(item: string): string | undefined {
	let url: URL;
	try {
		url = new URL(item);
	} catch {
		return undefined;
	}
	if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
	if (url.username !== '' || url.password !== '' || url.search !== '' || url.hash !== '')
		return undefined;
	if (url.pathname !== '/' && url.pathname !== '') return undefined;
	return url.origin;
}

export function checkNetworkAllow(value: unknown, issues: IssueCollector): string[] | undefined {
	const items = checkStringArray(value, 'network_allow', issues, {
		itemName: 'origin',
		maxItems: MAX_ORIGINS,
		maxItemLength: MAX_ORIGIN_LENGTH,
	});
	if (items === undefined) return undefined;
	const origins: string[] = [];
	for (const item of items) {
		const origin = originOf(item);
		if (origin === undefined) {
			issues.error(
				'INVALID_NETWORK_ALLOW',
				'network_allow',
				`${quote(item)} is not an origin such as "https://api.example.org".`,
			);
			continue;
		}
		if (!origins.includes(origin)) origins.push(origin);
	}
	return origins;
}

/**
 * An Atom 1.0 feed (RFC 4287) of the log's blacklist and trust changes, for people who watch a
 * registry. Every text in it comes from the log, written by whoever could publish: it is
 * stripped of controls and of what XML 1.0 cannot carry, then escaped, so no entry can add
 * markup, break the feed, or smuggle escapes to a terminal that prints it. The feed is
 * published, so the link to the log never carries the watcher's credentials or query.
 */
import { sanitizeText } from '../core/sanitize.ts';
import type { RegistryLogEntry } from './registry-entry.ts';

/** The changes a watcher cares about: what blocks plugins, and who is trusted. */
export const FEED_ACTIONS: ReadonlySet<string> = new Set([
	'blacklist_add',
	'blacklist_remove',
	'trust_change',
	'quarantine',
	'quarantine_lift',
	'version_block',
	'author_block',
	'key_change',
]);

export interface FeedItem {
	/** A stable id: `<origin>#<index>`, or `<origin>#alert-<time>` for a refused log. */
	id: string;
	title: string;
	/** UTC, `YYYY-MM-DDTHH:MM:SSZ`. */
	updated: string;
	summary: string;
	link?: string;
}

export interface FeedInfo {
	/** The log's origin: the feed's identity. */
	origin: string;
	title: string;
	/** Where the log is read from. */
	source: string;
	updated: string;
}

export function feedItemFor(origin: string, index: number, entry: RegistryLogEntry): FeedItem {
	const reportLine = entry.report === undefined ? '' : ` Report: ${entry.report}.`;
	return {
		id: `${origin}#${index}`,
		title: `${entry.action.replaceAll('_', ' ')}: ${entry.subject}`,
		updated: entry.time,
		summary: `${entry.reason} (entry ${index}, targets version ${entry.targets_version}, by key ${entry.actor.slice(0, 16)}).${reportLine}`,
		...(entry.report === undefined ? {} : { link: entry.report }),
	};
}

/** Text XML 1.0 can carry: no controls, no lone surrogates, no U+FFFE or U+FFFF. */
export function xmlText(input: unknown, maxLength = 2000): string {
	const clean = sanitizeText(input, { maxLength })
		.replace(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g, '')
		.replace(/[\uFFFE\uFFFF]/g, '');
	return clean
		.replaceAll('&', '&amp;')
		.replaceAll('<', '&lt;')
		.replaceAll('>', '&gt;')
		.replaceAll('"', '&quot;')
		.replaceAll("'", '&apos;');
}

/** Newest first, as feed readers expect. */
export function renderAtomFeed(info: FeedInfo, items: readonly FeedItem[]): string {
	const lines = [
		'<?xml version="1.0" encoding="utf-8"?>',
		'<feed xmlns="http://www.w3.org/2005/Atom">',
		`  <id>${xmlText(feedId(info.origin))}</id>`,
		`  <title>${xmlText(info.title)}</title>`,
		`  <updated>${xmlText(info.updated)}</updated>`,
		`  <author><name>${xmlText(info.origin)}</name></author>`,
		`  <generator>vouch registry log monitor</generator>`,
	];
	const source = publicLink(info.source);
	if (source !== undefined) lines.push(`  <link href="${xmlText(source)}"/>`);
	for (const item of [...items].reverse()) {
		lines.push(
			'  <entry>',
			`    <id>${xmlText(feedId(item.id))}</id>`,
			`    <title>${xmlText(item.title, 300)}</title>`,
			`    <updated>${xmlText(item.updated)}</updated>`,
			`    <summary>${xmlText(item.summary)}</summary>`,
		);
		if (item.link !== undefined && /^https:\/\/\S+$/.test(item.link)) {
			lines.push(`    <link href="${xmlText(item.link)}"/>`);
		}
		lines.push('  </entry>');
	}
	lines.push('</feed>', '');
	return lines.join('\n');
}

/**
 * The feed is published, but the URL the watcher reads the log from may carry its own
 * credentials, or a token in the query: only an https URL is linked, and without either.
 */
function publicLink(location: string): string | undefined {
	let url: URL;
	try {
		url = new URL(location.trim());
	} catch {
		return undefined;
	}
	if (url.protocol !== 'https:') return undefined;
	url.username = '';
	url.password = '';
	url.search = '';
	url.hash = '';
	return url.href;
}

/** Atom ids are IRIs: the origin (any printable name) is made one by percent-encoding. */
function feedId(name: string): string {
	return `urn:vouch-log:${encodeURIComponent(name)}`;
}

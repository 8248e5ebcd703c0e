/**
 * How untrusted text reaches a page. `hono/html` escapes every interpolated value; these
 * helpers do what escaping cannot: drop controls and bidi overrides that would reorder what a
 * reader sees (`sanitizeText`), strip badge look-alikes from text shown beside a trust badge
 * (`badgeSafeText`), bound lengths, and turn a URL into a link only when it is https, so a
 * `javascript:` or `data:` URL from a registry is shown as text and never followed.
 */
import { sanitizeText } from '@vouch/library';
import { badgeSafeText } from '@vouch/library/internal/registry/trust-display';
import { html } from 'hono/html';

export type Html = ReturnType<typeof html>;

/** Any registry or form text, made safe to read (escaping comes from `html`). */
export function plain(input: unknown, maxLength = 2000): string {
	return sanitizeText(input, { maxLength });
}

/** Plugin text shown next to a trust badge: it cannot draw a badge of its own. */
export function beside(input: unknown, maxLength = 200): string {
	return badgeSafeText(input, { maxLength });
}

/** A link when the URL is https (with no credentials), plain text otherwise. */
export function urlLink(url: unknown): Html {
	const text = plain(url, 500);
	let parsed: URL | undefined;
	try {
		parsed = typeof url === 'string' ? new URL(url) : undefined;
	} catch {
		parsed = undefined;
	}
	if (parsed?.protocol !== 'https:' || parsed.username !== '' || parsed.password !== '')
		return html`<code>${text}</code>`;
	return html`<a href="${parsed.href}" rel="nofollow noopener noreferrer">${text}</a>`;
}

const LANGUAGE_TAG = /^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8}){0,3}$/;

/** A registry language key as a `lang` value (`pt_BR` → `pt-BR`), or undefined if it is not one. */
export function languageTag(key: string): string | undefined {
	return LANGUAGE_TAG.test(key) ? key.replaceAll('_', '-') : undefined;
}

/** A URL path segment for an id taken from the database (never from the request). */
export function pathPart(id: string): string {
	return encodeURIComponent(id);
}

/** `2026-06-01T12:00:00.000Z` → `2026-06-01 12:00 UTC`; anything else as plain text. */
export function when(iso: string): string {
	const match = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2})/.exec(iso);
	return match === null ? plain(iso, 40) : `${match[1]} ${match[2]} UTC`;
}

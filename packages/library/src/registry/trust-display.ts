/**
 * How each trust level is shown (D12): a badge, a label, a one-line description, the warning
 * printed before installing, and the default answer of the install prompt. The wording is
 * fixed here so every screen (CLI, web, host UI) says the same thing.
 */
import { markInvisible } from '../core/invisible-text.ts';
import { type SanitizeOptions, sanitizeText } from '../core/sanitize.ts';
import type { TrustLevel } from './model.ts';

export interface TrustDisplay {
	badge: string;
	label: string;
	/** What the level means, one line. */
	description: string;
	/** Shown before install and update; undefined when no warning is due. */
	warning?: string;
	/** `none`: no prompt. Otherwise the answer Enter gives. */
	promptDefault: 'none' | 'yes' | 'no';
}

export const TRUST_DISPLAY: Readonly<Record<TrustLevel, TrustDisplay>> = {
	official: {
		badge: '🛡️',
		label: 'official',
		description: 'Maintained by the host team; code and every listed update are reviewed.',
		promptDefault: 'none',
	},
	trusted: {
		badge: '✓',
		label: 'trusted',
		description: 'From an established author approved by the registry; the code is not reviewed.',
		warning: 'Note: trusted plugins come from approved authors, but their code is not reviewed.',
		promptDefault: 'yes',
	},
	community: {
		badge: '⚠️',
		label: 'community',
		description: 'Listed in the registry but not reviewed by anyone; updates appear unchecked.',
		warning:
			'Warning: community plugins are not reviewed. The plugin runs with your permissions; install it only if you trust its author.',
		promptDefault: 'no',
	},
	unregistered: {
		badge: '🔓',
		label: 'unregistered',
		description: 'Not in the registry: nobody has looked at where it comes from or what it does.',
		warning:
			'SECURITY WARNING: this plugin is not in the registry. Nobody has reviewed or vouched for it, and it runs with your permissions. Install it only from a source you trust completely.',
		promptDefault: 'no',
	},
};

export function trustBadge(level: TrustLevel): string {
	return TRUST_DISPLAY[level].badge;
}

export function trustDescription(level: TrustLevel): string {
	return TRUST_DISPLAY[level].description;
}

export function trustWarning(level: TrustLevel): string | undefined {
	return TRUST_DISPLAY[level].warning;
}

/**
 * What plugin-supplied text may not carry when it is shown beside a trust badge: pictographs
 * (🛡️ ⚠️ 🔓 ✅ ✔ ...) and check or cross marks that are not pictographs (✓ ✗ √ 🗸), enclosing
 * marks that draw a frame or keycap around a letter, and the parts of emoji sequences
 * (variation selectors, the zero-width joiner). With them a name such as `Nice 🛡️ official`
 * would draw a badge of its own next to the real one. Characters that draw nothing (zero-width
 * spaces, soft hyphens, tag characters...) follow the one rule of `core/invisible-text.ts`,
 * applied by `sanitizeText`; bidi and other controls go there too.
 */
const BADGE_FORGERY =
	// biome-ignore lint/suspicious/noMisleadingCharacterClass: each mark is removed on its own, on purpose.
	/[\p{Extended_Pictographic}\u2713-\u2718\u221a\u2611\u2612\u{1f5f8}\u20dd-\u20e4\ufe00-\ufe0f\u{e0100}-\u{e01ef}\u200d]/gu;

/**
 * Plugin-supplied text (a name, id or description) made safe to show beside a trust badge: it
 * is sanitised (D24) and cannot draw a badge glyph. The one rule for every screen that shows
 * plugin text next to a badge; `pluginNameLabel` adds quotes for names.
 */
export function badgeSafeText(input: unknown, options: SanitizeOptions = {}): string {
	const { maxLength, ...rest } = options;
	const stripped = sanitizeText(input, rest).replace(BADGE_FORGERY, '');
	// Removing a glyph can leave a joiner with nothing to join, which the invisible rule then
	// marks, and two spaces where it stood; one is enough.
	const cleaned = markInvisible(stripped).replace(/ {2,}/g, ' ');
	return maxLength === undefined ? cleaned : sanitizeText(cleaned, { ...rest, maxLength });
}

/**
 * A plugin name as shown next to a badge: badge-safe and in double quotes (a quote inside it
 * becomes a single one), so that where the author's text begins and ends is plain, and a badge
 * word in it (`"Nice official"`) reads as part of the name, after Vouch's own badge.
 */
export function pluginNameLabel(input: unknown, maxLength = 100): string {
	return `"${badgeSafeText(input, { maxLength }).replaceAll('"', "'")}"`;
}

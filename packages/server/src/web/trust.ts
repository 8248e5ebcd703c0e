/**
 * The trust badge on pages. The words come from the library's `TRUST_DISPLAY` (D12), the one
 * place every screen takes them from; a level the registry does not know is shown as
 * `community`, the same fallback clients apply (D6).
 */
import type { TrustLevel } from '@vouch/library';
import { TRUST_DISPLAY } from '@vouch/library/internal/registry/trust-display';
import { html } from 'hono/html';
import type { Html } from './text.ts';

export function trustLevelOf(value: string): TrustLevel {
	return value === 'official' || value === 'trusted' || value === 'community' ? value : 'community';
}

export function trustBadge(value: string): Html {
	const level = trustLevelOf(value);
	return html`<span class="badge badge-${level}">${TRUST_DISPLAY[level].label}</span>`;
}

/** What the level means, and the warning a user sees before installing, if any. */
export function trustExplanation(value: string): Html {
	const display = TRUST_DISPLAY[trustLevelOf(value)];
	return html`<p class="trust-meaning">${display.description}</p>
${display.warning === undefined ? '' : html`<p class="trust-warning">${display.warning}</p>`}`;
}

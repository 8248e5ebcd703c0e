/**
 * How each trust level is shown (D12): a badge, a label, a one-line description, the warning
 * printed before installing, and the default answer of the install prompt. The wording is
 * fixed here so every screen (CLI, web, host UI) says the same thing.
 */
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

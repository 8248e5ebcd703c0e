/**
 * Terminal styling. Colour follows the usual conventions: on for a terminal, off when
 * piped, `NO_COLOR` turns it off and `FORCE_COLOR` on. Every untrusted string goes
 * through `safe()` before it is styled or printed.
 */
import { styleText } from 'node:util';
import { type SanitizeOptions, sanitizeText } from '@vouch/library/internal/core/sanitize';

type StyleFormat = Parameters<typeof styleText>[0];

export interface Style {
	readonly colour: boolean;
	paint(format: StyleFormat, text: string): string;
	bold(text: string): string;
	dim(text: string): string;
	red(text: string): string;
	yellow(text: string): string;
	green(text: string): string;
	cyan(text: string): string;
}

export function wantsColour(env: NodeJS.ProcessEnv, isTTY: boolean): boolean {
	if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
	if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
	return isTTY && env.TERM !== 'dumb';
}

export function createStyle(colour: boolean): Style {
	const paint = (format: StyleFormat, text: string): string =>
		colour ? styleText(format, text, { validateStream: false }) : text;
	return {
		colour,
		paint,
		bold: (t) => paint('bold', t),
		dim: (t) => paint('dim', t),
		red: (t) => paint('red', t),
		yellow: (t) => paint('yellow', t),
		green: (t) => paint('green', t),
		cyan: (t) => paint('cyan', t),
	};
}

/** Untrusted text made safe for a terminal (D24). */
export function safe(text: unknown, options?: SanitizeOptions): string {
	return sanitizeText(text, options);
}

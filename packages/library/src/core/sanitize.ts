/**
 * Neutralises untrusted text (plugin names, registry reasons, URLs, git stderr) before
 * it reaches a terminal or a log (D24). Written as forward scans rather than regexes:
 * the input is attacker-controlled, so nothing here may backtrack. Characters that draw
 * nothing (bidi controls, zero-width, tags, stray joiners and variation selectors) follow the policy of
 * `invisible-text.ts`: shown as a marker, not dropped.
 */
import { markInvisible } from './invisible-text.ts';

const ESC = 0x1b;
const BEL = 0x07;

export interface SanitizeOptions {
	/** Keep line breaks and tabs (long descriptions, multi-line reasons). Default false. */
	multiline?: boolean;
	/** Cut the result to this many code points, ending with an ellipsis. */
	maxLength?: number;
}

/** Index just past the escape sequence that starts at `start` (text[start] is ESC). */
function skipEscapeSequence(text: string, start: number): number {
	const next = text.charCodeAt(start + 1);
	if (Number.isNaN(next)) return start + 1;
	// CSI: ESC [ parameters... final byte in 0x40-0x7e.
	if (next === 0x5b) {
		let i = start + 2;
		while (i < text.length) {
			const c = text.charCodeAt(i);
			i++;
			if (c >= 0x40 && c <= 0x7e) break;
		}
		return i;
	}
	// OSC, DCS, SOS, PM, APC: run until BEL or the string terminator ESC \.
	if (next === 0x5d || next === 0x50 || next === 0x58 || next === 0x5e || next === 0x5f) {
		let i = start + 2;
		while (i < text.length) {
			const c = text.charCodeAt(i);
			if (c === BEL) return i + 1;
			if (c === ESC && text.charCodeAt(i + 1) === 0x5c) return i + 2;
			i++;
		}
		return i;
	}
	// Any other two-character escape (ESC c resets the terminal, ESC 7 saves the cursor...). The
	// second character is a whole code point: half of a surrogate pair left behind would be an
	// unprintable lone surrogate, and the Python adapter, reading code points, skips it whole.
	return start + ((text.codePointAt(start + 1) as number) > 0xffff ? 3 : 2);
}

/**
 * Strips ANSI escapes and C0/C1 controls; marks bidi controls and stray invisible characters
 * (`invisible-text.ts`); redacts URL credentials.
 */
export function sanitizeText(input: unknown, options: SanitizeOptions = {}): string {
	const text = typeof input === 'string' ? input : String(input ?? '');
	let out = '';
	let i = 0;
	while (i < text.length) {
		const cp = text.codePointAt(i) as number;
		const width = cp > 0xffff ? 2 : 1;
		if (cp === ESC) {
			i = skipEscapeSequence(text, i);
			continue;
		}
		if (cp === 0x0a || cp === 0x09) {
			out += options.multiline ? String.fromCharCode(cp) : ' ';
		} else if (cp === 0x2028 || cp === 0x2029) {
			// Line and paragraph separators: some terminals break the line, some draw nothing.
			// Either way they are line breaks, and are treated as one.
			out += options.multiline ? '\n' : ' ';
		} else if (cp === 0xfeff && i === 0) {
			// A byte order mark read from the start of a file; anywhere else it is an invisible.
		} else if (cp === 0x0d) {
			// A bare CR would let text overwrite the start of its own line.
		} else if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
			// dropped: controls act on the terminal rather than draw. Bidi controls are left to
			// `markInvisible`, which shows where they stood.
		} else {
			out += text.slice(i, i + width);
		}
		i += width;
	}
	out = redactUrlCredentials(markInvisible(out));
	if (options.maxLength !== undefined) out = truncateCodePoints(out, options.maxLength);
	return out;
}

function truncateCodePoints(text: string, max: number): string {
	const points = Array.from(text);
	if (points.length <= max) return text;
	// The ellipsis counts towards the limit: with no room for it, nothing is shown.
	if (max <= 0) return '';
	return `${points.slice(0, max - 1).join('')}…`;
}

function isAuthorityEnd(c: string): boolean {
	return (
		c === '/' ||
		c === '?' ||
		c === '#' ||
		c === ' ' ||
		c === '\t' ||
		c === '\n' ||
		c === '"' ||
		c === "'" ||
		c === '<' ||
		c === '>' ||
		c === '`'
	);
}

/**
 * Replaces the userinfo of every `scheme://user:pass@host` in the text with `***`.
 * Credentials are never stored or printed (D2), even inside git's error output.
 */
export function redactUrlCredentials(text: string): string {
	let out = '';
	let from = 0;
	for (;;) {
		const sep = text.indexOf('://', from);
		if (sep === -1) break;
		const authorityStart = sep + 3;
		let end = authorityStart;
		let at = -1;
		while (end < text.length && !isAuthorityEnd(text.charAt(end))) {
			if (text.charAt(end) === '@') at = end;
			end++;
		}
		if (at === -1) {
			out += text.slice(from, end);
		} else if (text.lastIndexOf('\\', at) >= authorityStart) {
			// `https://evil.example\@github.com/`: a browser reads the backslash as `/` and goes to
			// evil.example, curl takes evil.example for a user name. Either part may be the host,
			// so neither is shown: `***@github.com` would name a host the link may never reach.
			out += `${text.slice(from, authorityStart)}***`;
		} else {
			out += `${text.slice(from, authorityStart)}***${text.slice(at, end)}`;
		}
		// `end` is always past the separator, so the scan advances.
		from = end;
	}
	return out + text.slice(from);
}

/** Escapes text for an HTML page (D24). */
export function escapeHtml(input: string): string {
	let out = '';
	for (const ch of input) {
		switch (ch) {
			case '&':
				out += '&amp;';
				break;
			case '<':
				out += '&lt;';
				break;
			case '>':
				out += '&gt;';
				break;
			case '"':
				out += '&quot;';
				break;
			case "'":
				out += '&#39;';
				break;
			default:
				out += ch;
		}
	}
	return out;
}

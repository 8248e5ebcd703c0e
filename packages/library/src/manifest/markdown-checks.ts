/**
 * The reference's safety checks on Markdown fields (`long_description` and its translations).
 * These texts are rendered on the registry site and in host UIs, so raw HTML (and `<script`
 * above all) is refused outright rather than trusted to a renderer's sanitiser.
 *
 * Every check is a single forward scan: the text is attacker-controlled, and a backtracking
 * pattern such as `<[^>]+>` can be driven quadratic by a long run of `<`.
 */
import type { IssueCollector } from './issues.ts';

/** "max 9 levels" of four-space list indentation. */
export const MAX_LIST_INDENT = 36;

const LT = 0x3c;
const GT = 0x3e;

/**
 * True when the text has what the reference's `<[^>]+>` would match: a `<`, then at least one
 * character other than `>`, then a `>`. Only the first `<` after the previous `>` matters, as
 * it leaves the longest gap before the next `>`.
 */
export function containsHtmlTag(text: string): boolean {
	let openAt = -1;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === LT && openAt === -1) {
			openAt = i;
		} else if (c === GT) {
			if (openAt !== -1 && i - openAt >= 2) return true;
			openAt = -1;
		}
	}
	return false;
}

const SCRIPT = 'script';

/** `<script` in any ASCII case, as the reference tests the lower-cased text. */
export function containsScriptTag(text: string): boolean {
	let from = 0;
	for (;;) {
		const at = text.indexOf('<', from);
		if (at === -1) return false;
		let matched = true;
		for (let k = 0; k < SCRIPT.length; k++) {
			// ORing 0x20 maps 'A'-'Z' onto 'a'-'z'; only a letter's two ASCII cases land on it.
			const c = text.charCodeAt(at + 1 + k) | 0x20;
			if (c !== SCRIPT.charCodeAt(k)) {
				matched = false;
				break;
			}
		}
		if (matched) return true;
		from = at + 1;
	}
}

function isIndentWhitespace(c: number): boolean {
	// Python's str.lstrip() whitespace that can occur inside a line.
	return (
		c === 0x20 ||
		c === 0x09 ||
		c === 0x0b ||
		c === 0x0c ||
		(c >= 0x1c && c <= 0x1f) ||
		c === 0x85 ||
		c === 0xa0 ||
		c === 0x1680 ||
		(c >= 0x2000 && c <= 0x200a) ||
		c === 0x2028 ||
		c === 0x2029 ||
		c === 0x202f ||
		c === 0x205f ||
		c === 0x3000
	);
}

/** A line whose first non-blank character is a list marker, indented `MAX_LIST_INDENT` or more. */
export function hasExcessiveListNesting(text: string): boolean {
	let lineStart = true;
	let indent = 0;
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (c === 0x0a || c === 0x0d) {
			lineStart = true;
			indent = 0;
			continue;
		}
		if (!lineStart) continue;
		if (isIndentWhitespace(c)) {
			indent++;
			continue;
		}
		lineStart = false;
		if ((c === 0x2d || c === 0x2a || c === 0x2b) && indent >= MAX_LIST_INDENT) return true;
	}
	return false;
}

/** Runs the Markdown checks on one field, reporting each kind of problem at most once. */
export function checkMarkdown(text: string, field: string, issues: IssueCollector): void {
	if (containsHtmlTag(text)) {
		issues.error(
			'HTML_NOT_ALLOWED',
			field,
			`Field '${field}' contains HTML tags (not allowed, use Markdown only).`,
		);
	}
	if (containsScriptTag(text)) {
		issues.error(
			'DANGEROUS_CONTENT',
			field,
			`Field '${field}' contains potentially dangerous content (<script>).`,
		);
	}
	if (hasExcessiveListNesting(text)) {
		issues.error(
			'LIST_TOO_DEEP',
			field,
			`Field '${field}' has excessive list nesting (max ${MAX_LIST_INDENT / 4} levels).`,
		);
	}
}

/**
 * The shapes of the incident fields of a blacklist entry: the link to the public incident page
 * and the advice shown to users (the `commit` key's shape is in `core/commit-hash.ts`). They are
 * registry text that reaches every host's terminal and notices, so they are held to a strict
 * shape at parse time, then sanitised again where they are shown (D24).
 */
import { isLoopbackUrl } from '../core/transport-policy.ts';

/** No C0 or C1 control character, no DEL: advice is one paragraph of plain text. */
// biome-ignore lint/suspicious/noControlCharactersInRegex: the class names the characters refused.
export const ADVICE_SHAPE = /^[^\u0000-\u001f\u007f-\u009f]*$/;

/**
 * Whether `text` may be shown as an incident link: https, or http only to this machine's
 * loopback (a local service, as the demo runs). No credentials, no whitespace or control
 * characters, nothing a parser could read two ways. Anything unclear is refused.
 */
export function isIncidentUrl(text: string): boolean {
	// biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are refused.
	if (/[\s\\\u0000-\u001f\u007f-\u009f]/.test(text)) return false;
	let parsed: URL;
	try {
		parsed = new URL(text);
	} catch {
		return false;
	}
	if (parsed.username !== '' || parsed.password !== '') return false;
	if (parsed.hostname === '') return false;
	if (parsed.protocol === 'https:') return text.startsWith('https://');
	if (parsed.protocol === 'http:') return text.startsWith('http://') && isLoopbackUrl(text);
	return false;
}

/**
 * Judging string literals: long base64, long hex or byte escapes, and high-entropy tokens.
 * Thresholds sit above what ordinary code holds (hashes in tests are 64 hex digits; base64
 * icons are caught on purpose, since a payload looks exactly like one).
 */

export type StringVerdict = 'base64' | 'hex' | 'entropy' | undefined;

/** Cheap whole-file test: is there any run long enough to matter? */
export const LONG_TOKEN_HINT =
	/(?<![A-Za-z0-9+/=_-])[A-Za-z0-9+/=_-]{40}|(?:\\x[0-9a-fA-F]{2}){16}/;

const MIN_BASE64 = 120;
const MIN_HEX = 128;
const MIN_ESCAPES = 32;
const MIN_ENTROPY_LENGTH = 40;
/** Bits per character: English prose is ~4.1, random base64 approaches 6. */
const ENTROPY_THRESHOLD = 4.8;

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$|^[A-Za-z0-9_-]+={0,2}$/;
const HEX = /^(?:0x)?[0-9a-fA-F]+$/;
const ESCAPE_RUN = new RegExp(`(?:\\\\x[0-9a-fA-F]{2}){${MIN_ESCAPES}}`);

export function shannonEntropy(text: string): number {
	const counts = new Map<string, number>();
	for (const ch of text) counts.set(ch, (counts.get(ch) ?? 0) + 1);
	let bits = 0;
	const length = text.length;
	for (const count of counts.values()) {
		const p = count / length;
		bits -= p * Math.log2(p);
	}
	return bits;
}

function mixedClasses(text: string): boolean {
	return /[a-z]/.test(text) && /[A-Z]/.test(text) && /[0-9]/.test(text);
}

/**
 * `value` is the literal's value (escapes decoded) when known; `raw` is its source text, used
 * for escape runs, which decoding would hide.
 */
export function judgeString(value: string | undefined, raw: string): StringVerdict {
	if (ESCAPE_RUN.test(raw)) return 'hex';
	if (value === undefined) return undefined;
	// Wrapped payloads (76 characters a line) are still one token.
	const compact = value.length > 200_000 ? value.slice(0, 200_000) : value.replace(/\s+/g, '');
	if (compact.length >= MIN_HEX && HEX.test(compact)) return 'hex';
	if (compact.length >= MIN_BASE64 && BASE64.test(compact) && mixedClasses(compact)) {
		return 'base64';
	}
	// Only whitespace-free tokens: long prose is high in entropy too.
	if (value.length < MIN_ENTROPY_LENGTH || /\s/.test(value)) return undefined;
	// URLs and paths are long and varied without being secret.
	if (/^[a-z][a-z0-9+.-]*:\/\//i.test(value) || /^[\w.~-]*(?:\/[\w.-]+){2,}\/?$/.test(value)) {
		return undefined;
	}
	if (!mixedClasses(value)) return undefined;
	return shannonEntropy(value.slice(0, 4096)) >= ENTROPY_THRESHOLD ? 'entropy' : undefined;
}

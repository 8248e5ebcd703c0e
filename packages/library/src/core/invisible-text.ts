/**
 * Characters that draw nothing, in untrusted text shown to a person (D24). The one policy for
 * them, applied by `sanitizeText` after escapes and controls are gone, and
 * mirrored by the Python adapter (`test/vectors/sanitize.json` holds both to it).
 *
 * Such a character is either doing a job where it stands, and kept, or it is stray, and then
 * shown as U+FFFD `�` (a run of them as one), never silently dropped: dropping would make
 * `pay\u200bpal` read exactly like `paypal`, and a run of tag characters can carry a whole
 * hidden sentence. The marker shows that something is there without echoing what.
 *
 * Kept, because legitimate text needs them and they change what is drawn there:
 * - ZWJ and ZWNJ (U+200D, U+200C) between two visible characters outside ASCII: emoji
 *   sequences (👨‍👩‍👧), Persian and Arabic joining, Indic conjuncts after a virama. Between
 *   ASCII letters they draw nothing, which is the spoofing case.
 * - One variation selector (U+FE00–U+FE0F, U+E0100–U+E01EF) right after a visible character
 *   outside ASCII (❤️, an ideographic variant), or U+FE0F/U+FE0E in a keycap (`1️⃣`).
 *
 * Always stray: the bidi controls (embeddings and overrides U+202A–U+202E, isolates
 * U+2066–U+2069, the marks U+200E, U+200F and U+061C), which draw nothing but reorder what
 * follows (`invoice\u202etxt.exe` reads as `invoiceexe.txt`); marking them also ends their
 * effect. Zero-width space, zero-width no-break space (U+FEFF; `sanitizeText` drops
 * it only as a byte order mark at the very start), word joiner and the invisible operators (U+2060–U+2064),
 * the deprecated format characters U+206A–U+206F, soft hyphen, combining grapheme joiner,
 * Hangul and Khmer fillers, the Mongolian vowel separator, the interlinear annotation
 * characters U+FFF9–U+FFFB, the shorthand format controls U+1BCA0–U+1BCA3, the musical
 * formatting characters U+1D173–U+1D17A, and the tag characters U+E0000–U+E007F; with them the
 * code points Unicode reserves as default-ignorable (U+2065, U+FFF0–U+FFF8, the rest of
 * U+E0000–U+E0FFF), which a later Unicode version may fill with more of the same. (The tag-built subdivision flags thus show as 🏴 followed by a marker;
 * that flag is rare in a plugin's text, and tags are the usual way to smuggle hidden text.)
 */

/** What stray invisible characters are shown as. */
export const INVISIBLE_MARK = '\ufffd';

const ZWNJ = 0x200c;
const ZWJ = 0x200d;
const KEYCAP = 0x20e3;

/** Bidi embeddings, overrides, isolates and direction marks (Trojan Source spoofing). */
function isBidiControl(cp: number): boolean {
	return (
		(cp >= 0x202a && cp <= 0x202e) ||
		(cp >= 0x2066 && cp <= 0x2069) ||
		cp === 0x200e ||
		cp === 0x200f ||
		cp === 0x061c
	);
}

/**
 * Whether a character draws nothing wherever it stands (bidi controls included): what
 * `markInvisible` always marks, and what `--json` output writes as an escape.
 */
export function isAlwaysInvisible(cp: number): boolean {
	return (
		isBidiControl(cp) ||
		cp === 0x00ad ||
		cp === 0x034f ||
		cp === 0x115f ||
		cp === 0x1160 ||
		cp === 0x17b4 ||
		cp === 0x17b5 ||
		cp === 0x180e ||
		cp === 0x200b ||
		(cp >= 0x2060 && cp <= 0x2064) ||
		(cp >= 0x206a && cp <= 0x206f) ||
		cp === 0x2065 ||
		cp === 0x3164 ||
		cp === 0xfeff ||
		cp === 0xffa0 ||
		(cp >= 0xfff0 && cp <= 0xfffb) ||
		(cp >= 0x1bca0 && cp <= 0x1bca3) ||
		(cp >= 0x1d173 && cp <= 0x1d17a) ||
		(cp >= 0xe0000 && cp <= 0xe0fff && !(cp >= 0xe0100 && cp <= 0xe01ef))
	);
}

function isVariationSelector(cp: number): boolean {
	return (
		(cp >= 0xfe00 && cp <= 0xfe0f) ||
		(cp >= 0xe0100 && cp <= 0xe01ef) ||
		// Mongolian free variation selectors, which choose a letter's form as the others do.
		(cp >= 0x180b && cp <= 0x180d) ||
		cp === 0x180f
	);
}

/** Spaces outside ASCII: listed, so the Python adapter agrees exactly. */
function isWideSpace(cp: number): boolean {
	return (
		cp === 0x00a0 ||
		cp === 0x1680 ||
		(cp >= 0x2000 && cp <= 0x200a) ||
		cp === 0x202f ||
		cp === 0x205f ||
		cp === 0x3000
	);
}

/** A character outside ASCII that draws something of its own. */
function isVisibleNonAscii(cp: number | undefined): boolean {
	if (cp === undefined || cp <= 0x7f) return false;
	return (
		!isAlwaysInvisible(cp) &&
		!isVariationSelector(cp) &&
		cp !== ZWJ &&
		cp !== ZWNJ &&
		cp !== 0xfffd &&
		!isWideSpace(cp)
	);
}

function isKeycapBase(cp: number | undefined): boolean {
	return cp !== undefined && ((cp >= 0x30 && cp <= 0x39) || cp === 0x23 || cp === 0x2a);
}

/** Whether the character at `i` of `points` is an invisible one with no job where it stands. */
function isStray(points: readonly number[], i: number): boolean {
	const cp = points[i] as number;
	if (isAlwaysInvisible(cp)) return true;
	const before = points[i - 1];
	const after = points[i + 1];
	if (cp === ZWJ || cp === ZWNJ) {
		// An emoji's presentation selector may sit between the emoji and the joiner (❤️‍🔥).
		const base = before === 0xfe0f ? points[i - 2] : before;
		return !(isVisibleNonAscii(base) && isVisibleNonAscii(after));
	}
	if (isVariationSelector(cp)) {
		if (isVisibleNonAscii(before)) return false;
		return !((cp === 0xfe0f || cp === 0xfe0e) && isKeycapBase(before) && after === KEYCAP);
	}
	return false;
}

/** `text` with every stray invisible character, or run of them, shown as one `�`. */
export function markInvisible(text: string): string {
	const points = Array.from(text, (ch) => ch.codePointAt(0) as number);
	let out = '';
	let inRun = false;
	for (let i = 0; i < points.length; i++) {
		if (isStray(points, i)) {
			if (!inRun) out += INVISIBLE_MARK;
			inRun = true;
			continue;
		}
		inRun = false;
		out += String.fromCodePoint(points[i] as number);
	}
	return out;
}

/**
 * The "skeleton" of a name: the plain Latin letters a reader sees in it. Two names with the same
 * skeleton look the same on screen, whatever code points they are written in: `Аdd` with a
 * Cyrillic А, `Add` with a full-width letter, `Add` with a combining mark or a zero-width
 * space. Registry review compares skeletons to catch a plugin dressed up as another one; the
 * comparison is one-way (a skeleton is never shown or stored).
 *
 * The table is deliberately small: the letters of the scripts most often used to fake Latin
 * ones (Cyrillic, Greek, and the Armenian, Cherokee, Lisu and Tifinagh letters drawn like
 * Latin ones), Latin small capitals, and the digit and letter pairs that pass for each other.
 * Characters that draw nothing (zero-width, Hangul fillers, a Braille blank) are dropped
 * whatever their category. Forward scans only: the input is attacker-controlled.
 */

/** Single characters that pass for a Latin letter, uppercase forms included. */
const LOOKALIKE_LETTERS: Readonly<Record<string, string>> = {
	// Cyrillic
	а: 'a',
	А: 'a',
	в: 'b',
	В: 'b',
	е: 'e',
	Е: 'e',
	ё: 'e',
	Ё: 'e',
	з: '3',
	З: '3',
	һ: 'h',
	Н: 'h',
	і: 'i',
	І: 'i',
	ї: 'i',
	Ї: 'i',
	ј: 'j',
	Ј: 'j',
	к: 'k',
	К: 'k',
	ӏ: 'l',
	Ӏ: 'l',
	м: 'm',
	М: 'm',
	о: 'o',
	О: 'o',
	п: 'n',
	р: 'p',
	Р: 'p',
	с: 'c',
	С: 'c',
	ԁ: 'd',
	ԛ: 'q',
	Ԛ: 'q',
	ѕ: 's',
	Ѕ: 's',
	т: 't',
	Т: 't',
	у: 'y',
	У: 'y',
	ү: 'y',
	х: 'x',
	Х: 'x',
	ԝ: 'w',
	Ԝ: 'w',
	ь: 'b',
	Ь: 'b',
	// Greek
	α: 'a',
	Α: 'a',
	β: 'b',
	Β: 'b',
	ε: 'e',
	Ε: 'e',
	ζ: 'z',
	Ζ: 'z',
	η: 'n',
	Η: 'h',
	ι: 'i',
	Ι: 'i',
	κ: 'k',
	Κ: 'k',
	μ: 'u',
	Μ: 'm',
	ν: 'v',
	Ν: 'n',
	ο: 'o',
	Ο: 'o',
	ρ: 'p',
	Ρ: 'p',
	τ: 't',
	Τ: 't',
	υ: 'u',
	Υ: 'y',
	χ: 'x',
	Χ: 'x',
	ω: 'w',
	// NFKD turns a lunate sigma (ϲ) into a final sigma, and both read as c.
	ϲ: 'c',
	Ϲ: 'c',
	ς: 'c',
	ϳ: 'j',
	// Armenian
	օ: 'o',
	Օ: 'o',
	ո: 'n',
	ռ: 'n',
	ս: 'u',
	Ս: 'u',
	հ: 'h',
	ց: 'g',
	զ: 'q',
	ք: 'p',
	Լ: 'l',
	// Cherokee (capitals; lowercase() gives the small letters, so both are listed)
	Ꭺ: 'a',
	ꭺ: 'a',
	Ᏼ: 'b',
	ᏼ: 'b',
	Ꮯ: 'c',
	ꮯ: 'c',
	Ꭰ: 'd',
	ꭰ: 'd',
	Ꭼ: 'e',
	ꭼ: 'e',
	Ꮐ: 'g',
	ꮐ: 'g',
	Ꮋ: 'h',
	ꮋ: 'h',
	Ꭻ: 'j',
	ꭻ: 'j',
	Ꮶ: 'k',
	ꮶ: 'k',
	Ꮮ: 'l',
	ꮮ: 'l',
	Ꮇ: 'm',
	ꮇ: 'm',
	Ꮲ: 'p',
	ꮲ: 'p',
	Ꮪ: 's',
	ꮪ: 's',
	Ꮤ: 't',
	ꮤ: 't',
	Ꮩ: 'v',
	ꮩ: 'v',
	Ꮃ: 'w',
	ꮃ: 'w',
	Ꮓ: 'z',
	ꮓ: 'z',
	// Lisu
	ꓮ: 'a',
	ꓐ: 'b',
	ꓚ: 'c',
	ꓓ: 'd',
	ꓰ: 'e',
	ꓝ: 'f',
	ꓖ: 'g',
	ꓧ: 'h',
	ꓲ: 'i',
	ꓙ: 'j',
	ꓗ: 'k',
	ꓡ: 'l',
	ꓟ: 'm',
	ꓠ: 'n',
	ꓳ: 'o',
	ꓑ: 'p',
	ꓣ: 'r',
	ꓢ: 's',
	ꓔ: 't',
	ꓴ: 'u',
	ꓦ: 'v',
	ꓪ: 'w',
	ꓫ: 'x',
	ꓬ: 'y',
	ꓜ: 'z',
	// Tifinagh
	ⵏ: 'l',
	ⵔ: 'o',
	ⵀ: 'o',
	// Latin small capitals, which NFKD leaves alone
	ᴀ: 'a',
	ʙ: 'b',
	ᴄ: 'c',
	ᴅ: 'd',
	ᴇ: 'e',
	ɢ: 'g',
	ʜ: 'h',
	ɪ: 'i',
	ᴊ: 'j',
	ᴋ: 'k',
	ᴍ: 'm',
	ɴ: 'n',
	ᴏ: 'o',
	ᴘ: 'p',
	ʀ: 'r',
	ꜱ: 's',
	ᴛ: 't',
	ᴜ: 'u',
	ᴠ: 'v',
	ᴡ: 'w',
	ʏ: 'y',
	ᴢ: 'z',
	// Latin letters from other blocks, and symbols read as letters
	ı: 'i',
	ɑ: 'a',
	ɡ: 'g',
	ɩ: 'i',
	ʟ: 'l',
	ꞁ: 'l',
	ǀ: 'l',
	ſ: 's',
	ℓ: 'l',
	'|': 'l',
	'!': 'l',
	// Digits and letters that pass for each other
	'0': 'o',
	'1': 'l',
	'5': 's',
	i: 'l',
};

/** Pairs read as one letter at a glance (`rn` as `m`). Applied after the letters above. */
const LOOKALIKE_PAIRS: ReadonlyArray<readonly [string, string]> = [
	['rn', 'm'],
	['vv', 'w'],
	['cl', 'd'],
];

/** Characters that separate words and that a reader skips: `add-to`, `add_to`, `add to`. */
function isSeparator(ch: string): boolean {
	return ch === ' ' || ch === '-' || ch === '_' || ch === '.' || ch === '/' || /\s/u.test(ch);
}

/**
 * Invisible: format characters (zero-width spaces and joiners, bidi marks), combining marks,
 * and what Unicode says a renderer may draw as nothing (Hangul fillers are letters by
 * category, yet show as blank), plus the Braille blank, which is a symbol drawn as a space.
 */
export function isInvisible(ch: string): boolean {
	return /[\p{Cf}\p{Mn}\p{Me}\p{Default_Ignorable_Code_Point}\u2800]/u.test(ch);
}

/** Longer names are cut here before comparing: a skeleton is for names, not documents. */
export const MAX_SKELETON_INPUT = 200;

/**
 * The skeleton of `text`: compatibility forms folded (NFKD, so full-width and styled letters
 * become plain ones, accents split off), invisible characters and separators dropped,
 * look-alike letters mapped to the Latin letter they pass for, lowercase.
 */
export function confusableSkeleton(text: string): string {
	const folded = text.slice(0, MAX_SKELETON_INPUT).normalize('NFKD');
	let out = '';
	for (const ch of folded) {
		if (isInvisible(ch) || isSeparator(ch)) continue;
		const once = LOOKALIKE_LETTERS[ch] ?? LOOKALIKE_LETTERS[ch.toLowerCase()] ?? ch.toLowerCase();
		// Twice: a Cyrillic і becomes i, which in turn passes for l.
		out += LOOKALIKE_LETTERS[once] ?? once;
	}
	for (const [pair, letter] of LOOKALIKE_PAIRS) out = out.split(pair).join(letter);
	return out;
}

/** Whether `text` has a letter outside ASCII: the case where a skeleton can hide a difference. */
export function hasNonAsciiLetter(text: string): boolean {
	for (const ch of text) {
		if ((ch.codePointAt(0) as number) > 0x7f && /\p{L}/u.test(ch)) return true;
	}
	return false;
}

/** Whether two names look alike on screen although they are written differently. */
export function looksConfusable(a: string, b: string): boolean {
	if (a.normalize('NFC').toLowerCase() === b.normalize('NFC').toLowerCase()) return false;
	return confusableSkeleton(a) === confusableSkeleton(b);
}

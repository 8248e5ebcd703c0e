/**
 * Bidirectional control characters in code ("Trojan Source", CVE-2021-42574). An override or
 * isolate left open inside a comment or string makes an editor show the rest of the line in
 * another order than the interpreter reads it: a check that looks commented out runs, a
 * string that looks closed goes on. Right-to-left text in a string closes what it opens on
 * the same line, so only a line that leaves one open (or closes one never opened) is reported.
 */
import type { FileContext } from '../engine/matcher.ts';
import { languageOf } from '../files/classify.ts';

const BIDI = /[\u202A-\u202E\u2066-\u2069]/;
/** Embeddings and overrides close with PDF (U+202C), isolates with PDI (U+2069). */
const OPENS_EMBEDDING = new Set(['\u202A', '\u202B', '\u202D', '\u202E']);
const OPENS_ISOLATE = new Set(['\u2066', '\u2067', '\u2068']);
/** At most this many lines with controls are reported per file. */
const MAX_REPORTS = 5;

/** Whether one line leaves an override, embedding or isolate open, or closes one never opened. */
function unbalanced(line: string): boolean {
	let embeddings = 0;
	let isolates = 0;
	for (const char of line) {
		if (OPENS_EMBEDDING.has(char)) embeddings++;
		else if (OPENS_ISOLATE.has(char)) isolates++;
		else if (char === '\u202C' && --embeddings < 0) return true;
		else if (char === '\u2069' && --isolates < 0) return true;
	}
	return embeddings !== 0 || isolates !== 0;
}

/**
 * Only files named as code (or with no extension, as scripts are): the danger is code a person
 * reviews reading otherwise than it runs. A data file that happens to parse as code
 * (`MANIFEST.toml`, all assignments) is read by Vouch, whose display strips the controls.
 */
function namedAsCode(path: string): boolean {
	const name = path.slice(path.lastIndexOf('/') + 1);
	return !name.includes('.') || languageOf(name) !== undefined;
}

export function checkBidiText(file: FileContext): void {
	const text = file.text;
	if (!BIDI.test(text) || !namedAsCode(file.path)) return;
	let reported = 0;
	let start = 0;
	while (start <= text.length && reported < MAX_REPORTS) {
		const newline = text.indexOf('\n', start);
		const end = newline === -1 ? text.length : newline;
		const line = text.slice(start, end);
		const at = line.search(BIDI);
		if (at !== -1 && unbalanced(line)) {
			file.reportRange(
				'obfuscation-bidi',
				start + at,
				start + at + 1,
				'a bidirectional control character left open reorders how the line is shown',
			);
			reported++;
		}
		if (newline === -1) break;
		start = newline + 1;
	}
}

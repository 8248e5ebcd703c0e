/**
 * Minified and packed JavaScript, judged on the text: what makes such code unreadable for a
 * reviewer is its layout and naming, which the syntax tree no longer shows.
 */
import type { FileContext } from '../engine/matcher.ts';

/** Dean Edwards' packer and its clones. */
const PACKER = /eval\s*\(\s*function\s*\(\s*p\s*,\s*a\s*,\s*c\s*,\s*k\s*,\s*e\s*,\s*[rd]\s*\)/;
/** javascript-obfuscator names every identifier `_0x` plus hex digits. */
const OBFUSCATOR_NAME = /\b_0x[0-9a-f]{4,6}\b/g;
const OBFUSCATOR_MIN_NAMES = 10;
/** JSFuck and relatives write everything with []()!+. */
const JSFUCK = /(?:[[\]()!+]\s*){200}/;

const MINIFIED_LINE = 1000;
const MINIFIED_AVERAGE = 250;
const MINIFIED_MIN_BYTES = 3000;

export function checkPackedText(file: FileContext): void {
	const text = file.text;
	const packer = PACKER.exec(text);
	if (packer !== null) {
		file.reportRange(
			'obfuscation-packed',
			packer.index,
			packer.index + packer[0].length,
			'the code is wrapped by a JavaScript packer',
		);
		return;
	}
	const names = text.match(OBFUSCATOR_NAME);
	if (names !== null && names.length >= OBFUSCATOR_MIN_NAMES) {
		const first = text.search(OBFUSCATOR_NAME);
		file.reportRange(
			'obfuscation-packed',
			first,
			first + 8,
			`${names.length} _0x… identifiers: output of a JavaScript obfuscator`,
		);
		return;
	}
	const fuck = JSFUCK.exec(text);
	if (fuck !== null) {
		file.reportRange('obfuscation-packed', fuck.index, fuck.index + 20, 'JSFuck-style encoding');
		return;
	}
	checkMinified(file);
}

function checkMinified(file: FileContext): void {
	const text = file.text;
	if (text.length < MINIFIED_MIN_BYTES) return;
	let lines = 0;
	let longest = 0;
	let longestStart = 0;
	let start = 0;
	while (start <= text.length) {
		const end = text.indexOf('\n', start);
		const stop = end === -1 ? text.length : end;
		lines++;
		if (stop - start > longest) {
			longest = stop - start;
			longestStart = start;
		}
		if (end === -1) break;
		start = end + 1;
	}
	if (longest >= MINIFIED_LINE && text.length / lines >= MINIFIED_AVERAGE) {
		file.reportRange(
			'obfuscation-minified',
			longestStart,
			longestStart + 1,
			`minified code: a ${longest}-character line, ${Math.round(text.length / lines)} characters a line on average`,
		);
	}
}

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	confusableSkeleton,
	hasNonAsciiLetter,
	looksConfusable,
} from '../../src/core/confusables.ts';

describe('confusable skeletons', () => {
	it('a Cyrillic А, a Greek Ο or a full-width letter reads as the Latin one', () => {
		assert.ok(looksConfusable('\u0410dd to Collection', 'Add to Collection'));
		assert.ok(looksConfusable('Rep\u03bfrt', 'Report'));
		assert.ok(looksConfusable('\uff21dd', 'Add'));
	});

	it('invisible characters, combining marks and separators are skipped', () => {
		assert.ok(looksConfusable('Add\u200b to Collection', 'Add to Collection'));
		assert.ok(looksConfusable('Add-to_Collection', 'Add to Collection'));
		assert.ok(looksConfusable('Ade\u0301', 'Ade'));
	});

	it('letters of other scripts drawn like Latin ones, and Latin small capitals', () => {
		const base = 'Add to Collection';
		for (const fake of [
			'Add to C\u0585llection', // Armenian օ
			'Add to Collectio\u057c', // Armenian ռ
			'\u13aadd to Collection', // Cherokee Ꭺ
			'\ua4eedd to Collection', // Lisu ꓮ
			'Add to Co\u2d4f\u2d4fection', // Tifinagh ⵏ
			'Add to Co\u01c0\u01c0ection', // dental click ǀ
			'\u1d00dd to Collection', // small capital ᴀ
			'Add to Collectio\u0274', // small capital ɴ
			'Add to Colle\u03f2tion', // lunate sigma ϲ
		]) {
			assert.ok(looksConfusable(fake, base), fake);
		}
	});

	it('characters that draw nothing are skipped whatever their category', () => {
		const base = 'Add to Collection';
		// Hangul fillers are letters by category; the Braille blank is a symbol.
		for (const hidden of ['\u115f', '\u1160', '\u3164', '\uffa0', '\u2800', '\u180e', '\u034f']) {
			assert.ok(
				looksConfusable(`Add to Col${hidden}lection`, base),
				hidden.codePointAt(0)?.toString(16),
			);
		}
	});

	it('digits and letter pairs that pass for letters', () => {
		assert.ok(looksConfusable('m0d', 'mod'));
		assert.ok(looksConfusable('paypa1', 'paypal'));
		assert.ok(looksConfusable('modern', 'rnodern'));
		assert.ok(looksConfusable('Il', 'll'));
		// Cyrillic і becomes i, which passes for l in turn.
		assert.equal(confusableSkeleton('\u0456d'), confusableSkeleton('ld'));
	});

	it('the same text is not a confusable; different names are not either', () => {
		assert.equal(looksConfusable('Add to Collection', 'add to collection'), false);
		assert.equal(looksConfusable('Decade', 'Decode'), false);
		assert.equal(looksConfusable('XQAF', 'MOD files'), false);
	});

	it('long input is bounded and scanned without backtracking', () => {
		const long = `${'\u0430'.repeat(100_000)}b`;
		assert.equal(confusableSkeleton(long).length <= 200, true);
	});

	it('non-ASCII letters are told from punctuation', () => {
		assert.equal(hasNonAsciiLetter('Café'), true);
		assert.equal(hasNonAsciiLetter('Add – to'), false);
	});
});

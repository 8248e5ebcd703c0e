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

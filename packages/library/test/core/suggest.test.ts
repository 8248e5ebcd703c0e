import assert from 'node:assert/strict';
import { test } from 'node:test';
import { closestNames, didYouMean, editDistance } from '../../src/core/suggest.ts';

test('edit distance counts a swap of neighbours as one edit', () => {
	assert.equal(editDistance('community', 'comunity'), 1);
	assert.equal(editDistance('lyrics-fetch', 'lyrics-fecth'), 1);
	assert.equal(editDistance('abc', 'abc'), 0);
	assert.equal(editDistance('kitten', 'sitting'), 3);
	// Giving up early reports just past the limit.
	assert.equal(editDistance('aaaaaaaa', 'bbbbbbbb', 2), 3);
});

test('the closest names, at most three, typos before fragments', () => {
	const ids = ['tagger-tools', 'tagger-extra', 'cover-finder', 'replaygain2', 'tag-editor'];
	assert.deepEqual(closestNames('tager-tools', ids), ['tagger-tools']);
	assert.deepEqual(closestNames('tagger', ids), ['tagger-extra', 'tagger-tools']);
	assert.deepEqual(closestNames('comunity', ['official', 'trusted', 'community']), ['community']);
	assert.deepEqual(closestNames('zzz', ids), []);
	const many = ['plugin-a', 'plugin-b', 'plugin-c', 'plugin-d'];
	assert.equal(closestNames('plugin-e', many).length, 3);
});

test('an exact match, an empty word or a huge one suggests nothing', () => {
	assert.deepEqual(closestNames('cover-finder', ['cover-finder']), []);
	assert.deepEqual(closestNames('  ', ['a']), []);
	assert.deepEqual(closestNames('x'.repeat(5000), ['x']), []);
});

test('the hint sentence is sanitised', () => {
	assert.equal(didYouMean([]), undefined);
	assert.equal(didYouMean(['a\u001b[2Jb', 'c']), 'Did you mean ab, c?');
});

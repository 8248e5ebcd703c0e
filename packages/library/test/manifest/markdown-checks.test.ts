/** The Markdown safety scans agree with the reference's patterns and stay linear. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import {
	containsHtmlTag,
	containsScriptTag,
	hasExcessiveListNesting,
} from '../../src/manifest/markdown-checks.ts';

// The reference's own patterns, used here only as oracles on short generated strings.
const HTML_TAG = /<[^>]+>/;
const LIST_LINE = /^\s*[-*+]/;

test('containsHtmlTag matches the reference pattern <[^>]+> exactly', () => {
	const text = fc.string({ unit: fc.constantFrom('<', '>', 'a', ' ', '\n'), maxLength: 30 });
	fc.assert(
		fc.property(text, (s) => containsHtmlTag(s) === HTML_TAG.test(s)),
		{ numRuns: 2000 },
	);
});

test('containsHtmlTag examples', () => {
	assert.equal(containsHtmlTag('<b>'), true);
	assert.equal(containsHtmlTag('<<>'), true);
	assert.equal(containsHtmlTag('a <\nb> c'), true);
	assert.equal(containsHtmlTag('<>'), false);
	assert.equal(containsHtmlTag('x > y < z'), false);
	assert.equal(containsHtmlTag('><>'), false);
});

test('containsScriptTag is <script in any ASCII case, as the lower-cased reference test', () => {
	const text = fc.string({
		unit: fc.constantFrom(
			'<',
			's',
			'S',
			'c',
			'C',
			'r',
			'R',
			'i',
			'I',
			'p',
			'P',
			't',
			'T',
			' ',
			'x',
		),
		maxLength: 20,
	});
	fc.assert(
		fc.property(text, (s) => containsScriptTag(s) === s.toLowerCase().includes('<script')),
		{ numRuns: 2000 },
	);
	assert.equal(containsScriptTag('<ScRiPt'), true);
	assert.equal(containsScriptTag('< script'), false);
	assert.equal(containsScriptTag('<scrip'), false);
});

test('hasExcessiveListNesting flags list lines indented 36 or more, like the reference', () => {
	const line = fc
		.tuple(fc.nat({ max: 40 }), fc.constantFrom('-', '*', '+', 'x', ''), fc.constantFrom(' ', '\t'))
		.map(([indent, marker, pad]) => `${pad.repeat(indent)}${marker} item`);
	fc.assert(
		fc.property(fc.array(line, { maxLength: 5 }), (lines) => {
			const expected = lines.some(
				(l) => LIST_LINE.test(l) && l.length - l.trimStart().length >= 36,
			);
			return hasExcessiveListNesting(lines.join('\n')) === expected;
		}),
		{ numRuns: 1000 },
	);
});

test('hostile inputs (long runs of "<", deep indentation) are handled in one pass', () => {
	// A backtracking <[^>]+> would need about n²/2 steps here; the scans finish regardless.
	const opens = '<'.repeat(200_000);
	assert.equal(containsHtmlTag(opens), false);
	assert.equal(containsScriptTag(`${opens}scrip`), false);
	assert.equal(hasExcessiveListNesting(' '.repeat(200_000)), false);
});

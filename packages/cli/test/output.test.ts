/** JSON output is the same data for a parser and inert for a terminal (D24). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { terminalSafeJson } from '../src/output.ts';

describe('terminalSafeJson', () => {
	it('escapes C1 controls, DEL and bidi overrides that JSON.stringify leaves raw', () => {
		const text = terminalSafeJson({ name: 'a\u009b31mb\u007f\u202e\u2028' });
		assert.equal(/[\u007f-\u009f\u202e\u2028]/.test(text), false);
		assert.match(text, /\\u009b31m/);
	});

	it('escapes characters that draw nothing, so JSON read on a terminal hides no text', () => {
		// A data field is not sanitised (a program gets it as it is), but `pay\u200bpal` must not
		// read as `paypal`, nor a run of tag characters as nothing, to a person reading the output.
		const value = { name: 'pay\u200bpal', tags: 'a\u{e0041}\u{e0042}b', soft: 'x\u00ady' };
		const text = terminalSafeJson(value);
		assert.match(text, /pay\\u200bpal/);
		assert.match(text, /a\\udb40\\udc41\\udb40\\udc42b/);
		assert.match(text, /x\\u00ady/);
		assert.deepEqual(JSON.parse(text), value);
		// Emoji sequences and ordinary text outside ASCII stay as they are.
		assert.match(terminalSafeJson({ name: 'Ü 👨‍👩‍👧 ❤️' }), /Ü 👨‍👩‍👧 ❤️/);
	});

	it('always parses back to the same value', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				assert.deepEqual(JSON.parse(terminalSafeJson(value)), JSON.parse(JSON.stringify(value)));
			}),
		);
	});
});

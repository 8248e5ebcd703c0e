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

	it('always parses back to the same value', () => {
		fc.assert(
			fc.property(fc.jsonValue(), (value) => {
				assert.deepEqual(JSON.parse(terminalSafeJson(value)), JSON.parse(JSON.stringify(value)));
			}),
		);
	});
});

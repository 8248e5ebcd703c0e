import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { jsonNestingExceeds, sniffRegistryFormat } from '../../src/registry/decode.ts';

/** Nesting depth of a JSON value: 0 for a scalar, 1 for a flat array or object. */
function depthOf(value: unknown): number {
	if (value === null || typeof value !== 'object') return 0;
	const children = Array.isArray(value) ? value : Object.values(value);
	return 1 + Math.max(0, ...children.map(depthOf));
}

describe('jsonNestingExceeds', () => {
	it('agrees with the real depth of any JSON value, strings with brackets included', () => {
		fc.assert(
			fc.property(fc.jsonValue({ maxDepth: 6 }), fc.integer({ min: 0, max: 7 }), (value, max) => {
				const text = JSON.stringify(value);
				const exceeds = jsonNestingExceeds(text, max) !== undefined;
				assert.equal(exceeds, depthOf(value) > max);
			}),
			{ numRuns: 300 },
		);
	});

	it('points at the bracket that goes too deep', () => {
		assert.equal(jsonNestingExceeds('{"a": [[1]]}', 2), 7);
		assert.equal(jsonNestingExceeds('{"a": "[[[[", "b": "\\"[[["}', 1), undefined);
	});
});

describe('sniffRegistryFormat', () => {
	it('sees JSON only when the first non-space character is {', () => {
		assert.equal(sniffRegistryFormat('\ufeff \n\t{"plugins": []}'), 'json');
		assert.equal(sniffRegistryFormat('# {"not": "json"}'), 'toml');
		assert.equal(sniffRegistryFormat('[[plugins]]'), 'toml');
		assert.equal(sniffRegistryFormat(''), 'toml');
	});
});

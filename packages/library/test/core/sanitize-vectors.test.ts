/**
 * The sanitising vectors shared with the Python adapter (test/vectors/sanitize.json): a host in
 * Python cleans text exactly as the library does, so what one side shows the other shows too.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { sanitizeText } from '../../src/core/sanitize.ts';

interface SanitizeVector {
	input: string;
	multiline?: boolean;
	maxLength?: number;
	expected: string;
}

const vectors = JSON.parse(
	readFileSync(new URL('../../../../test/vectors/sanitize.json', import.meta.url), 'utf8'),
) as SanitizeVector[];

describe('sanitizeText against the shared vectors', () => {
	it('has vectors for escapes, controls, bidi, credentials and truncation', () => {
		assert.ok(vectors.length > 10);
		assert.ok(vectors.some((vector) => vector.input.includes('\u001b]')));
		assert.ok(vectors.some((vector) => vector.input.includes('@')));
		assert.ok(vectors.some((vector) => vector.maxLength !== undefined));
	});

	for (const vector of vectors) {
		it(JSON.stringify(vector.input).slice(0, 60), () => {
			assert.equal(
				sanitizeText(vector.input, {
					...(vector.multiline === true ? { multiline: true } : {}),
					...(vector.maxLength === undefined ? {} : { maxLength: vector.maxLength }),
				}),
				vector.expected,
			);
		});
	}
});

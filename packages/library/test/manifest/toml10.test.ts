/** The TOML 1.1 scan never flags plain TOML 1.0 values and reports positions. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { parse } from 'smol-toml';
import { findToml11Construct } from '../../src/manifest/toml10.ts';
import { withoutControls } from './helpers.ts';

test('any string written as a TOML 1.0 basic or literal string is not flagged', () => {
	fc.assert(
		fc.property(fc.string({ maxLength: 40 }), fc.string({ maxLength: 40 }), (a, b) => {
			const literal = withoutControls(b).replaceAll("'", '');
			const text = `a = ${JSON.stringify(a)}\nb = '${literal}'\nc = [${JSON.stringify(b)}, { k = ${JSON.stringify(a)} }]\n`;
			parse(text);
			return findToml11Construct(text) === undefined;
		}),
		{ numRuns: 500 },
	);
});

test('positions are 1-based line and column', () => {
	assert.deepEqual(findToml11Construct('a = 1\nb = { c = 1, }\n'), {
		line: 2,
		column: 14,
		what: 'a trailing comma in an inline table',
	});
	assert.deepEqual(findToml11Construct('x = "ok \\x41"'), {
		line: 1,
		column: 9,
		what: 'an escape that TOML 1.0 does not define',
	});
	assert.equal(findToml11Construct('t = 07:32')?.column, 5);
});

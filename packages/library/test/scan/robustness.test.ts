/**
 * The engine on arbitrary input: random mixes of code tokens, brackets, quotes, escapes and
 * Unicode never make it throw, in any language, and every finding points inside the text.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import type { SourceLanguage } from '../../src/scan/index.ts';
import { FROZEN_CLOCK, testEngine } from './support.ts';

const TOKENS = [
	'import os',
	'from os import *',
	'os.system(',
	'__import__(',
	'eval(',
	'exec(',
	'require(',
	'import(',
	'new Function(',
	'process.env',
	'os.environ[',
	'"',
	"'",
	'"""',
	'`${',
	'}',
	'(',
	')',
	'[',
	']',
	'{',
	'\\x6f',
	'\n',
	'\n    ',
	' = ',
	'.',
	',',
	'def f(x):',
	'function f() {',
	'=> ',
	'chr(1) + chr(2)',
	'base64.b64decode(',
	'socket.socket()',
	'requests.post(',
	'__subclasses__',
	'[::-1]',
	'\u202e',
	'\u0000',
	'😀',
];

const source = fc.oneof(
	fc.array(fc.constantFrom(...TOKENS), { maxLength: 60 }).map((parts) => parts.join('')),
	fc.string({ unit: 'binary', maxLength: 300 }),
);

for (const language of ['python', 'javascript', 'typescript', 'tsx'] as SourceLanguage[]) {
	test(`${language}: arbitrary text never throws and findings stay inside it`, async () => {
		const engine = await testEngine();
		fc.assert(
			fc.property(source, (text) => {
				// A clock that never reaches the deadline: every input is scanned to the end.
				const result = engine.scan(`x.${language}`, language, text, {
					deadline: 1,
					clock: FROZEN_CLOCK,
					maxNestingDepth: 200,
				});
				if (result.status === 'too-deep') return;
				const lines = text.split(/\r\n|\r|\n/).length;
				for (const finding of result.findings) {
					assert.ok((finding.line ?? 1) >= 1 && (finding.line ?? 1) <= lines);
					assert.ok((finding.column ?? 1) >= 1);
				}
			}),
			{ numRuns: 300, seed: 5 },
		);
	});
}

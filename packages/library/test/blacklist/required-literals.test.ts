/**
 * The prefilter's soundness rests on this: a literal claimed as required must be in every text
 * the pattern matches under RE2. The property test checks exactly that against RE2 itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { requiredLiterals } from '../../src/blacklist/required-literals.ts';
import { compilePythonPattern } from '../../src/core/pyregex.ts';

describe('requiredLiterals', () => {
	const cases: [string, string[] | undefined][] = [
		['^https://github\\.com/badorg/', ['https://github.com/badorg/']],
		['/malicious-repo\\.git$', ['/malicious-repo.git']],
		['github\\.com/[^/]+/evil-plugin', ['github.com/', '/evil-plugin']],
		// A quantifier takes its character out of the run: `s?` may be absent.
		['^https?://example\\.org/', ['://example.org/', 'http']],
		['abcd*efg', ['efg', 'abc']],
		['abc+def', ['abc', 'def']],
		['abc{0,2}def', ['def']],
		['ab(cd)?efg', ['efg']],
		['xyz.abc', ['xyz', 'abc']],
		// Groups are not looked into; a class is one non-literal position.
		['(?:evil)plugin[0-9]', ['plugin']],
		['(?P<org>bad)/repo', ['/repo']],
		// No certain literal: alternation, inline flags, short runs, escapes we do not decode.
		['evil|wicked', undefined],
		['(?i)evil-plugin', undefined],
		['abc(?i:x)def', undefined],
		['ab.cd', undefined],
		['gith\\x75b\\.com', undefined],
		['\\Qgithub.com\\E', undefined],
		['[[:alpha:]]ool', undefined],
		['(a)\\1', undefined],
		// RE2 reads `{,3}` as text; skipping it (and the `z` before it) is still safe.
		['xyz{,3}abc', ['abc']],
	];
	for (const [pattern, expected] of cases) {
		it(`finds ${JSON.stringify(expected)} in ${pattern}`, () => {
			const found = requiredLiterals(pattern);
			assert.deepEqual(found?.slice().sort(), expected?.slice().sort());
		});
	}

	it('keeps a class closed by its first `]` member apart from the run', () => {
		assert.deepEqual(requiredLiterals('[]a]bcd'), ['bcd']);
		assert.deepEqual(requiredLiterals('[^]]xyz'), ['xyz']);
	});

	it('keeps at most four literals, longest first', () => {
		assert.deepEqual(requiredLiterals('aaa.bbbb.ccccc.dddddd.eeeeeee'), [
			'eeeeeee',
			'dddddd',
			'ccccc',
			'bbbb',
		]);
	});

	it('only claims literals that every RE2 match contains', () => {
		const unit = fc.constantFrom(
			'a',
			'b',
			'c',
			'.',
			'/',
			'-',
			':',
			'1',
			',',
			'\\',
			'(',
			')',
			'[',
			']',
			'{',
			'}',
			'?',
			'*',
			'+',
			'|',
			'^',
			'$',
			'i',
			'P',
			'<',
			'>',
			'=',
			'd',
			'x',
			'Q',
			'E',
			'A',
			'z',
		);
		const textUnit = fc.constantFrom(
			'a',
			'b',
			'c',
			'.',
			'/',
			'-',
			':',
			'1',
			',',
			'{',
			'}',
			']',
			'x',
			'd',
		);
		let matched = 0;
		let claimed = 0;
		let matchedWithLiteral = 0;
		fc.assert(
			fc.property(
				fc.string({ unit, minLength: 1, maxLength: 14 }),
				fc.array(fc.string({ unit: textUnit, maxLength: 6 }), { maxLength: 4 }),
				(pattern, pieces) => {
					let compiled: ReturnType<typeof compilePythonPattern>;
					try {
						compiled = compilePythonPattern(pattern);
					} catch {
						return;
					}
					const literals = requiredLiterals(pattern) ?? [];
					if (literals.length > 0) claimed++;
					// Texts built from the pattern's own pieces match it far more often than random ones.
					const texts = [
						pieces.join(''),
						pattern,
						pattern.replaceAll('\\', ''),
						pieces.join(pattern),
					];
					for (const text of texts) {
						if (!compiled.search(text)) continue;
						matched++;
						if (literals.length > 0) matchedWithLiteral++;
						for (const literal of literals) {
							assert.ok(text.includes(literal), `${pattern} matched ${text} without ${literal}`);
						}
					}
				},
			),
			{ numRuns: 1500 },
		);
		// The property must have had something to bite on.
		assert.ok(matched > 100, `only ${matched} matches`);
		assert.ok(claimed > 50, `only ${claimed} patterns with literals`);
		assert.ok(matchedWithLiteral > 50, `only ${matchedWithLiteral} matches with literals`);
	});
});

/**
 * The compiled matcher must give exactly the naive matcher's verdict (blocked or not, which
 * entry, reason, severity, keys) on any registry and plugin: the index and the literal
 * prefilter are optimisations, never a change of meaning.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { compileBlacklist } from '../../src/blacklist/compile.ts';
import { naiveCheck, naiveProblems } from '../../src/blacklist/naive.ts';
import { createPatternCache } from '../../src/blacklist/pattern-cache.ts';
import { scenario } from './generators.ts';
import { CONTEXT } from './helpers.ts';

describe('compiled blacklist against the naive oracle', () => {
	it('gives the same verdict, entry, reason and problems', () => {
		// One cache for the whole run: re2-wasm never frees compiled patterns (see pattern-cache.ts).
		const patterns = createPatternCache();
		const blockedOn = { uuid: 0, url: 0, url_regex: 0, versions: 0, commit: 0 };
		let checks = 0;
		fc.assert(
			fc.property(
				scenario,
				fc.constantFrom('match' as const, 'skip' as const),
				fc.constantFrom(undefined, 'match' as const, 'skip' as const),
				([entries, plugins], unknownVersion, unknownCommit) => {
					const policy = unknownCommit === undefined ? {} : { unknownCommit };
					// The compiled side gets its own cache, so its lazy compilation is exercised too.
					const compiled = compileBlacklist(entries, {
						...CONTEXT,
						patterns: createPatternCache(),
					});
					for (const candidate of plugins) {
						const expected = naiveCheck(entries, candidate, {
							...CONTEXT,
							unknownVersion,
							...policy,
							patterns,
						});
						const actual = compiled.check(candidate, { unknownVersion, ...policy });
						assert.deepEqual(actual, expected);
						checks++;
						if (expected.blocked) for (const key of expected.matchedOn) blockedOn[key]++;
					}
					assert.deepEqual(compiled.problems, naiveProblems(entries, patterns));
				},
			),
			{ numRuns: 300 },
		);
		// The generators must produce real collisions, or the comparison proves little.
		assert.ok(checks > 300);
		for (const [key, count] of Object.entries(blockedOn)) {
			assert.ok(count >= 10, `only ${count} blocking verdicts used ${key}`);
		}
	});
});

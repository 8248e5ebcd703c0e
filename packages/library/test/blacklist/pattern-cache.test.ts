/** Pattern compilation: once per source, and a broken engine refuses instead of passing (D1). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '../../src/blacklist/compile.ts';
import { naiveCheck } from '../../src/blacklist/naive.ts';
import { createPatternCache } from '../../src/blacklist/pattern-cache.ts';
import { type CompiledPattern, compilePythonPattern } from '../../src/core/pyregex.ts';
import { CONTEXT, entries } from './helpers.ts';

/** A compiler whose engine has broken, as re2-wasm does when its heap is exhausted. */
function brokenEngine(source: string): CompiledPattern {
	throw Object.assign(new Error(`RE2 cannot compile the pattern ${source}`), {
		code: 'INVALID_REGEX',
		cause: Object.assign(new Error('abort(OOM)'), { name: 'RuntimeError' }),
	});
}

describe('pattern cache', () => {
	it('compiles each distinct source once and reports rejections', () => {
		const compiled: string[] = [];
		const cache = createPatternCache({
			compile: (source) => {
				compiled.push(source);
				return compilePythonPattern(source);
			},
		});
		const list = entries({ urlRegex: 'evil' }, { urlRegex: 'evil' }, { urlRegex: '(?=x)' });
		const blacklist = compileBlacklist(list, { ...CONTEXT, patterns: cache });
		assert.equal(blacklist.check({ url: 'https://github.com/evil/x' }).blocked, true);
		assert.equal(blacklist.problems.length, 1);
		assert.equal(compileBlacklist(list, { ...CONTEXT, patterns: cache }).problems.length, 1);
		assert.deepEqual(compiled, ['evil', '(?=x)']);
		const outcome = cache.get('(?=x)');
		assert.equal(outcome.ok, false);
	});

	it('compiles nothing for a URL no pattern literal occurs in', () => {
		const compiled: string[] = [];
		const cache = createPatternCache({
			compile: (source) => {
				compiled.push(source);
				return compilePythonPattern(source);
			},
		});
		const list = entries(
			{ urlRegex: '^https://github\\.com/badorg/' },
			{ urlRegex: 'evil-plugin$' },
		);
		const blacklist = compileBlacklist(list, { ...CONTEXT, patterns: cache });
		assert.equal(blacklist.check({ url: 'https://gitlab.com/good/plugin' }).blocked, false);
		assert.deepEqual(compiled, []);
		assert.equal(blacklist.check({ url: 'https://gitlab.com/good/evil-plugin' }).blocked, true);
		assert.deepEqual(compiled, ['evil-plugin$']);
	});

	it('refuses with BLACKLIST_ENGINE_FAILED when the engine breaks, in both matchers', () => {
		const list = entries({ urlRegex: 'evil' });
		const plugin = { url: 'https://github.com/evil/x' };
		const compiled = compileBlacklist(list, {
			...CONTEXT,
			patterns: createPatternCache({ compile: brokenEngine }),
		});
		assert.throws(() => compiled.check(plugin), { code: 'BLACKLIST_ENGINE_FAILED' });
		assert.throws(() => compiled.problems, { code: 'BLACKLIST_ENGINE_FAILED' });
		assert.throws(
			() => naiveCheck(list, plugin, { patterns: createPatternCache({ compile: brokenEngine }) }),
			{ code: 'BLACKLIST_ENGINE_FAILED' },
		);
	});

	it('treats a syntax error, an empty pattern and an over-long one as rejections', () => {
		const cache = createPatternCache();
		for (const source of ['(a)\\1', '', 'x'.repeat(5000)]) {
			const outcome = cache.get(source);
			assert.equal(outcome.ok, false, source.slice(0, 10));
		}
	});
});

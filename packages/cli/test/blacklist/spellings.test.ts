/**
 * D2 as a property: every spelling of a blacklisted repository that git fetches from the same
 * place is blocked, by a `url` entry and by a lowercase organisation `url_regex`, through both
 * matchers and through `vouch check-blacklist`; and no spelling of another repository is
 * blocked by the `url` entry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '@vouch/library/internal/blacklist/compile';
import { naiveCheck } from '@vouch/library/internal/blacklist/naive';
import { createPatternCache } from '@vouch/library/internal/blacklist/pattern-cache';
import { canonicalUrl, locationKey } from '@vouch/library/internal/core/canonical-url';
import fc from 'fast-check';
import { CONTEXT, entries } from '../../../library/test/blacklist/helpers.ts';
import { type Repository, spellingOf } from '../../../library/test/blacklist/spellings.ts';
import { writeRegistry } from '../fixture-registry.ts';
import { runVouch } from '../helpers/cli.ts';

const BLACKLISTED: Repository = { host: 'github.com', path: ['badorg', 'plugin'] };
const BY_URL = entries({ url: 'https://github.com/badorg/plugin', reason: 'malware' });
const BY_ORG = entries({ urlRegex: '//github\\.com/badorg/', reason: 'organisation' });

const OTHERS: readonly Repository[] = [
	{ host: 'github.com', path: ['badorg', 'plugin2'] },
	{ host: 'github.com', path: ['badorg', 'plugi'] },
	{ host: 'github.com', path: ['badorg2', 'plugin'] },
	{ host: 'github.com', path: ['badorg', 'plugin', 'x'] },
	{ host: 'github.com', path: ['badorg'] },
	{ host: 'gitlab.com', path: ['badorg', 'plugin'] },
	{ host: 'githubb.com', path: ['badorg', 'plugin'] },
	{ host: 'github.co', path: ['badorg', 'plugin'] },
];

const compiledByUrl = compileBlacklist(BY_URL, CONTEXT);
const compiledByOrg = compileBlacklist(BY_ORG, CONTEXT);
// One compiled pattern for every naive check: RE2 objects live in wasm memory.
const naiveOptions = { ...CONTEXT, patterns: createPatternCache() };

describe('spellings of one blacklisted repository (D2 property)', () => {
	it('all canonicalise to the same location', () => {
		const expected = locationKey(canonicalUrl('https://github.com/badorg/plugin'));
		fc.assert(
			fc.property(spellingOf(BLACKLISTED), (url) => {
				assert.equal(locationKey(canonicalUrl(url, CONTEXT)), expected, url);
			}),
			{ numRuns: 500 },
		);
	});

	it('are all blocked by the url entry and the organisation pattern, in both matchers', () => {
		fc.assert(
			fc.property(spellingOf(BLACKLISTED), (url) => {
				assert.equal(compiledByUrl.check({ url }).blocked, true, url);
				assert.equal(compiledByOrg.check({ url }).blocked, true, url);
				assert.equal(naiveCheck(BY_URL, { url }, naiveOptions).blocked, true, url);
				assert.equal(naiveCheck(BY_ORG, { url }, naiveOptions).blocked, true, url);
			}),
			{ numRuns: 500 },
		);
	});

	it('of another repository are never blocked by the url entry', () => {
		const other = fc.constantFrom(...OTHERS).chain((repository) => spellingOf(repository));
		fc.assert(
			fc.property(other, (url) => {
				assert.equal(compiledByUrl.check({ url }).blocked, false, url);
				assert.equal(naiveCheck(BY_URL, { url }, naiveOptions).blocked, false, url);
			}),
			{ numRuns: 500 },
		);
	});

	it('are blocked by vouch check-blacklist too', async () => {
		const registry = writeRegistry(`[[blacklist]]
url = "https://github.com/badorg/plugin"
reason = "malware"
blacklisted_at = "2026-02-01T00:00:00Z"
`);
		// A fixed seed: the same handful of spellings every run, through the real CLI.
		for (const url of fc.sample(spellingOf(BLACKLISTED), { numRuns: 8, seed: 20261203 })) {
			const run = await runVouch(['check-blacklist', url, '--registry', registry]);
			assert.equal(run.code, 3, `${url}\n${run.stdout}${run.stderr}`);
		}
	});
});

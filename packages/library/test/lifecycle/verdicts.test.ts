/**
 * The verdict over every address a plugin is known by (D4, D27): with no address at all the
 * UUID entries still apply, so no caller can get "not blacklisted" by naming none.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileBlacklist } from '../../src/blacklist/index.ts';
import { blacklistVerdictAt } from '../../src/lifecycle/verdicts.ts';
import { entries, UUID_A } from '../blacklist/helpers.ts';

describe('blacklistVerdictAt', () => {
	const blacklist = compileBlacklist(
		entries(
			{ uuid: UUID_A, reason: 'stolen' },
			{ url: 'https://github.com/badorg/plugin', reason: 'bad' },
		),
	);

	it('checks the UUID when no address is known', () => {
		const verdict = blacklistVerdictAt({ blacklist }, [undefined], { uuid: UUID_A });
		assert.ok(verdict.blocked);
		assert.equal(verdict.entry.index, 0);
		assert.ok(blacklistVerdictAt({ blacklist }, [], { uuid: UUID_A }).blocked);
	});

	it('blocks on any of the addresses', () => {
		const verdict = blacklistVerdictAt(
			{ blacklist },
			['https://example.org/x', undefined, 'git@github.com:BadOrg/Plugin.git'],
			{},
		);
		assert.ok(verdict.blocked);
		assert.equal(verdict.entry.index, 1);
		assert.equal(blacklistVerdictAt({ blacklist }, ['https://example.org/x'], {}).blocked, false);
	});
});

/**
 * `commit` keys and the incident fields of blacklist entries: a commit key is ANDed with the
 * others, an unknown commit counts by the caller's policy, and the verdict carries the incident
 * link and advice sanitised. Run on the compiled matcher and the naive oracle alike.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { strictestOf } from '../../src/blacklist/index.ts';
import { blockedBy, entries, MATCHERS, UUID_A, UUID_B } from './helpers.ts';

const BAD = '0123456789abcdef0123456789abcdef01234567';
const GOOD = 'fedcba9876543210fedcba9876543210fedcba98';
const BAD_256 = `${'ab'.repeat(31)}cd`;
const URL = 'https://github.com/acme/tool';

for (const matcher of MATCHERS) {
	describe(`${matcher.name} matcher: commit`, () => {
		const list = entries({ uuid: UUID_A, commit: BAD, reason: 'hijacked release' });

		it('blocks exactly the named commit, in any case, and not its neighbours', () => {
			for (const commit of [BAD, BAD.toUpperCase(), ` ${BAD} `]) {
				const verdict = matcher.check(list, { uuid: UUID_A, commit });
				assert.equal(blockedBy(verdict), 0, commit);
				assert.ok(verdict.blocked);
				assert.deepEqual(verdict.matchedOn, ['uuid', 'commit']);
			}
			assert.equal(blockedBy(matcher.check(list, { uuid: UUID_A, commit: GOOD })), undefined);
			// The commit alone is not enough: the other keys must match too (AND).
			assert.equal(blockedBy(matcher.check(list, { uuid: UUID_B, commit: BAD })), undefined);
			assert.equal(blockedBy(matcher.check(list, { url: URL, commit: BAD })), undefined);
		});

		it('does not let an abbreviated or padded-out commit stand for the full one', () => {
			// An abbreviation is not a full id: it is unknown, so it is judged by the policy.
			const short = BAD.slice(0, 12);
			assert.equal(blockedBy(matcher.check(list, { uuid: UUID_A, commit: short })), 0);
			assert.equal(
				blockedBy(matcher.check(list, { uuid: UUID_A, commit: short }, { unknownCommit: 'skip' })),
				undefined,
			);
			// One more digit is another (non-)id, never a prefix match.
			assert.equal(
				blockedBy(
					matcher.check(list, { uuid: UUID_A, commit: `${BAD}0` }, { unknownCommit: 'skip' }),
				),
				undefined,
			);
		});

		it('fails safe on an unknown commit, and skips it before the clone', () => {
			for (const commit of [undefined, '', 'HEAD']) {
				const plugin = commit === undefined ? { uuid: UUID_A } : { uuid: UUID_A, commit };
				assert.equal(blockedBy(matcher.check(list, plugin)), 0, String(commit));
				assert.equal(
					blockedBy(matcher.check(list, plugin, { unknownVersion: 'skip' })),
					undefined,
					'the pre-clone policy covers commits too',
				);
				assert.equal(
					blockedBy(
						matcher.check(list, plugin, { unknownVersion: 'skip', unknownCommit: 'match' }),
					),
					0,
				);
			}
			// A known commit is judged by the key whatever the policy says.
			assert.equal(
				blockedBy(matcher.check(list, { uuid: UUID_A, commit: BAD }, { unknownVersion: 'skip' })),
				0,
			);
		});

		it('matches SHA-256 commits, and ANDs commit with versions and url', () => {
			const both = entries(
				{ url: URL, commit: BAD_256, versions: '>=2.0.0' },
				{ uuid: UUID_B, url: URL, commit: BAD },
			);
			assert.equal(
				blockedBy(matcher.check(both, { url: URL, commit: BAD_256, version: '2.1.0' })),
				0,
			);
			assert.equal(
				blockedBy(matcher.check(both, { url: URL, commit: BAD_256, version: '1.0.0' })),
				undefined,
			);
			assert.equal(blockedBy(matcher.check(both, { url: URL, uuid: UUID_B, commit: BAD })), 1);
			assert.equal(
				blockedBy(matcher.check(both, { url: URL, uuid: UUID_B, commit: GOOD })),
				undefined,
			);
		});

		it('lets a later total ban win when the commit-scoped entry before it does not match', () => {
			const list2 = entries({ uuid: UUID_A, commit: BAD }, { uuid: UUID_A, reason: 'all of it' });
			assert.equal(blockedBy(matcher.check(list2, { uuid: UUID_A, commit: GOOD })), 1);
			assert.equal(blockedBy(matcher.check(list2, { uuid: UUID_A, commit: BAD })), 0);
		});
	});

	describe(`${matcher.name} matcher: incident fields`, () => {
		it('carries the incident link and advice, sanitised, and leaves them out when absent', () => {
			const list = entries(
				{
					uuid: UUID_A,
					severity: 'soft',
					incident: 'https://registry.example/incidents/42',
					advice: 'Rotate the tokens\u001b[31m this plugin could read.\u202e',
				},
				{ uuid: UUID_B },
			);
			const verdict = matcher.check(list, { uuid: UUID_A });
			assert.ok(verdict.blocked);
			assert.equal(verdict.severity, 'soft');
			assert.equal(verdict.incident, 'https://registry.example/incidents/42');
			assert.equal(verdict.advice, 'Rotate the tokens this plugin could read.\ufffd');
			const bare = matcher.check(list, { uuid: UUID_B });
			assert.ok(bare.blocked);
			assert.equal('incident' in bare, false);
			assert.equal('advice' in bare, false);
		});
	});
}

for (const matcher of MATCHERS) {
	describe(`${matcher.name} matcher: every matching soft entry`, () => {
		it('is carried by a soft verdict, and merged across addresses (D4)', () => {
			const list = entries(
				{ uuid: UUID_A, severity: 'soft', reason: 'first' },
				{ url: URL, severity: 'soft', reason: 'second\u001b[2J' },
				{ uuid: UUID_B, severity: 'soft', reason: 'other plugin' },
			);
			const both = matcher.check(list, { uuid: UUID_A, url: URL });
			assert.ok(both.blocked);
			assert.equal(both.entry.index, 0);
			assert.deepEqual(
				both.alsoSoft?.map((other) => [other.entry.index, other.reason]),
				[[1, 'second']],
			);
			// One address matched each: the verdict over both still carries both entries.
			const merged = strictestOf([
				matcher.check(list, { uuid: UUID_A, url: 'https://example.org/x' }),
				matcher.check(list, { url: URL }),
			]);
			assert.ok(merged.blocked);
			assert.equal(merged.entry.index, 0);
			assert.deepEqual(
				merged.alsoSoft?.map((other) => other.entry.index),
				[1],
			);
			const alone = matcher.check(list, { uuid: UUID_A });
			assert.ok(alone.blocked);
			assert.equal(alone.alsoSoft, undefined);
		});
	});
}

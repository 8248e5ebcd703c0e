/** `versions` ranges on blacklist entries (D4), with loosely written plugin versions. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { blockedBy, entries, MATCHERS, UUID_A } from './helpers.ts';

for (const matcher of MATCHERS) {
	describe(`${matcher.name} matcher: versions`, () => {
		const list = entries({ uuid: UUID_A, versions: '>=1.0.0 <2.0.0', reason: 'bad releases' });

		it('blocks inside the range and not outside it', () => {
			for (const version of ['1.0.0', 'v1.5', '1.9.9', '1', 'release-01.2', ' 1.2.3+build.5 ']) {
				assert.equal(blockedBy(matcher.check(list, { uuid: UUID_A, version })), 0, version);
			}
			for (const version of ['0.9.9', '2.0.0', 'v2', '3.1.4']) {
				assert.equal(blockedBy(matcher.check(list, { uuid: UUID_A, version })), undefined, version);
			}
		});

		it('counts pre-releases inside a range, so a pre-release tag cannot dodge it', () => {
			assert.equal(blockedBy(matcher.check(list, { uuid: UUID_A, version: '1.5.0-beta.1' })), 0);
			assert.equal(blockedBy(matcher.check(list, { uuid: UUID_A, version: '2.0.0-rc.1' })), 0);
		});

		it('fails safe on an unknown version unless told to skip (pre-clone check)', () => {
			for (const version of [undefined, 'nightly', '']) {
				const plugin = version === undefined ? { uuid: UUID_A } : { uuid: UUID_A, version };
				const verdict = matcher.check(list, plugin);
				assert.equal(blockedBy(verdict), 0, String(version));
				assert.ok(verdict.blocked);
				assert.deepEqual(verdict.matchedOn, ['uuid', 'versions']);
				assert.equal(blockedBy(matcher.check(list, plugin, { unknownVersion: 'match' })), 0);
				assert.equal(blockedBy(matcher.check(list, plugin, { unknownVersion: 'skip' })), undefined);
			}
			// A known version is judged by the range whatever the option says.
			assert.equal(
				blockedBy(
					matcher.check(list, { uuid: UUID_A, version: '1.2.0' }, { unknownVersion: 'skip' }),
				),
				0,
			);
		});

		it('treats an unusable range like an unknown version', () => {
			const broken = entries({ uuid: UUID_A, versions: 'not a range' });
			const plugin = { uuid: UUID_A, version: '1.0.0' };
			assert.equal(blockedBy(matcher.check(broken, plugin)), 0);
			assert.equal(blockedBy(matcher.check(broken, plugin, { unknownVersion: 'skip' })), undefined);
		});

		it('matches the version the ref names too: a manifest claiming 9.9.9 on tag v1.0.0 is blocked', () => {
			const below2 = entries({ uuid: UUID_A, versions: '<2.0.0', reason: 'old releases' });
			const liar = { uuid: UUID_A, version: '9.9.9', refVersion: 'v1.0.0' };
			assert.equal(blockedBy(matcher.check(below2, liar)), 0);
			assert.equal(blockedBy(matcher.check(below2, liar, { unknownVersion: 'skip' })), 0);
			// Either version in the range blocks; both outside, nothing does.
			assert.equal(
				blockedBy(matcher.check(below2, { uuid: UUID_A, version: '1.0.0', refVersion: '3.0.0' })),
				0,
			);
			assert.equal(
				blockedBy(matcher.check(below2, { uuid: UUID_A, version: '9.9.9', refVersion: '2.1.0' })),
				undefined,
			);
			// A ref that names no version leaves the manifest's to decide.
			assert.equal(
				blockedBy(matcher.check(below2, { uuid: UUID_A, version: '9.9.9', refVersion: 'stable' })),
				undefined,
			);
			// Neither readable: unknown, which blocks unless told to skip.
			const unknown = { uuid: UUID_A, version: 'nightly', refVersion: 'stable' };
			assert.equal(blockedBy(matcher.check(below2, unknown)), 0);
			assert.equal(
				blockedBy(matcher.check(below2, unknown, { unknownVersion: 'skip' })),
				undefined,
			);
			assert.equal(blockedBy(matcher.check(below2, { uuid: UUID_A, refVersion: '1.2' })), 0);
		});

		it('lets a later entry match when an earlier one is out of range', () => {
			const twoRanges = entries(
				{ uuid: UUID_A, versions: '<1.0.0', reason: 'old' },
				{ uuid: UUID_A, versions: '>=3.0.0', reason: 'new' },
			);
			const verdict = matcher.check(twoRanges, { uuid: UUID_A, version: '3.2.0' });
			assert.ok(verdict.blocked);
			assert.equal(verdict.reason, 'new');
		});
	});
}

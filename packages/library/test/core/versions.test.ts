import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import semver from 'semver';
import {
	isValidRange,
	newerTags,
	newestTag,
	parseVersioningScheme,
	pluginVersionToSemver,
	satisfiesRange,
	sortTagsNewestFirst,
	tagVersion,
} from '../../src/core/versions.ts';

const SEMVER = parseVersioningScheme('semver');
const CALVER = parseVersioningScheme('calver');
const REGEX = parseVersioningScheme('regex:v\\d+(\\.\\d+)*(-rc\\d+)?$');

describe('sortTagsNewestFirst and newestTag', () => {
	it('semver: numeric order, mixed prefixes, non-versions dropped', () => {
		const tags = ['v1.9.0', 'latest', 'v1.10.0', 'release-1.0.0', '3.0.0', 'v2.0', 'main'];
		assert.deepEqual(sortTagsNewestFirst(tags, SEMVER), [
			'3.0.0',
			'v2.0',
			'v1.10.0',
			'v1.9.0',
			'release-1.0.0',
		]);
		assert.equal(newestTag(tags, SEMVER), '3.0.0');
	});

	it('leaves pre-releases out unless asked (D14)', () => {
		const tags = ['v1.0.0', 'v1.1.0-rc1', 'v1.1.0-beta.2'];
		assert.equal(newestTag(tags, SEMVER), 'v1.0.0');
		assert.equal(newestTag(tags, SEMVER, { includePreRelease: true }), 'v1.1.0-rc1');
		assert.equal(
			newestTag(['v2.0.0-rc1', 'v2.0.0'], SEMVER, { includePreRelease: true }),
			'v2.0.0',
		);
	});

	it('orders equal versions by name and drops duplicates, whatever the input order', () => {
		const a = sortTagsNewestFirst(['v1.0.0', 'release-1.0.0', 'v1.0.0', '1.0'], SEMVER);
		const b = sortTagsNewestFirst(['1.0', 'v1.0.0', 'release-1.0.0'], SEMVER);
		assert.deepEqual(a, b);
		assert.equal(a.length, 3);
	});

	it('calver and regex schemes', () => {
		assert.equal(
			newestTag(['2025.01.15', '2025.10.01', '2025.9.30', 'v2026.01.01'], CALVER),
			'2025.10.01',
		);
		assert.deepEqual(sortTagsNewestFirst(['v9', 'v10', 'v1.10', 'v1.9', 'x1', 'v11-rc1'], REGEX), [
			'v10',
			'v9',
			'v1.10',
			'v1.9',
		]);
		assert.equal(newestTag(['v9', 'v11-rc1'], REGEX, { includePreRelease: true }), 'v11-rc1');
	});

	it('gives undefined when no tag matches', () => {
		assert.equal(newestTag([], SEMVER), undefined);
		assert.equal(newestTag(['main', 'stable'], SEMVER), undefined);
	});
});

describe('newerTags', () => {
	const tags = ['v1.0.0', 'v1.1.0', 'v1.2.0-rc1', 'v1.2.0', 'v2.0.0-beta', 'v0.9.0'];

	it('lists strictly newer releases, newest first', () => {
		assert.deepEqual(newerTags('v1.0.0', tags, SEMVER), ['v1.2.0', 'v1.1.0']);
		assert.deepEqual(newerTags('v1.2.0', tags, SEMVER), []);
		// Another spelling of the same version is not newer.
		assert.deepEqual(newerTags('release-1.2.0', tags, SEMVER), []);
	});

	it('keeps pre-releases in play when the installed tag is one, or when asked', () => {
		assert.deepEqual(newerTags('v1.2.0-rc1', tags, SEMVER), ['v2.0.0-beta', 'v1.2.0']);
		assert.deepEqual(newerTags('v1.1.0', tags, SEMVER, { includePreRelease: true }), [
			'v2.0.0-beta',
			'v1.2.0',
			'v1.2.0-rc1',
		]);
	});

	it('never moves a tag that is not a version of the scheme (spec item 56)', () => {
		assert.deepEqual(newerTags('stable', tags, SEMVER), []);
		assert.deepEqual(newerTags('main', tags, SEMVER), []);
		assert.deepEqual(newerTags('0123456789abcdef0123456789abcdef01234567', tags, SEMVER), []);
	});

	it('regex: v10 is newer than v9 (not lexicographic, unlike the reference)', () => {
		assert.deepEqual(newerTags('v9', ['v8', 'v9', 'v10', 'v11'], REGEX), ['v11', 'v10']);
	});
});

describe('pluginVersionToSemver', () => {
	it('accepts one to three numbers with a prefix and an optional pre-release', () => {
		const cases: [string, string][] = [
			['1', '1.0.0'],
			['v1.2', '1.2.0'],
			['release-2.0.3', '2.0.3'],
			['1.2.3-rc.1', '1.2.3-rc.1'],
			['1-beta', '1.0.0-beta'],
			['01.002.0003', '1.2.3'],
			['1.2.3+build.5', '1.2.3'],
			[' 2.0 ', '2.0.0'],
		];
		for (const [input, expected] of cases)
			assert.equal(pluginVersionToSemver(input), expected, input);
	});

	it('refuses what is not such a version', () => {
		for (const input of [
			'',
			'latest',
			'1.2.3.4',
			'1.2.3-',
			'1.2.3-01',
			'1..2',
			`1.${'2'.repeat(300)}`,
		]) {
			assert.equal(pluginVersionToSemver(input), undefined, input);
		}
	});

	it('always returns a valid semver string, or undefined', () => {
		fc.assert(
			fc.property(fc.string({ maxLength: 30 }), (input) => {
				const out = pluginVersionToSemver(input);
				if (out !== undefined) assert.equal(semver.valid(out), out);
			}),
			{ numRuns: 500 },
		);
	});
});

describe('isValidRange and satisfiesRange', () => {
	it('validates ranges, refusing empty and over-long ones', () => {
		assert.ok(isValidRange('<1.2.0'));
		assert.ok(isValidRange('>=2.0.0 <2.3.1 || 3.x'));
		assert.equal(isValidRange(''), false);
		assert.equal(isValidRange('   '), false);
		assert.equal(isValidRange('not a range'), false);
		assert.equal(isValidRange(`<${'1.'.repeat(200)}0`), false);
	});

	it('matches plugin versions, pre-releases inside the range included', () => {
		assert.equal(satisfiesRange('v1.1', '<1.2.0'), true);
		assert.equal(satisfiesRange('1.2.0', '<1.2.0'), false);
		assert.equal(satisfiesRange('1.1.0-rc1', '<1.2.0'), true);
		assert.equal(satisfiesRange('2.5', '>=2.0.0 <2.3.1 || 3.x'), false);
		assert.equal(satisfiesRange('3.4', '>=2.0.0 <2.3.1 || 3.x'), true);
	});

	it('gives undefined when the version or the range cannot be parsed', () => {
		assert.equal(satisfiesRange('latest', '<1.2.0'), undefined);
		assert.equal(satisfiesRange('1.0.0', 'nonsense'), undefined);
		assert.equal(satisfiesRange('1.0.0', ''), undefined);
	});
});

describe('tagVersion', () => {
	it('reads the version a tag names under the scheme, or any v1.2.3-like tag without one', () => {
		assert.equal(tagVersion('v1.2.3', SEMVER), '1.2.3');
		assert.equal(tagVersion('v1.0', SEMVER), '1.0.0');
		assert.equal(tagVersion('2024.01.15', CALVER), '2024.1.15');
		assert.equal(tagVersion('v2.1-rc1', REGEX), '2.1.0-rc1');
		assert.equal(tagVersion('v2.1', REGEX), '2.1.0');
		assert.equal(tagVersion('release-1.2.3'), '1.2.3');
		assert.equal(tagVersion('stable'), undefined);
		assert.equal(tagVersion('stable', SEMVER), undefined);
		assert.equal(tagVersion('v1.2.3', CALVER), undefined, 'not a version tag of the scheme');
	});
});

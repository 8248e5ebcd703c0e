import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import semver from 'semver';
import { isVouchError } from '../../src/core/errors.ts';
import {
	compareTags,
	isPreReleaseTag,
	isVersionTag,
	naturalCompare,
	parseVersioningScheme,
	semverOfTag,
	tagMatchesScheme,
	type VersionScheme,
} from '../../src/core/tag-schemes.ts';

const SEMVER = parseVersioningScheme('semver');
const CALVER = parseVersioningScheme('calver');
const regex = (pattern: string): VersionScheme => parseVersioningScheme(`regex:${pattern}`);

function throwsCode(fn: () => unknown, code: string): void {
	assert.throws(fn, (error: unknown) => isVouchError(error) && error.code === code);
}

describe('parseVersioningScheme', () => {
	it('reads semver, calver and regex: schemes', () => {
		assert.equal(SEMVER.kind, 'semver');
		assert.equal(CALVER.kind, 'calver');
		const scheme = regex('v\\d+');
		assert.equal(scheme.kind, 'regex');
		assert.equal(scheme.kind === 'regex' && scheme.source, 'v\\d+');
	});

	it('refuses unknown schemes', () => {
		for (const text of ['', 'SemVer', 'semver2', 'regex', 'pep440']) {
			throwsCode(() => parseVersioningScheme(text), 'INVALID_VERSION_SCHEME');
		}
	});

	it('refuses patterns RE2 cannot compile, and empty ones (D3)', () => {
		for (const pattern of ['(a)\\1', '(?=v)v\\d+', '[unclosed', '']) {
			throwsCode(() => parseVersioningScheme(`regex:${pattern}`), 'INVALID_VERSION_SCHEME');
		}
	});
});

describe('tagMatchesScheme (spec item 53, 54)', () => {
	it('semver accepts releases with any non-digit prefix and two or three numbers', () => {
		for (const tag of ['1.0.0', 'v2.1.3', 'release-2.0.0', 'v1.0', 'version1.5.0', '10.20.30']) {
			assert.ok(tagMatchesScheme(tag, SEMVER), tag);
		}
	});

	it('semver rejects non-versions', () => {
		for (const tag of ['latest', 'v1', 'v1.0.0.1', '1.0.0+build', 'v1.2.3rc1', '1.0.0-', 'main']) {
			assert.equal(tagMatchesScheme(tag, SEMVER), false, tag);
			assert.equal(tagMatchesScheme(tag, SEMVER, { includePreRelease: true }), false, tag);
		}
	});

	it('semver counts pre-releases only when asked (D14)', () => {
		for (const tag of ['1.0.0-rc1', 'v2.0.0-beta.2', 'release-1.2.3-alpha']) {
			assert.equal(tagMatchesScheme(tag, SEMVER), false, tag);
			assert.equal(tagMatchesScheme(tag, SEMVER, { includePreRelease: true }), true, tag);
			assert.ok(isPreReleaseTag(tag, SEMVER), tag);
			assert.ok(isVersionTag(tag, SEMVER), tag);
		}
		// A pre-release needs three numbers, and a valid semver pre-release part.
		assert.equal(tagMatchesScheme('1.0-rc1', SEMVER, { includePreRelease: true }), false);
		assert.equal(tagMatchesScheme('1.0.0-rc..1', SEMVER, { includePreRelease: true }), false);
		assert.equal(tagMatchesScheme('1.0.0-01', SEMVER, { includePreRelease: true }), false);
	});

	it('calver accepts only zero-padded year.month.day without a prefix', () => {
		assert.ok(tagMatchesScheme('2025.01.15', CALVER));
		for (const tag of ['v2025.01.15', '2025.1.5', '2025.01.15.1', '25.01.15']) {
			assert.equal(tagMatchesScheme(tag, CALVER), false, tag);
		}
		assert.equal(isPreReleaseTag('2025.01.15', CALVER), false);
	});

	it('regex: schemes are anchored at the start only, like Python re.match', () => {
		const scheme = regex('v\\d+');
		assert.ok(tagMatchesScheme('v1x', scheme));
		assert.ok(tagMatchesScheme('v12', scheme));
		assert.equal(tagMatchesScheme('xv1', scheme), false);
		const anchored = regex('v\\d+$');
		assert.equal(tagMatchesScheme('v1x', anchored), false);
		const pythonSyntax = regex('(?P<major>\\d+)\\.(?P<minor>\\d+)\\Z');
		assert.ok(tagMatchesScheme('3.1', pythonSyntax));
		assert.equal(tagMatchesScheme('3.1.4', pythonSyntax), false);
	});

	it('regex: schemes treat pre-release words after a digit as pre-releases', () => {
		const scheme = regex('^v\\d+\\.\\d+\\.\\d+(-rc\\d+)?$');
		assert.ok(isPreReleaseTag('v1.0.0-rc1', scheme));
		assert.equal(tagMatchesScheme('v1.0.0-rc1', scheme), false);
		assert.ok(tagMatchesScheme('v1.0.0-rc1', scheme, { includePreRelease: true }));
		for (const tag of ['v1.0b2', 'v2.0.dev0', 'v3.0alpha', 'r1-beta']) {
			assert.ok(isPreReleaseTag(tag, scheme), tag);
		}
		for (const tag of ['v1.0.0', 'beta-1.0', 'v1.0-build', 'abc']) {
			assert.equal(isPreReleaseTag(tag, scheme), false, tag);
		}
	});

	it('never matches over-long or empty tags', () => {
		const long = `v${'1.'.repeat(200)}0`;
		assert.equal(isVersionTag(long, regex('v')), false);
		assert.equal(isVersionTag('', regex('.*')), false);
		assert.equal(isVersionTag(`1.0.${'9'.repeat(300)}`, SEMVER), false);
	});
});

describe('semverOfTag', () => {
	it('strips the prefix, pads two-part versions and drops leading zeros', () => {
		assert.equal(semverOfTag('release-2.0')?.version, '2.0.0');
		assert.equal(semverOfTag('v01.02.03')?.version, '1.2.3');
		assert.equal(semverOfTag('v1.2.3-rc.1')?.version, '1.2.3-rc.1');
		assert.equal(semverOfTag('latest'), undefined);
		assert.equal(semverOfTag('1.0.99999999999999999'), undefined);
	});
});

describe('compareTags', () => {
	it('semver: numeric, and a pre-release below its release', () => {
		assert.ok(compareTags('v1.10.0', 'v1.9.0', SEMVER) > 0);
		assert.ok(compareTags('1.0.0-rc1', '1.0.0', SEMVER) < 0);
		assert.ok(compareTags('1.0.0-rc1', '0.9.9', SEMVER) > 0);
		assert.equal(compareTags('v1.0', 'release-1.0.0', SEMVER), 0);
		assert.ok(compareTags('latest', '0.0.1', SEMVER) < 0);
	});

	it('calver: numeric tuple', () => {
		assert.ok(compareTags('2025.10.01', '2025.09.30', CALVER) > 0);
		assert.ok(compareTags('2024.12.31', '2025.01.01', CALVER) < 0);
		assert.equal(compareTags('2025.01.01', '2025.01.01', CALVER), 0);
	});

	it('regex: by the numbers a tag contains, never plain string order (D14)', () => {
		const scheme = regex('v');
		assert.ok(compareTags('v10', 'v9', scheme) > 0);
		assert.ok(compareTags('v1.10', 'v1.9', scheme) > 0);
		assert.ok(compareTags('v2.0.0', 'v10.0.0', scheme) < 0);
		assert.ok(compareTags('v1.0.0-rc2', 'v1.0.0', scheme) < 0);
		assert.ok(compareTags('v1.0.0-rc2', 'v1.0.0-rc10', scheme) < 0);
		assert.ok(compareTags('v1.0.0-rc10', 'v0.9', scheme) > 0);
		// Tags without numbers sort below every numbered one.
		assert.ok(compareTags('vnext', 'v0.1', scheme) < 0);
	});

	it('naturalCompare orders digit runs numerically and breaks ties by text', () => {
		assert.ok(naturalCompare('a10', 'a9') > 0);
		assert.ok(naturalCompare('a01', 'a1') < 0);
		assert.ok(naturalCompare('1a', 'a1') < 0);
		assert.equal(naturalCompare('x', 'x'), 0);
	});
});

const tagText = fc.oneof(
	fc.stringMatching(/^[a-z-]{0,3}\d{1,3}(\.\d{1,3}){0,3}(-(rc|beta|alpha)\.?\d{0,2})?$/),
	fc.string({ maxLength: 12 }),
);
const schemes: [string, VersionScheme][] = [
	['semver', SEMVER],
	['calver', CALVER],
	['regex', regex('.')],
];

describe('compareTags properties', () => {
	for (const [label, scheme] of schemes) {
		it(`${label}: is a total preorder (reflexive, antisymmetric in sign, transitive)`, () => {
			fc.assert(
				fc.property(tagText, tagText, tagText, (a, b, c) => {
					assert.equal(compareTags(a, a, scheme), 0);
					assert.equal(
						Math.sign(compareTags(a, b, scheme)) + Math.sign(compareTags(b, a, scheme)),
						0,
					);
					if (compareTags(a, b, scheme) <= 0 && compareTags(b, c, scheme) <= 0) {
						assert.ok(compareTags(a, c, scheme) <= 0);
					}
				}),
				{ numRuns: 400 },
			);
		});

		it(`${label}: sorting with it leaves every neighbouring pair in order`, () => {
			fc.assert(
				fc.property(fc.array(tagText, { maxLength: 20 }), (tags) => {
					const sorted = [...tags].sort((a, b) => compareTags(a, b, scheme));
					for (let i = 1; i < sorted.length; i++) {
						assert.ok(compareTags(sorted[i - 1] ?? '', sorted[i] ?? '', scheme) <= 0);
					}
				}),
				{ numRuns: 200 },
			);
		});
	}

	it('semver ordering agrees with semver.compare on valid versions, whatever the prefix', () => {
		const part = fc.nat({ max: 30 });
		const preRelease = fc.option(
			fc.array(
				fc.oneof(fc.constantFrom('rc', 'beta', 'alpha', 'x-y'), fc.nat({ max: 20 }).map(String)),
				{
					minLength: 1,
					maxLength: 3,
				},
			),
			{ nil: undefined },
		);
		const version = fc
			.tuple(part, part, part, preRelease)
			.map(([a, b, c, pre]) => `${a}.${b}.${c}${pre === undefined ? '' : `-${pre.join('.')}`}`);
		const prefix = fc.constantFrom('', 'v', 'release-', 'version');
		fc.assert(
			fc.property(prefix, version, prefix, version, (p, a, q, b) => {
				assert.equal(Math.sign(compareTags(p + a, q + b, SEMVER)), Math.sign(semver.compare(a, b)));
			}),
			{ numRuns: 500 },
		);
	});

	it('regex ordering puts a larger number above a smaller one at any position', () => {
		const scheme = regex('v');
		fc.assert(
			fc.property(
				fc.array(fc.nat({ max: 999 }), { minLength: 1, maxLength: 4 }),
				fc.nat(),
				(parts, pick) => {
					const i = pick % parts.length;
					const bigger = parts.map((n, j) => (j === i ? n + 1 : n));
					assert.ok(compareTags(`v${bigger.join('.')}`, `v${parts.join('.')}`, scheme) > 0);
				},
			),
			{ numRuns: 300 },
		);
	});
});

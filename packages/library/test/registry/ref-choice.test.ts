import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError, type VouchError } from '../../src/core/errors.ts';
import { parseVersioningScheme } from '../../src/core/versions.ts';
import { chooseRef, refAllowsApi } from '../../src/registry/ref-choice.ts';

const SEMVER = parseVersioningScheme('semver');
const HOST = ['3.0'];

function caught(fn: () => unknown): VouchError {
	try {
		fn();
	} catch (error) {
		if (isVouchError(error)) return error;
		throw error;
	}
	assert.fail('expected a VouchError');
}

describe('refAllowsApi', () => {
	it('treats both bounds as inclusive and missing bounds as open', () => {
		assert.ok(refAllowsApi({ name: 'main' }, HOST));
		assert.ok(refAllowsApi({ name: 'a', minApiVersion: '3.0' }, HOST));
		assert.ok(refAllowsApi({ name: 'b', maxApiVersion: '3.0' }, HOST));
		assert.ok(refAllowsApi({ name: 'c', minApiVersion: '3', maxApiVersion: '3.0.0' }, HOST));
		assert.equal(refAllowsApi({ name: 'd', minApiVersion: '3.1' }, HOST), false);
		assert.equal(refAllowsApi({ name: 'e', maxApiVersion: '2.9' }, HOST), false);
	});

	it('compares numerically, not as strings', () => {
		assert.ok(refAllowsApi({ name: 'x', minApiVersion: '4.0', maxApiVersion: '10.0' }, ['9.0']));
		assert.equal(refAllowsApi({ name: 'y', maxApiVersion: '10.0' }, ['11.0']), false);
	});

	it('is compatible when any host version is inside the bounds', () => {
		assert.ok(refAllowsApi({ name: 'z', minApiVersion: '3.1' }, ['3.0', '3.1']));
		assert.equal(refAllowsApi({ name: 'z', minApiVersion: '3.2' }, ['3.0', '3.1']), false);
	});

	it('allows nothing when a bound or every host version is unreadable', () => {
		assert.equal(refAllowsApi({ name: 'bad', minApiVersion: 'v3' }, HOST), false);
		assert.equal(refAllowsApi({ name: 'bad', maxApiVersion: 'latest' }, HOST), false);
		assert.equal(refAllowsApi({ name: 'main' }, ['three']), false);
		assert.equal(refAllowsApi({ name: 'main' }, []), false);
	});
});

describe('chooseRef: a requested ref (D15)', () => {
	it('accepts a ref the remote lists', () => {
		const choice = chooseRef({
			refs: [{ name: 'main' }],
			hostApiVersions: HOST,
			requestedRef: 'dev',
			availableRefs: ['main', 'dev', 'v1.0.0'],
		});
		assert.deepEqual([choice.ref, choice.kind], ['dev', 'ref']);
	});

	it('marks a requested version tag as a tag', () => {
		const fromTags = chooseRef({
			refs: [{ name: 'main' }],
			hostApiVersions: HOST,
			tags: [{ name: 'v1.0.0' }],
			requestedRef: 'v1.0.0',
		});
		assert.equal(fromTags.kind, 'tag');
		const fromScheme = chooseRef({
			refs: [{ name: 'main' }],
			hostApiVersions: HOST,
			scheme: SEMVER,
			requestedRef: 'v2.0.0',
			availableRefs: ['main', 'v2.0.0'],
		});
		assert.equal(fromScheme.kind, 'tag');
	});

	it('never falls back: a missing ref is REF_NOT_FOUND with what exists', () => {
		const error = caught(() =>
			chooseRef({
				refs: [{ name: 'main' }, { name: 'stable' }],
				hostApiVersions: HOST,
				tags: [{ name: 'v1.0.0' }],
				requestedRef: 'nope',
			}),
		);
		assert.equal(error.code, 'REF_NOT_FOUND');
		assert.deepEqual(error.details?.available, ['main', 'stable', 'v1.0.0']);
	});

	it('checks the remote listing when there is one, even for a registry ref name', () => {
		const error = caught(() =>
			chooseRef({
				refs: [{ name: 'main' }, { name: 'gone' }],
				hostApiVersions: HOST,
				requestedRef: 'gone',
				availableRefs: ['main'],
			}),
		);
		assert.equal(error.code, 'REF_NOT_FOUND');
	});

	it('sanitises ref names in the message', () => {
		const error = caught(() =>
			chooseRef({
				refs: [{ name: 'ma\u001b[31min' }],
				hostApiVersions: HOST,
				requestedRef: 'x\u001b]0;title\u0007',
			}),
		);
		assert.equal(error.message.includes('\u001b'), false);
		assert.equal(error.message.includes('\u0007'), false);
	});
});

describe('chooseRef: automatic choice (D15)', () => {
	const refs = [
		{ name: 'api-2', maxApiVersion: '2.9' },
		{ name: 'main', minApiVersion: '3.0' },
		{ name: 'next', minApiVersion: '3.0' },
	];

	it('picks the newest version tag whose manifest api intersects the host', () => {
		const choice = chooseRef({
			refs,
			hostApiVersions: HOST,
			scheme: SEMVER,
			tags: [
				{ name: 'v1.0.0', api: ['3.0'] },
				{ name: 'v2.0.0', api: ['3.1'] },
				{ name: 'v1.5.0', api: ['2.0', '3'] },
				{ name: 'latest', api: ['3.0'] },
			],
		});
		assert.deepEqual([choice.ref, choice.kind], ['v1.5.0', 'tag']);
	});

	it('skips pre-releases unless asked', () => {
		const tags = [
			{ name: 'v1.0.0', api: ['3.0'] },
			{ name: 'v1.1.0-rc1', api: ['3.0'] },
		];
		assert.equal(chooseRef({ refs, hostApiVersions: HOST, scheme: SEMVER, tags }).ref, 'v1.0.0');
		assert.equal(
			chooseRef({ refs, hostApiVersions: HOST, scheme: SEMVER, tags, includePreRelease: true }).ref,
			'v1.1.0-rc1',
		);
	});

	it('trusts tags of unknown api only when no tag has api data', () => {
		const unknownOnly = chooseRef({
			refs,
			hostApiVersions: HOST,
			scheme: SEMVER,
			tags: [{ name: 'v1.0.0' }, { name: 'v2.0.0' }],
		});
		assert.equal(unknownOnly.ref, 'v2.0.0');
		const mixed = chooseRef({
			refs,
			hostApiVersions: HOST,
			scheme: SEMVER,
			tags: [{ name: 'v1.0.0', api: ['3.0'] }, { name: 'v2.0.0' }],
		});
		assert.equal(mixed.ref, 'v1.0.0');
	});

	it('falls to the first compatible ref when no tag fits, or there is no scheme', () => {
		const noTagFits = chooseRef({
			refs,
			hostApiVersions: HOST,
			scheme: SEMVER,
			tags: [{ name: 'v9.0.0', api: ['4.0'] }],
		});
		assert.deepEqual([noTagFits.ref, noTagFits.kind], ['main', 'ref']);
		const noScheme = chooseRef({ refs, hostApiVersions: HOST, tags: [{ name: 'v1.0.0' }] });
		assert.equal(noScheme.ref, 'main');
	});

	it('stops with NO_COMPATIBLE_REF listing refs and tags, never the first ref', () => {
		const error = caught(() =>
			chooseRef({
				refs: [
					{ name: 'old', maxApiVersion: '2.0' },
					{ name: 'future', minApiVersion: '4.0' },
				],
				hostApiVersions: HOST,
				scheme: SEMVER,
				tags: [{ name: 'v1.0.0', api: ['2.0'] }],
			}),
		);
		assert.equal(error.code, 'NO_COMPATIBLE_REF');
		assert.deepEqual(error.details?.refs, [
			{ name: 'old', maxApiVersion: '2.0' },
			{ name: 'future', minApiVersion: '4.0' },
		]);
		assert.deepEqual(error.details?.tags, [{ name: 'v1.0.0', api: ['2.0'] }]);
	});

	it('bounds the lists in the error', () => {
		const many = Array.from({ length: 500 }, (_, i) => ({ name: `r${i}`, minApiVersion: '9.0' }));
		const error = caught(() => chooseRef({ refs: many, hostApiVersions: HOST }));
		assert.equal(error.code, 'NO_COMPATIBLE_REF');
		const listed = error.details?.refs;
		assert.ok(Array.isArray(listed) && listed.length > 0 && listed.length <= 50);
	});
});

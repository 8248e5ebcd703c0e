/** Which refs install tries, in order (D14, D15; spec items 55, 57). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { refCandidates } from '../../src/lifecycle/checkout-choice.ts';
import type { RemoteListing } from '../../src/lifecycle/ports.ts';
import { indexOf, pluginEntry, UUID_A } from '../registry/helpers.ts';

const C = (n: number) => n.toString(16).padStart(40, '0');

const listing: RemoteListing = {
	head: { target: 'refs/heads/main', commit: C(1) },
	branches: new Map([
		['main', C(1)],
		['api-2', C(2)],
	]),
	tags: new Map([
		['v1.0.0', C(3)],
		['v1.10.0', C(4)],
		['v1.9.0', C(5)],
		['v2.0.0-rc1', C(6)],
		['latest', C(7)],
	]),
};

function entry(overrides: Record<string, unknown> = {}) {
	const plugin = indexOf([pluginEntry('p', UUID_A, overrides)]).byId('p');
	assert.ok(plugin);
	return plugin;
}

const base = { listing, hostApiVersions: ['3.0'], includePreRelease: false };

describe('refCandidates', () => {
	it('tries the newest version tags first, in semver order, then the registry ref', () => {
		const plugin = entry({
			versioning_scheme: 'semver',
			refs: [{ name: 'api-2', max_api_version: '2.0' }, { name: 'main' }],
		});
		const candidates = refCandidates({ ...base, entry: plugin });
		assert.deepEqual(
			candidates.map((c) => [c.ref, c.refType]),
			[
				['v1.10.0', 'tag'],
				['v1.9.0', 'tag'],
				['v1.0.0', 'tag'],
				['main', 'branch'],
			],
		);
	});

	it('includes pre-releases only when asked', () => {
		const plugin = entry({ versioning_scheme: 'semver' });
		const candidates = refCandidates({ ...base, entry: plugin, includePreRelease: true });
		assert.equal(candidates[0]?.ref, 'v2.0.0-rc1');
	});

	it('uses the default branch for a plugin the registry does not describe', () => {
		assert.deepEqual(refCandidates(base), [
			{ ref: 'main', refType: 'branch', why: 'default branch' },
		]);
	});

	it('takes a requested branch, tag or full commit id, typed', () => {
		assert.equal(refCandidates({ ...base, requestedRef: 'api-2' })[0]?.refType, 'branch');
		assert.equal(refCandidates({ ...base, requestedRef: 'latest' })[0]?.refType, 'tag');
		const pin = refCandidates({ ...base, requestedRef: C(99).toUpperCase() })[0];
		assert.deepEqual(pin, { ref: C(99), refType: 'commit', why: 'requested commit' });
	});

	it('never falls back from a requested ref that does not exist, and lists what does', () => {
		assert.throws(
			() => refCandidates({ ...base, requestedRef: 'v9' }),
			(error: unknown) =>
				isVouchError(error) &&
				error.code === 'REF_NOT_FOUND' &&
				/main/.test(error.message) &&
				/v1\.10\.0/.test(error.message),
		);
	});

	it('offers only reviewed releases of an official plugin, newest first (D19b)', () => {
		const plugin = entry({
			trust_level: 'official',
			versioning_scheme: 'semver',
			releases: [
				{ ref: 'v1.0.0', commit: C(3), tree: `sha256:${'a'.repeat(64)}` },
				{ ref: 'v1.9.0', commit: C(5), tree: `sha256:${'b'.repeat(64)}` },
			],
		});
		assert.deepEqual(
			refCandidates({ ...base, entry: plugin }).map((c) => c.ref),
			['v1.9.0', 'v1.0.0'],
		);
	});

	it('offers nothing when no registry ref allows the host API and no tag exists', () => {
		const plugin = entry({ refs: [{ name: 'main', max_api_version: '2.0' }] });
		assert.deepEqual(refCandidates({ ...base, entry: plugin }), []);
	});
});

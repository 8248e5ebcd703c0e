/** D14 and spec item 56: how each kind of installed ref moves, or does not. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { parseVersioningScheme } from '../../src/core/tag-schemes.ts';
import type { RemoteListing } from '../../src/lifecycle/ports.ts';
import { planUpdate } from '../../src/lifecycle/update-plan.ts';

const C = (n: number) => n.toString(16).padStart(40, '0');
const semver = parseVersioningScheme('semver');

const listing: RemoteListing = {
	head: { target: 'refs/heads/main', commit: C(1) },
	branches: new Map([
		['main', C(1)],
		['dev', C(2)],
	]),
	tags: new Map([
		['v1.0.0', C(3)],
		['v1.2.0', C(4)],
		['v1.10.0', C(5)],
		['v2.0.0-beta.1', C(6)],
		['v2.0.0-beta.2', C(7)],
		['stable', C(8)],
	]),
};

const plan = (
	installed: Parameters<typeof planUpdate>[0]['installed'],
	includePreRelease = false,
) => planUpdate({ installed, listing, scheme: semver, includePreRelease });

describe('planUpdate', () => {
	it('moves a version tag to the newest newer release, numerically', () => {
		const result = plan({ ref: 'v1.2.0', refType: 'tag', commit: C(4) });
		assert.equal(result.kind, 'update');
		assert.equal(result.kind === 'update' && result.ref, 'v1.10.0');
		assert.equal(result.kind === 'update' && result.commit, C(5));
	});

	it('reaches pre-releases only with --pre or from a pre-release', () => {
		assert.equal(plan({ ref: 'v1.10.0', refType: 'tag' }).kind, 'up-to-date');
		const pre = plan({ ref: 'v1.10.0', refType: 'tag' }, true);
		assert.equal(pre.kind === 'update' && pre.ref, 'v2.0.0-beta.2');
		const fromBeta = plan({ ref: 'v2.0.0-beta.1', refType: 'tag' });
		assert.equal(fromBeta.kind === 'update' && fromBeta.ref, 'v2.0.0-beta.2');
	});

	it('never moves a tag that is not a version, nor any tag without a scheme', () => {
		assert.equal(plan({ ref: 'stable', refType: 'tag' }).kind, 'up-to-date');
		const noScheme = planUpdate({
			installed: { ref: 'v1.0.0', refType: 'tag' },
			listing,
			scheme: undefined,
			includePreRelease: false,
		});
		assert.equal(noScheme.kind, 'up-to-date');
	});

	it('never moves a commit pin, even when the branch moved', () => {
		assert.equal(plan({ ref: C(9), refType: 'commit', commit: C(9) }).kind, 'pinned');
	});

	it('follows a branch’s own tip only', () => {
		assert.equal(plan({ ref: 'main', refType: 'branch', commit: C(1) }).kind, 'up-to-date');
		const dev = plan({ ref: 'dev', refType: 'branch', commit: C(1) });
		assert.deepEqual(dev.kind === 'update' && [dev.ref, dev.commit], ['dev', C(2)]);
	});

	it('fails when the installed branch is gone upstream', () => {
		assert.throws(
			() => plan({ ref: 'feature', refType: 'branch', commit: C(1) }),
			(error: unknown) => isVouchError(error) && error.code === 'SOURCE_NOT_FOUND',
		);
	});

	it('re-reads local directories in place', () => {
		assert.equal(plan({ refType: 'local' }).kind, 'reload');
	});
});

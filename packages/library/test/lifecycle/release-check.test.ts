/** `checkRelease` (D19b) on its own: which plugins pins apply to, and each way a release fails them. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { checkRelease } from '../../src/lifecycle/release-check.ts';
import { buildRegistryIndex } from '../../src/registry/index.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';
import { releaseStatusOf } from '../../src/registry/release-policy.ts';
import { resolveTrust } from '../../src/registry/trust.ts';
import { pluginEntry, registryJson, UUID_A } from '../registry/helpers.ts';

const COMMIT = 'a'.repeat(40);
const TREE = `sha256:${'b'.repeat(64)}`;

function trustFor(overrides: Record<string, unknown>) {
	const entry = pluginEntry('alpha', UUID_A, overrides);
	const registry = parseRegistryText(registryJson([entry]), { label: 'test' });
	const index = buildRegistryIndex(registry);
	return resolveTrust(index, { url: String(entry.git_url), uuid: UUID_A });
}

function refusal(run: () => unknown): string {
	try {
		run();
	} catch (error) {
		assert.ok(isVouchError(error));
		assert.equal(error.code, 'PIN_MISMATCH');
		assert.equal(error.exitCode, 3);
		return error.message;
	}
	assert.fail('expected a refusal');
}

describe('checkRelease', () => {
	const pinned = { releases: [{ ref: 'v1.0.0', commit: COMMIT, tree: TREE }] };

	it('verifies a commit and tree matching a signed pin', () => {
		const trust = trustFor({ trust_level: 'official', ...pinned });
		assert.deepEqual(checkRelease({ trust, signedRegistry: true, commit: COMMIT, tree: TREE }), {
			state: 'verified',
			ref: 'v1.0.0',
		});
		assert.equal(
			checkRelease({ trust, signedRegistry: true, commit: COMMIT.toUpperCase(), tree: TREE }).state,
			'verified',
			'commit ids compare without case',
		);
	});

	it('refuses another commit, the right commit with other files, and an unpinned official entry', () => {
		const trust = trustFor({ trust_level: 'official', ...pinned });
		assert.match(
			refusal(() =>
				checkRelease({ trust, signedRegistry: true, commit: 'c'.repeat(40), tree: TREE }),
			),
			/not one of its reviewed releases \(v1\.0\.0\)/,
		);
		assert.match(
			refusal(() =>
				checkRelease({
					trust,
					signedRegistry: true,
					commit: COMMIT,
					tree: `sha256:${'d'.repeat(64)}`,
				}),
			),
			/do not match the reviewed release/,
		);
		const unpinned = trustFor({ trust_level: 'official' });
		assert.match(
			refusal(() =>
				checkRelease({ trust: unpinned, signedRegistry: true, commit: COMMIT, tree: TREE }),
			),
			/no reviewed releases in the signed registry/,
		);
	});

	it('marks an unsigned registry as unverified, and still refuses a mismatch it can see', () => {
		const unpinned = trustFor({ trust_level: 'official' });
		assert.deepEqual(
			checkRelease({ trust: unpinned, signedRegistry: false, commit: COMMIT, tree: TREE }),
			{ state: 'unsigned-registry' },
		);
		const trust = trustFor({ trust_level: 'official', ...pinned });
		assert.deepEqual(checkRelease({ trust, signedRegistry: false, commit: COMMIT, tree: TREE }), {
			state: 'unsigned-registry',
		});
		refusal(() =>
			checkRelease({ trust, signedRegistry: false, commit: 'c'.repeat(40), tree: TREE }),
		);
	});

	it('holds trusted plugins to pins only when they have some, and never community ones', () => {
		const other = { signedRegistry: true, commit: 'c'.repeat(40), tree: TREE };
		assert.equal(
			checkRelease({ trust: trustFor({ trust_level: 'trusted' }), ...other }).state,
			'not-required',
		);
		refusal(() =>
			checkRelease({ trust: trustFor({ trust_level: 'trusted', ...pinned }), ...other }),
		);
		assert.equal(
			checkRelease({ trust: trustFor({ trust_level: 'community', ...pinned }), ...other }).state,
			'not-required',
		);
		const unregistered = resolveTrustless();
		assert.equal(checkRelease({ trust: unregistered, ...other }).state, 'not-required');
	});

	it('describes what listings show', () => {
		const entry = (overrides: Record<string, unknown>) =>
			parseRegistryText(registryJson([pluginEntry('alpha', UUID_A, overrides)]), { label: 't' })
				.plugins[0] as Parameters<typeof releaseStatusOf>[0];
		assert.equal(releaseStatusOf(entry({ trust_level: 'official' }), false), 'unsigned-registry');
		assert.equal(
			releaseStatusOf(entry({ trust_level: 'official', ...pinned }), true),
			'signed-pins',
		);
		assert.equal(releaseStatusOf(entry({ trust_level: 'trusted' }), true), 'not-required');
	});
});

function resolveTrustless() {
	const index = buildRegistryIndex(parseRegistryText(registryJson([]), { label: 'empty' }));
	return resolveTrust(index, { url: 'https://example.org/someone/plugin', uuid: UUID_A });
}

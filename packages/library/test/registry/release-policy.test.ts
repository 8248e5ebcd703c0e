/**
 * D19b, "official needs a pin", in its one module: each trust level with and without pins,
 * signed and unsigned registries, and the callers that used to keep their own copy (the ref
 * choice, the release check, lint) giving the same answer for every entry.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { reviewedReleaseRefs } from '../../src/lifecycle/checkout-choice.ts';
import { checkRelease } from '../../src/lifecycle/release-check.ts';
import { buildRegistryIndex } from '../../src/registry/index.ts';
import { lintRegistry } from '../../src/registry/lint.ts';
import type { RegistryPlugin, TrustLevel } from '../../src/registry/model.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';
import {
	isUnpinnedOfficial,
	releasePolicy,
	releaseStatusOf,
} from '../../src/registry/release-policy.ts';
import { resolveTrust } from '../../src/registry/trust.ts';
import { pluginEntry, registryJson, UUID_A } from './helpers.ts';

const COMMIT = 'a'.repeat(40);
const OTHER_COMMIT = 'c'.repeat(40);
const TREE = `sha256:${'b'.repeat(64)}`;
const PINS = [{ ref: 'v1.0.0', commit: COMMIT, tree: TREE }];
const LEVELS = ['official', 'trusted', 'community'] as const;

function entryWith(level: string, pinned: boolean): Record<string, unknown> {
	return pluginEntry('alpha', UUID_A, {
		trust_level: level,
		...(pinned ? { releases: PINS } : {}),
	});
}

function loaded(level: string, pinned: boolean) {
	const entry = entryWith(level, pinned);
	const registry = parseRegistryText(registryJson([entry]), { label: 'test' });
	const trust = resolveTrust(buildRegistryIndex(registry), {
		url: String(entry.git_url),
		uuid: UUID_A,
	});
	return { registry, trust, plugin: trust.plugin as RegistryPlugin };
}

describe('releasePolicy (D19b)', () => {
	it('holds official plugins to their pins, and marks an official entry without any', () => {
		assert.deepEqual(releasePolicy('official', { releases: PINS }), { kind: 'pinned', pins: PINS });
		assert.deepEqual(releasePolicy('official', { releases: [] }), { kind: 'unpinned-official' });
	});

	it('holds trusted plugins to pins only when they have some', () => {
		assert.deepEqual(releasePolicy('trusted', { releases: PINS }), { kind: 'pinned', pins: PINS });
		assert.deepEqual(releasePolicy('trusted', { releases: [] }), { kind: 'free' });
	});

	it('leaves community and unregistered plugins free, pins or not', () => {
		for (const level of ['community', 'unregistered'] as TrustLevel[]) {
			assert.deepEqual(releasePolicy(level, { releases: PINS }), { kind: 'free' });
			assert.deepEqual(releasePolicy(level, { releases: [] }), { kind: 'free' });
		}
		assert.deepEqual(releasePolicy('official', undefined), { kind: 'free' });
	});

	it('says what a listing shows for signed and unsigned registries', () => {
		const at = (level: TrustLevel, pinned: boolean, signed: boolean) =>
			releaseStatusOf({ trustLevel: level, releases: pinned ? PINS : [] }, signed);
		assert.equal(at('official', true, true), 'signed-pins');
		assert.equal(at('official', true, false), 'unsigned-registry');
		assert.equal(at('official', false, false), 'unsigned-registry');
		assert.equal(at('trusted', true, true), 'signed-pins');
		assert.equal(at('trusted', false, true), 'not-required');
		assert.equal(at('community', true, true), 'not-required');
	});
});

describe('every caller gives the same answer', () => {
	for (const level of LEVELS) {
		for (const pinned of [true, false]) {
			it(`${level} ${pinned ? 'with' : 'without'} pins`, () => {
				const { registry, trust, plugin } = loaded(level, pinned);
				const policy = releasePolicy(trust.level, plugin);
				// The ref choice is held to the pins exactly when the release check is.
				const refs = reviewedReleaseRefs(plugin);
				assert.equal(refs !== undefined, policy.kind === 'pinned');
				if (refs !== undefined) assert.deepEqual(refs, ['v1.0.0']);
				for (const signedRegistry of [true, false]) {
					let refused = false;
					try {
						checkRelease({ trust, signedRegistry, commit: OTHER_COMMIT, tree: TREE });
					} catch (error) {
						assert.ok(isVouchError(error) && error.code === 'PIN_MISMATCH');
						refused = true;
					}
					// A commit no pin names is refused wherever the policy pins, signed or not,
					// and for an unpinned official entry of a signed registry.
					const expected =
						policy.kind === 'pinned' || (policy.kind === 'unpinned-official' && signedRegistry);
					assert.equal(refused, expected, `signed=${signedRegistry}`);
				}
				// lint warns about exactly the entries publish would refuse.
				const warned = lintRegistry(registry).warnings.some(
					(issue) => issue.code === 'OFFICIAL_NOT_PINNED',
				);
				assert.equal(warned, isUnpinnedOfficial(plugin));
				assert.equal(warned, level === 'official' && !pinned);
			});
		}
	}
});

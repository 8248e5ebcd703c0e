/** The one version reported for an installed copy: the tag's for a tagged install (D4, D14). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { InstalledPlugin } from '../../src/lifecycle/store/index.ts';
import { reportedVersion } from '../../src/lifecycle/version-facts.ts';

function installed(source: Partial<InstalledPlugin['source']>, version?: string): InstalledPlugin {
	return {
		uuid: '4d6e8f0a-1b2c-4d3e-9f4a-5b6c7d8e9f01',
		name: 'taggy',
		directory: 'taggy_4d6e8f0a-1b2c-4d3e-9f4a-5b6c7d8e9f01',
		source: {
			kind: 'git',
			url: 'https://example.org/taggy',
			canonicalUrl: 'https://example.org/taggy',
			refType: 'branch',
			...source,
		},
		trustAtInstall: 'community',
		...(version === undefined ? {} : { version }),
		apiVersions: ['3.0'],
		capabilities: { status: 'undeclared' },
		files: {},
		treeDigest: 'sha256:0',
		state: 'active',
		installedAt: '2026-01-01T00:00:00Z',
		updatedAt: '2026-01-01T00:00:00Z',
	};
}

describe('reportedVersion', () => {
	it('is the tag version for a tagged install, even when the manifest has none', () => {
		assert.equal(reportedVersion(installed({ refType: 'tag', ref: 'v1.2.0' }), undefined), '1.2.0');
	});

	it('prefers the tag to what the manifest claims', () => {
		const plugin = installed({ refType: 'tag', ref: 'release-2.0' }, '9.9.9');
		assert.equal(reportedVersion(plugin, undefined), '2.0.0');
	});

	it("is the manifest's version on a branch or a commit", () => {
		assert.equal(
			reportedVersion(installed({ refType: 'branch', ref: 'main' }, '0.9'), undefined),
			'0.9',
		);
		assert.equal(
			reportedVersion(installed({ refType: 'commit', commit: 'a'.repeat(40) }), undefined),
			undefined,
		);
	});

	it("falls back to the manifest's version for a tag that names no version", () => {
		assert.equal(
			reportedVersion(installed({ refType: 'tag', ref: 'stable' }, '1.0'), undefined),
			'1.0',
		);
	});
});

/**
 * `buildReport` attaches what the host knows and nothing it should not: facts from the install
 * record and the registry, trust as it is now, no local paths, and no field the contract would
 * refuse (a damaged record must not stop a report about a plugin that misbehaves).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { buildReport } from '../../src/index.ts';
import type { InstalledPlugin } from '../../src/lifecycle/store/index.ts';
import { buildRegistryIndex } from '../../src/registry/index.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';
import { reportRequestSchema } from '../../src/report/report-schema.ts';

const UUID = 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d';
const COMMIT = '0123456789abcdef0123456789abcdef01234567';
const DIGEST = `sha256:${'ab'.repeat(32)}`;
const HOST = { profile: 'picard', version: 'vouch 0.1.0' };

function installed(overrides: Partial<InstalledPlugin> = {}): InstalledPlugin {
	return {
		uuid: UUID.toUpperCase(),
		name: 'Alpha',
		directory: 'alpha',
		source: {
			kind: 'git',
			url: 'https://example.org/alpha.git',
			canonicalUrl: 'https://example.org/alpha',
			ref: 'v1.2.0',
			refType: 'tag',
			commit: COMMIT,
		},
		trustAtInstall: 'official',
		version: '1.1.9',
		apiVersions: ['3.0'],
		capabilities: { status: 'undeclared' },
		files: {},
		treeDigest: DIGEST,
		state: 'active',
		installedAt: '2026-01-01T00:00:00Z',
		updatedAt: '2026-01-01T00:00:00Z',
		...overrides,
	};
}

const index = buildRegistryIndex(
	parseRegistryText(
		JSON.stringify({
			api_version: '3.0',
			plugins: [
				{
					id: 'alpha',
					uuid: UUID,
					name: 'Alpha',
					description: 'A plugin',
					git_url: 'https://example.org/alpha.git',
					versioning_scheme: 'semver',
					categories: ['metadata'],
					trust_level: 'trusted',
					authors: ['A'],
				},
			],
			blacklist: [],
		}),
		{ format: 'json', label: 'test' },
	),
);

describe('buildReport', () => {
	it('attaches the install record and the trust level now', () => {
		const request = buildReport(
			{ installed: installed(), index },
			{ kind: 'malware', details: 'x' },
			HOST,
		);
		assert.deepEqual(request.plugin, {
			id: 'alpha',
			uuid: UUID,
			url: 'https://example.org/alpha.git',
			ref: 'v1.2.0',
			commit: COMMIT,
			treeDigest: DIGEST,
			trust: 'trusted',
			version: '1.2.0',
		});
		assert.deepEqual(request.host, HOST);
		assert.ok(reportRequestSchema.safeParse(request).success);
	});

	it('without a registry, keeps the trust recorded at install', () => {
		const request = buildReport({ installed: installed() }, { kind: 'broken' }, HOST);
		assert.equal(request.plugin.trust, 'official');
		assert.equal(request.plugin.id, undefined);
		assert.equal(request.details, '');
		assert.deepEqual(request.evidence, []);
	});

	it('never sends a local path, and drops facts the contract would refuse', () => {
		const local = installed({
			source: {
				kind: 'local',
				url: '/home/someone/secret-project/alpha',
				canonicalUrl: '/home/someone/secret-project/alpha',
				refType: 'local',
			},
			treeDigest: 'sha1:not-a-digest',
			version: 'x'.repeat(500),
		});
		const request = buildReport({ installed: local }, { kind: 'other' }, HOST);
		assert.doesNotMatch(JSON.stringify(request), /secret-project/);
		assert.equal(request.plugin.treeDigest, undefined);
		assert.equal(request.plugin.version, undefined);
		assert.equal(request.plugin.uuid, UUID);
		assert.ok(reportRequestSchema.safeParse(request).success);
		const viaOrigin = buildReport(
			{ installed: { ...local, originUrl: 'https://example.org/alpha.git' } },
			{ kind: 'other' },
		);
		assert.equal(viaOrigin.plugin.url, 'https://example.org/alpha.git');
		assert.equal(viaOrigin.host, undefined);
	});

	it('reports a registered plugin that is not installed from the registry alone', () => {
		const entry = index.byId('alpha');
		const request = buildReport({ entry, index }, { kind: 'impersonation' }, HOST);
		assert.deepEqual(request.plugin, {
			id: 'alpha',
			uuid: UUID,
			url: 'https://example.org/alpha.git',
			trust: 'trusted',
		});
	});
});

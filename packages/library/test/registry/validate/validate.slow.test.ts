/**
 * `registry validate` against real local repositories: each repository check failing and
 * passing, the lint rules still applied, offline naming what it skipped, and one broken
 * repository never hiding the others.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseRegistryText } from '../../../src/registry/parse.ts';
import { NETWORK_CHECKS } from '../../../src/registry/validate/issues.ts';
import { validateRegistry } from '../../../src/registry/validate/validate.ts';
import { createPluginRepo, manifestToml } from '../../helpers/git-repos.ts';
import { pinOf } from '../../helpers/pins.ts';
import { makeTempDir } from '../../helpers/temp.ts';
import { codesOf, entry, LOCAL_REGISTRY, registryOf, validateLocal } from './helpers.ts';

function taggedRepo(uuid: string, tags: string[] = ['v1.0.0']) {
	const repo = createPluginRepo({ manifest: manifestToml({ uuid }) });
	for (const tag of tags) repo.tag(tag);
	return repo;
}

describe('registry validate: repository checks', () => {
	it('passes a plugin whose refs, manifests, tags and pins all check out', async () => {
		const uuid = randomUUID();
		const repo = taggedRepo(uuid, ['v1.0.0', 'v1.1.0']);
		const pin = await pinOf(repo, 'v1.1.0');
		const report = await validateLocal(
			registryOf([
				entry({
					id: 'good',
					uuid,
					git_url: repo.url,
					trust_level: 'official',
					versioning_scheme: 'semver',
					releases: [pin],
				}),
			]),
		);
		assert.deepEqual(report.errors, []);
		assert.deepEqual(codesOf(report.warnings), []);
		assert.equal(report.offline, false);
		assert.deepEqual(report.skippedChecks, []);
		assert.deepEqual(
			report.plugins.map((p) => [p.id, p.errors]),
			[['good', 0]],
		);
	});

	it('reports a ref that does not exist, naming plugin and ref', async () => {
		const uuid = randomUUID();
		const repo = taggedRepo(uuid);
		const report = await validateLocal(
			registryOf([
				entry({ id: 'p', uuid, git_url: repo.url, refs: [{ name: 'main' }, { name: 'stable' }] }),
			]),
		);
		assert.deepEqual(codesOf(report.errors), ['p REF_NOT_FOUND stable']);
	});

	it('reports a manifest with another UUID, an invalid one and a missing one', async () => {
		const uuid = randomUUID();
		const repo = taggedRepo(uuid);
		repo.branch('other-uuid');
		repo.switchTo('other-uuid');
		repo.commit({ 'MANIFEST.toml': manifestToml({ uuid: randomUUID() }) });
		repo.switchTo('main');
		repo.branch('broken');
		repo.switchTo('broken');
		repo.commit({ 'MANIFEST.toml': 'uuid = "not a uuid"\nname = 3\n' });
		repo.switchTo('main');
		repo.branch('no-manifest');
		repo.switchTo('no-manifest');
		repo.commit({ 'MANIFEST.toml': null });
		repo.switchTo('main');
		const refs = ['main', 'other-uuid', 'broken', 'no-manifest'].map((name) => ({ name }));
		const report = await validateLocal(
			registryOf([entry({ id: 'p', uuid, git_url: repo.url, refs })]),
		);
		assert.deepEqual(codesOf(report.errors).sort(), [
			'p MANIFEST_INVALID broken',
			'p MANIFEST_MISSING no-manifest',
			'p MANIFEST_UUID_MISMATCH other-uuid',
		]);
	});

	it('accepts a tag whose UUID the entry declares as an old one, as a warning', async () => {
		const uuid = randomUUID();
		const old = randomUUID();
		const repo = createPluginRepo({ manifest: manifestToml({ uuid: old }) });
		repo.tag('v1.0.0');
		repo.commit({ 'MANIFEST.toml': manifestToml({ uuid }) });
		repo.tag('v2.0.0');
		const report = await validateLocal(
			registryOf([
				entry({
					id: 'p',
					uuid,
					git_url: repo.url,
					versioning_scheme: 'semver',
					redirect_from_uuid: [old],
				}),
			]),
		);
		assert.deepEqual(report.errors, []);
		assert.deepEqual(codesOf(report.warnings), ['p MANIFEST_OLD_UUID v1.0.0']);
	});

	it('finds a foreign UUID in an old version tag, not only at the listed refs', async () => {
		const uuid = randomUUID();
		const repo = createPluginRepo({ manifest: manifestToml({ uuid: randomUUID() }) });
		repo.tag('v0.9.0');
		repo.commit({ 'MANIFEST.toml': manifestToml({ uuid }) });
		repo.tag('v1.0.0');
		const report = await validateLocal(
			registryOf([entry({ id: 'p', uuid, git_url: repo.url, versioning_scheme: 'semver' })]),
		);
		assert.deepEqual(codesOf(report.errors), ['p MANIFEST_UUID_MISMATCH v0.9.0']);
	});

	it('does not follow a symlinked MANIFEST.toml', async () => {
		const uuid = randomUUID();
		const repo = taggedRepo(uuid);
		const outside = join(makeTempDir(), 'elsewhere.toml');
		// A valid manifest outside the repository: following the link would accept it.
		writeFileSync(outside, manifestToml({ uuid }));
		repo.git(['rm', '-q', 'MANIFEST.toml']);
		symlinkSync(outside, join(repo.dir, 'MANIFEST.toml'));
		repo.commit({});
		const report = await validateLocal(registryOf([entry({ id: 'p', uuid, git_url: repo.url })]));
		assert.deepEqual(codesOf(report.errors), ['p MANIFEST_INVALID main']);
	});

	it('reports a versioning scheme that matches no tag, and passes a regex: one that does', async () => {
		const uuid = randomUUID();
		const repo = taggedRepo(uuid, ['release-2024.1', 'latest']);
		const report = await validateLocal(
			registryOf([
				entry({ id: 'semver', uuid, git_url: repo.url, versioning_scheme: 'semver' }),
				entry({
					id: 'calver',
					uuid: randomUUID(),
					git_url: `${repo.url}/.`,
					versioning_scheme: 'calver',
				}),
			]),
		);
		// `release-2024.1` is a semver tag to the reference's filter (a prefix, two numbers).
		assert.deepEqual(
			codesOf(report.errors).filter((c) => c.includes('SCHEME')),
			['calver NO_TAG_MATCHES_SCHEME'],
		);
		const regex = await validateLocal(
			registryOf([
				entry({ id: 'r', uuid, git_url: repo.url, versioning_scheme: 'regex:^release-\\d+' }),
			]),
		);
		assert.deepEqual(regex.errors, []);
	});

	it('reports a pin whose ref moved, whose tree differs, or whose ref is gone', async () => {
		const uuid = randomUUID();
		const repo = taggedRepo(uuid, ['v1.0.0', 'v1.1.0', 'v1.2.0']);
		const moved = await pinOf(repo, 'v1.0.0');
		const tree = await pinOf(repo, 'v1.1.0');
		const gone = await pinOf(repo, 'v1.2.0');
		repo.commit({ '__init__.py': 'print("changed after review")\n' });
		repo.git(['tag', '-f', 'v1.0.0']);
		repo.git(['tag', '-d', 'v1.2.0']);
		const report = await validateLocal(
			registryOf([
				entry({
					id: 'p',
					uuid,
					git_url: repo.url,
					trust_level: 'official',
					releases: [moved, { ...tree, tree: `sha256:${'0'.repeat(64)}` }, gone],
				}),
			]),
		);
		assert.deepEqual(codesOf(report.errors).sort(), [
			'p PIN_COMMIT_MISMATCH v1.0.0',
			'p PIN_REF_NOT_FOUND v1.2.0',
			'p PIN_TREE_MISMATCH v1.1.0',
		]);
	});

	it('warns about an official plugin without pins, and not about a pinned one', async () => {
		const uuid = randomUUID();
		const repo = taggedRepo(uuid);
		const report = await validateLocal(
			registryOf([entry({ id: 'p', uuid, git_url: repo.url, trust_level: 'official' })]),
		);
		assert.deepEqual(report.errors, []);
		assert.deepEqual(codesOf(report.warnings), ['p OFFICIAL_NOT_PINNED']);
	});

	it('turns an unreachable repository into an issue and still checks the others', async () => {
		const uuid = randomUUID();
		const repo = taggedRepo(uuid);
		const report = await validateLocal(
			registryOf([
				entry({ id: 'gone', uuid: randomUUID(), git_url: join(makeTempDir(), 'missing') }),
				entry({ id: 'here', uuid, git_url: repo.url, refs: [{ name: 'nope' }] }),
			]),
		);
		assert.deepEqual(codesOf(report.errors), [
			'gone REPOSITORY_UNREACHABLE',
			'here REF_NOT_FOUND nope',
		]);
		assert.deepEqual(
			report.plugins.map((p) => [p.id, p.errors]),
			[
				['gone', 1],
				['here', 1],
			],
		);
	});

	it('still applies every lint rule: duplicates and transports', async () => {
		const uuid = randomUUID();
		const repo = taggedRepo(uuid);
		const registry = registryOf([
			entry({ id: 'a', uuid, git_url: repo.url }),
			entry({ id: 'b', uuid, git_url: `${repo.url}.git` }),
		]);
		const local = await validateRegistry(registry, { transport: LOCAL_REGISTRY });
		assert.ok(codesOf(local.errors).includes('b DUPLICATE_UUID'));
		// Held to the published rule, local paths are refused (D11).
		const published = await validateRegistry(registry, {});
		assert.ok(codesOf(published.errors).includes('a INSECURE_GIT_URL'));
	});
});

describe('registry validate --offline', () => {
	it('runs no repository check and names every skipped one', async () => {
		const report = await validateRegistry(
			registryOf([entry({ id: 'p', uuid: randomUUID(), git_url: join(makeTempDir(), 'none') })]),
			{ transport: LOCAL_REGISTRY },
		);
		assert.equal(report.offline, true);
		assert.deepEqual(report.skippedChecks, [...NETWORK_CHECKS]);
		assert.deepEqual(report.errors, []);
		assert.deepEqual(report.plugins, []);
	});

	it('validates the real Picard registry as Picard does: no errors, no duplicates', async () => {
		// The real registry, byte for byte.
		const path = new URL('../../fixtures/registries/picard-plugins.toml', import.meta.url);
		const text = readFileSync(path, 'utf8');
		const report = await validateRegistry(parseRegistryText(text, { label: 'plugins.toml' }), {});
		assert.deepEqual(report.errors, []);
		assert.ok(!codesOf(report.warnings).some((code) => code.includes('DUPLICATE')));
	});
});

/**
 * The library surface: a host that imports only `src/index.ts` can do the whole read-only job
 * (profile, registry, trust, blacklist, manifest) on the real Picard data.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import * as vouch from '../src/index.ts';
import { makeTempDir } from './helpers/temp.ts';

const REGISTRY = new URL('./fixtures/registries/picard-plugins.toml', import.meta.url);
const MANIFEST = new URL('./fixtures/manifests/picard/replaygain2.toml', import.meta.url);

describe('the public entry point', () => {
	it('loads the real registry, resolves trust and checks the blacklist', () => {
		const profile = vouch.resolveProfile({ env: {}, cwd: '/srv', home: '/home/user' });
		assert.equal(profile.name, 'picard');
		const registry = vouch.parseRegistryText(readFileSync(REGISTRY, 'utf8'), { label: 'picard' });
		assert.equal(registry.plugins.length, 26);
		const index = vouch.buildRegistryIndex(registry);
		const decade = index.byId('decade');
		assert.ok(decade);
		const trust = vouch.resolveTrust(index, { url: `${decade.gitUrl}.git/`, uuid: decade.uuid });
		assert.equal(trust.level, decade.trustLevel);
		assert.equal(vouch.resolveTrust(index, { url: 'https://example.org/x' }).level, 'unregistered');

		const blacklist = vouch.compileBlacklist([
			{ index: 0, severity: 'hard', urlRegex: '^https://git\\.sr\\.ht/~phw/' },
		]);
		const verdict = blacklist.check({ url: decade.gitUrl });
		assert.equal(verdict.blocked, true);
		assert.equal(blacklist.check({ url: 'https://github.com/phw/x' }).blocked, false);
	});

	it('validates a real manifest and rejects bad input with a closed code', () => {
		const result = vouch.parseManifestText(readFileSync(MANIFEST, 'utf8'), 'MANIFEST.toml');
		assert.deepEqual(result.errors, []);
		assert.equal(result.manifest?.uuid, '74807b76-c451-419f-bbd4-42a78e2444a6');
		const broken = vouch.parseManifestText('name = 1', 'MANIFEST.toml');
		assert.equal(broken.manifest, undefined);
		assert.ok(broken.errors.length > 1, 'every problem is reported at once');
		assert.throws(
			() => vouch.canonicalUrl('https://'),
			(error: unknown) => vouch.isVouchError(error) && typeof error.code === 'string',
		);
		assert.equal(vouch.isValidPluginUuid(vouch.generatePluginUuid()), true);
	});

	it('exposes the signed-distribution surface: a profile TUF client and the release check', () => {
		const unsigned = vouch.resolveProfile({ env: {}, cwd: '/srv', home: '/home/user' });
		assert.equal(vouch.tufClientForProfile(unsigned), undefined, 'picard reads unsigned only');
		const client = vouch.tufClientForProfile({ ...unsigned, trustedRoot: '/srv/root.json' });
		assert.equal(typeof client?.refresh, 'function');
		assert.equal(
			vouch.treeDigestOf({}),
			'sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855',
		);
		const registry = vouch.parseRegistryText(readFileSync(REGISTRY, 'utf8'), { label: 'picard' });
		const index = vouch.buildRegistryIndex(registry);
		const official = registry.plugins.find((plugin) => plugin.trustLevel === 'official');
		assert.ok(official);
		const trust = vouch.resolveTrust(index, { url: official.gitUrl, uuid: official.uuid });
		const check = vouch.checkRelease({
			trust,
			signedRegistry: false,
			commit: 'a'.repeat(40),
			tree: vouch.treeDigestOf({}),
		});
		assert.deepEqual(check, { state: 'unsigned-registry' });
	});

	it('scans a plugin directory through the library entry point', async () => {
		const dir = makeTempDir('vouch-index-scan-');
		writeFileSync(join(dir, 'MANIFEST.toml'), '[capabilities]\nnetwork = false\n');
		writeFileSync(join(dir, '__init__.py'), 'import os\n\ndef run(x):\n    os.system("ls " + x)\n');
		const report = await vouch.scanPlugin(dir);
		assert.equal(report.reportVersion, 1);
		assert.equal(report.files.scanned, 1);
		assert.ok(report.findings.some((finding) => finding.severity === 'high'));
		const sarif = vouch.toSarif(report) as { version: string };
		assert.equal(sarif.version, '2.1.0');
	});
});

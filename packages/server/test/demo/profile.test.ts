/**
 * `writeDemoProfile`: a profile the real profile loader accepts, with every directory the CLI
 * writes inside `<dataDir>/host`, and a fresh demo host whenever the ecosystem's root changes.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { resolveProfile } from '@vouch/library/internal/core/profile';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { DEMO_TRUSTED_ROOT, writeDemoProfile } from '../../src/demo/profile.ts';

function rootFile(dir: string, text: string): string {
	const path = join(dir, `root-${text}.json`);
	writeFileSync(path, `{"signed":"${text}"}`);
	return path;
}

describe('writeDemoProfile', () => {
	it('writes a profile whose registry is the service and whose directories are its own', async () => {
		const dataDir = join(makeTempDir('vouch-demo-profile-'), 'data with space');
		const written = await writeDemoProfile(dataDir, 'http://127.0.0.1:8787', {
			rootFile: rootFile(makeTempDir('vouch-demo-root-'), 'one'),
		});
		assert.equal(written.registryUrl, 'http://127.0.0.1:8787/tuf/');
		const home = makeTempDir('vouch-demo-home-');
		const profile = resolveProfile({
			nameOrFile: written.profileFile,
			env: { HOME: home },
			cwd: home,
			home,
		});
		assert.deepEqual(profile.registryUrls, ['http://127.0.0.1:8787/tuf/']);
		assert.equal(profile.allowUnsigned, false);
		for (const dir of [profile.pluginsDir, profile.dataDir, profile.cacheDir, profile.configDir]) {
			assert.ok(dir.startsWith(join(dataDir, 'host')), dir);
		}
		assert.equal(profile.trustedRoot, join(dataDir, DEMO_TRUSTED_ROOT));
		assert.equal(readFileSync(join(dataDir, DEMO_TRUSTED_ROOT), 'utf8'), '{"signed":"one"}');
	});

	it('keeps the demo host for the same root, and starts it afresh for another', async () => {
		const dataDir = makeTempDir('vouch-demo-profile-');
		const roots = makeTempDir('vouch-demo-roots-');
		const one = rootFile(roots, 'one');
		await writeDemoProfile(dataDir, 'http://127.0.0.1:1/', { rootFile: one });
		const installed = join(dataDir, 'host', 'plugins', 'something');
		mkdirSync(installed, { recursive: true });
		await writeDemoProfile(dataDir, 'http://127.0.0.1:2/', { rootFile: one });
		assert.ok(existsSync(installed), 'same ecosystem, another port: the host is kept');
		await writeDemoProfile(dataDir, 'http://127.0.0.1:2/', { rootFile: rootFile(roots, 'two') });
		assert.equal(existsSync(installed), false, 'a new ecosystem: a new host');
		assert.equal(readFileSync(join(dataDir, DEMO_TRUSTED_ROOT), 'utf8'), '{"signed":"two"}');
	});
});

/**
 * MANIFEST.toml at each ref, through real clones of a local repository: the default branch when
 * no ref is named, every ref in order otherwise, and refusals that leave no clone behind.
 */
import assert from 'node:assert/strict';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createGit } from '../../src/git/git.ts';
import { MAX_MANIFEST_REFS, readManifestsAtRefs } from '../../src/lifecycle/registry-manifests.ts';
import { createPluginRepo, manifestToml, testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';

function deps() {
	const made: string[] = [];
	return {
		made,
		git: createGit({ env: testGitEnv() }),
		makeTempDir: async () => {
			const dir = await mkdtemp(join(tmpdir(), 'vouch-manifests-test-'));
			made.push(dir);
			return dir;
		},
		removeDir: (path: string) => rm(path, { recursive: true, force: true }),
	};
}

async function gone(paths: string[]): Promise<boolean> {
	for (const path of paths) {
		const left = await readdir(path).catch(() => undefined);
		if (left !== undefined) return false;
	}
	return true;
}

describe('readManifestsAtRefs', () => {
	it('reads the default branch when no ref is named, and each named ref in order', async () => {
		const repo = createPluginRepo({
			branch: 'trunk',
			manifest: manifestToml({ name: 'On trunk' }),
		});
		repo.tag('v1.0.0');
		repo.commit({ 'MANIFEST.toml': manifestToml({ name: 'Later' }) });
		const d = deps();
		const [head] = await readManifestsAtRefs({ url: repo.url, refs: [] }, d);
		assert.equal(head?.ref, 'trunk');
		assert.equal(head?.manifest.name, 'Later');
		const both = await readManifestsAtRefs({ url: repo.url, refs: ['v1.0.0', 'trunk'] }, d);
		assert.deepEqual(
			both.map((at) => at.manifest.name),
			['On trunk', 'Later'],
		);
		assert.ok(await gone(d.made));
	});

	it("an oversized manifest is refused by the reader's bound, and the clone removed", async () => {
		const padding = `# ${'x'.repeat(300 * 1024)}\n`;
		const repo = createPluginRepo({ manifest: manifestToml() + padding });
		const d = deps();
		await assert.rejects(readManifestsAtRefs({ url: repo.url, refs: ['main'] }, d), {
			code: 'MANIFEST_TOO_LARGE',
		});
		assert.ok(await gone(d.made));
	});

	it('too many refs are refused before any git runs', async () => {
		const refs = Array.from({ length: MAX_MANIFEST_REFS + 1 }, (_, i) => `r${i}`);
		const d = deps();
		await assert.rejects(readManifestsAtRefs({ url: join(makeTempDir(), 'none'), refs }, d), {
			code: 'NOT_SUPPORTED',
		});
		assert.deepEqual(d.made, []);
	});
});

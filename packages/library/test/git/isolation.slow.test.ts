/**
 * What a repository (or the surroundings) must not be able to make git do: run hooks, fetch
 * submodules, act on another repository, or bring in malformed objects.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { createGit } from '../../src/git/index.ts';
import { createPluginRepo, createRepo, runTestGit, testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { plainGit } from './plain-git.ts';

const scratch = makeTempDir('vouch-git-isolation-');
let counter = 0;
const dest = () => join(scratch, `clone-${counter++}`);

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		return true;
	});
}

function writeHook(dir: string, name: string, marker: string): void {
	mkdirSync(dir, { recursive: true });
	const path = join(dir, name);
	writeFileSync(path, `#!/bin/sh\ntouch '${marker}'\n`);
	chmodSync(path, 0o755);
}

describe('hooks', () => {
	it('does not run a post-checkout hook from the template directory', async () => {
		const upstream = createPluginRepo();
		const template = join(scratch, 'template');
		const marker = join(scratch, 'template-hook-ran');
		writeHook(join(template, 'hooks'), 'post-checkout', marker);
		const git = createGit({ env: testGitEnv({ GIT_TEMPLATE_DIR: template }) });
		for (const request of [{}, { ref: 'main', refType: 'branch' as const }]) {
			await git.clone({ url: upstream.url, dest: dest(), ...request });
		}
		await git.clone({
			url: upstream.url,
			dest: dest(),
			ref: upstream.commitOf(),
			refType: 'commit',
		});
		assert.equal(existsSync(marker), false);
		// Control: plain git runs that hook on clone.
		await plainGit(scratch, ['clone', '-q', upstream.url, dest()], { GIT_TEMPLATE_DIR: template });
		assert.equal(existsSync(marker), true);
	});

	it("does not run hooks shipped in the repository, even if the user's config points at them", async () => {
		const marker = join(scratch, 'repo-hook-ran');
		const upstream = createPluginRepo();
		writeHook(join(upstream.dir, '.githooks'), 'post-checkout', marker);
		upstream.commit({}, 'ship a hook');
		assert.equal(upstream.git(['ls-files', '-s', '.githooks/post-checkout']).slice(0, 6), '100755');
		const config = join(scratch, 'hooks.gitconfig');
		writeFileSync(config, '[core]\n\thooksPath = .githooks\n');
		const git = createGit({ env: testGitEnv({ GIT_CONFIG_GLOBAL: config }) });
		const dir = dest();
		const { commit } = await git.clone({ url: upstream.url, dest: dir });
		await git.checkout({ dir, commit, branch: 'other' });
		assert.equal(existsSync(marker), false);
		// Control: plain git with that config runs the repository's hook.
		await plainGit(dir, ['checkout', '-q', '-B', 'again'], { GIT_CONFIG_GLOBAL: config });
		assert.equal(existsSync(marker), true);
	});
});

describe('submodules', () => {
	it('never fetches submodules, even when the user config asks for recursion', async () => {
		const inner = createRepo({ files: { 'secret.txt': 'fetched!\n' } });
		const upstream = createPluginRepo();
		runTestGit(upstream.dir, [
			'-c',
			'protocol.file.allow=always',
			'submodule',
			'add',
			'--quiet',
			inner.url,
			'sub',
		]);
		upstream.commit({}, 'add a submodule');
		const config = join(scratch, 'recurse.gitconfig');
		writeFileSync(config, '[submodule]\n\trecurse = true\n[protocol "file"]\n\tallow = always\n');
		const git = createGit({ env: testGitEnv({ GIT_CONFIG_GLOBAL: config }) });
		const dir = dest();
		await git.clone({ url: upstream.url, dest: dir, ref: 'main', refType: 'branch' });
		assert.ok(existsSync(join(dir, '.gitmodules')));
		assert.deepEqual(readdirSync(join(dir, 'sub')), []);
		await git.fetch({ dir, ref: 'main', refType: 'branch' });
		await git.checkout({ dir, commit: upstream.commitOf(), branch: 'main', force: true });
		assert.deepEqual(readdirSync(join(dir, 'sub')), []);
		// Control: the submodule is there to be fetched, by plain git when asked to recurse.
		const plainDir = dest();
		const plain = await plainGit(
			scratch,
			['clone', '-q', '--recurse-submodules', upstream.url, plainDir],
			{ GIT_CONFIG_GLOBAL: config },
		);
		assert.equal(plain.exitCode, 0, plain.stderr);
		assert.ok(existsSync(join(plainDir, 'sub', 'secret.txt')));
	});
});

describe('which repository git acts on', () => {
	it('never falls through to an enclosing repository', async () => {
		const outer = createRepo({ files: { 'outer.txt': 'x' } });
		const inside = join(outer.dir, 'plugins', 'not-a-clone');
		mkdirSync(inside, { recursive: true });
		writeFileSync(join(inside, 'file.txt'), 'untracked in the outer repository');
		const git = createGit({ env: testGitEnv() });
		await rejectsCode(git.isDirty(inside), 'GIT_REPO_NOT_FOUND');
		await rejectsCode(git.listTrackedFiles(inside), 'GIT_REPO_NOT_FOUND');
		await rejectsCode(git.revParse(inside, 'HEAD'), 'GIT_REPO_NOT_FOUND');
		await rejectsCode(
			git.checkout({ dir: inside, commit: outer.commitOf() }),
			'GIT_REPO_NOT_FOUND',
		);
		// Control: plain git there answers for the outer repository.
		assert.equal((await plainGit(inside, ['status', '--porcelain'])).exitCode, 0);
	});

	it("does not read the configuration of a repository at the caller's directory", async () => {
		const upstream = createPluginRepo();
		const evil = createRepo();
		// Would send every fetch of the upstream to a missing place.
		runTestGit(evil.dir, ['config', `url.${join(scratch, 'nowhere')}.insteadOf`, upstream.dir]);
		const git = createGit({ env: testGitEnv(), cwd: evil.dir });
		assert.equal((await git.lsRemote(upstream.dir)).head?.commit, upstream.commitOf());
		assert.equal(
			(await git.clone({ url: upstream.dir, dest: dest() })).commit,
			upstream.commitOf(),
		);
		// Control: plain git in that directory follows the rewrite and fails.
		assert.notEqual((await plainGit(evil.dir, ['ls-remote', upstream.dir])).exitCode, 0);
	});

	it('ignores GIT_DIR and GIT_WORK_TREE inherited from the environment', async () => {
		const upstream = createPluginRepo();
		const other = createRepo({ files: { 'other.txt': 'x' } });
		const git = createGit({
			env: testGitEnv({ GIT_DIR: join(other.dir, '.git'), GIT_WORK_TREE: other.dir }),
		});
		const dir = dest();
		const { commit } = await git.clone({ url: upstream.url, dest: dir });
		assert.equal(await git.revParse(dir, 'HEAD'), commit);
		assert.ok((await git.listTrackedFiles(dir)).includes('MANIFEST.toml'));
		assert.equal(other.commitOf(), runTestGit(other.dir, ['rev-parse', 'HEAD']));
	});
});

describe('object checks', () => {
	it('rejects a repository with a malformed commit', async () => {
		const bad = createRepo();
		const tree = runTestGit(bad.dir, ['write-tree']);
		const body = `tree ${tree}\nauthor a <a@x> 1 +99999\ncommitter a <a@x> 1 +0000\n\nbad zone\n`;
		const bodyFile = join(scratch, 'bad-commit.txt');
		writeFileSync(bodyFile, body);
		const id = runTestGit(bad.dir, ['hash-object', '-t', 'commit', '-w', '--literally', bodyFile]);
		runTestGit(bad.dir, ['update-ref', 'refs/heads/main', id]);
		const git = createGit({ env: testGitEnv() });
		const dir = dest();
		await rejectsCode(git.clone({ url: bad.url, dest: dir }), 'GIT_FAILED');
		assert.equal(existsSync(dir), false);
		// Control: plain git (no object checks) clones it.
		assert.equal((await plainGit(scratch, ['clone', '-q', bad.url, dest()])).exitCode, 0);
	});
});

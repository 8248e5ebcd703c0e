/**
 * git, given a local path, also tries `<path>.git` (and `<path>.git/.git`) when `<path>` holds
 * no repository it can open. The git module hands git the exact repository a path names, so
 * a neighbour beside it is never read in its place (D11), and a linked worktree is read with its
 * own HEAD.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { createGit, type Git } from '../../src/git/index.ts';
import { bareClone, createPluginRepo, runTestGit, testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';

const git: Git = createGit({ env: testGitEnv() });

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		return true;
	});
}

describe('the exact repository git reads for a local path', () => {
	it('never reads x.git (side by side) in place of x', async () => {
		const root = makeTempDir('vouch-git-side-');
		const neighbour = createPluginRepo({ files: { 'who.txt': 'neighbour\n' } });
		bareClone(neighbour, root, 'x.git');
		// A working copy `x` reads its own repository, whatever lies beside it.
		createPluginRepo({ dir: join(root, 'x'), files: { 'who.txt': 'x\n' } });
		const own = join(makeTempDir('vouch-git-dest-'), 'c');
		await git.clone({ url: join(root, 'x'), dest: own });
		assert.equal(readFileSync(join(own, 'who.txt'), 'utf8'), 'x\n');
		// Its origin keeps the address as given.
		assert.equal(runTestGit(own, ['remote', 'get-url', 'origin']), join(root, 'x'));

		// `y` with a damaged (empty) `.git`, and `z` missing: git itself would read `y.git`, `z.git`.
		bareClone(neighbour, root, 'y.git');
		mkdirSync(join(root, 'y', '.git'), { recursive: true });
		bareClone(neighbour, root, 'z.git');
		for (const name of ['y', 'z']) {
			const path = join(root, name);
			for (const url of [path, `file://${path}`]) {
				const dest = join(makeTempDir('vouch-git-dest-'), 'c');
				await rejectsCode(git.clone({ url, dest }), 'GIT_REPO_NOT_FOUND');
				await rejectsCode(git.lsRemote(url), 'GIT_REPO_NOT_FOUND');
			}
		}
		// A repository holding a `.git` of its own, which git would try first, is refused.
		const nested = bareClone(neighbour, root, 'nested.git');
		createPluginRepo({ dir: join(nested, '.git'), files: { 'who.txt': 'inner\n' } });
		await rejectsCode(
			git.clone({ url: nested, dest: join(makeTempDir('vouch-git-dest-'), 'c') }),
			'GIT_REPO_NOT_FOUND',
		);
	});

	it('reads a linked worktree with its own HEAD, detached or on a branch', async () => {
		const main = createPluginRepo();
		const tree = join(makeTempDir('vouch-git-tree-'), 'w');
		main.git(['worktree', 'add', '-q', '-b', 'feature', tree]);
		writeFileSync(join(tree, 'feature.py'), 'FEATURE = 1\n');
		runTestGit(tree, ['add', '-A']);
		runTestGit(tree, ['commit', '-q', '-m', 'feature']);
		const featureHead = runTestGit(tree, ['rev-parse', 'HEAD']);
		const onBranch = await git.clone({ url: tree, dest: join(makeTempDir('vouch-d-'), 'c') });
		assert.equal(onBranch.commit, featureHead);
		assert.equal(onBranch.branch, 'feature');
		assert.equal((await git.lsRemote(tree)).head?.commit, featureHead);

		runTestGit(tree, ['checkout', '-q', '--detach']);
		runTestGit(tree, ['commit', '-q', '--allow-empty', '-m', 'detached']);
		const detachedHead = runTestGit(tree, ['rev-parse', 'HEAD']);
		const detached = await git.clone({ url: tree, dest: join(makeTempDir('vouch-d-'), 'c') });
		assert.equal(detached.commit, detachedHead);
		assert.notEqual(detached.commit, main.commitOf());
	});
});

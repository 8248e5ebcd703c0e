/**
 * One fetch of every branch and tag tip, and reading one top-level file at a commit of it:
 * what `registry validate` reads manifests with. A symlink, a directory or an oversized file is
 * never read as a file, and only a name at the top of the tree is accepted.
 */
import assert from 'node:assert/strict';
import { symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { createGit, type Git } from '../../src/git/index.ts';
import { createPluginRepo, testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { inClone, isShallow } from './upstream.ts';

const git: Git = createGit({ env: testGitEnv() });
const scratch = makeTempDir('vouch-git-snapshot-');
let counter = 0;
const dest = () => join(scratch, `snapshot-${counter++}`);

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		return true;
	});
}

describe('git snapshot', () => {
	it('fetches every branch and tag tip, shallow, in one repository', async () => {
		const upstream = createPluginRepo();
		upstream.tag('v1.0.0', { message: 'release' });
		const first = upstream.commitOf();
		upstream.branch('dev');
		upstream.switchTo('dev');
		const dev = upstream.commit({ 'dev.py': 'x = 1\n' });
		upstream.switchTo('main');
		const dir = dest();
		await git.snapshot({ url: upstream.url, dest: dir });
		assert.equal(inClone(dir, ['rev-parse', 'refs/remotes/origin/dev']), dev);
		assert.equal(inClone(dir, ['rev-parse', 'refs/tags/v1.0.0^{commit}']), first);
		assert.ok(isShallow(dir));
	});

	it('refuses a destination that is not empty, and a repository that does not exist', async () => {
		const upstream = createPluginRepo();
		const dir = dest();
		await git.snapshot({ url: upstream.url, dest: dir });
		await rejectsCode(git.snapshot({ url: upstream.url, dest: dir }), 'GIT_INVALID_ARGUMENT');
		await rejectsCode(
			git.snapshot({ url: join(scratch, 'nowhere'), dest: dest() }),
			'GIT_REPO_NOT_FOUND',
		);
	});

	it('fetches only the named refs when asked, and refuses names that would widen the refspec', async () => {
		const upstream = createPluginRepo();
		upstream.tag('v1.0.0');
		upstream.tag('v2.0.0');
		upstream.branch('dev');
		const dir = dest();
		await git.snapshot({
			url: upstream.url,
			dest: dir,
			only: { branches: ['dev'], tags: ['v2.0.0'] },
		});
		assert.deepEqual(inClone(dir, ['for-each-ref', '--format=%(refname)']).split('\n').sort(), [
			'refs/remotes/origin/dev',
			'refs/tags/v2.0.0',
		]);
		for (const name of ['*', 'main:refs/heads/x', '-dev', 'a..b']) {
			await rejectsCode(
				git.snapshot({ url: upstream.url, dest: dest(), only: { branches: [name], tags: [] } }),
				'GIT_INVALID_ARGUMENT',
			);
		}
	});

	it('refuses transports git must never use', async () => {
		await rejectsCode(
			git.snapshot({ url: 'ext::sh -c touch% /tmp/pwned', dest: dest() }),
			'GIT_TRANSPORT_REFUSED',
		);
	});
});

describe('git readFileAt', () => {
	it('reads a file at a commit, and tells missing, not-a-file and too-large apart', async () => {
		const upstream = createPluginRepo({ files: { 'docs/readme.md': 'hi\n' } });
		symlinkSync('/etc/passwd', join(upstream.dir, 'LINK.toml'));
		const commit = upstream.commit({ 'BIG.toml': 'x'.repeat(2000) });
		const dir = dest();
		await git.snapshot({ url: upstream.url, dest: dir });
		const read = (path: string, maxBytes = 1000) => git.readFileAt({ dir, commit, path, maxBytes });

		const manifest = await read('MANIFEST.toml');
		assert.equal(manifest.kind, 'file');
		assert.match(manifest.kind === 'file' ? manifest.bytes.toString('utf8') : '', /^uuid = /);
		assert.deepEqual(await read('NOPE.toml'), { kind: 'missing' });
		assert.deepEqual(await read('LINK.toml'), { kind: 'not-a-file' });
		assert.deepEqual(await read('docs'), { kind: 'not-a-file' });
		assert.deepEqual(await read('BIG.toml'), { kind: 'too-large', size: 2000 });
		assert.equal((await read('BIG.toml', 2000)).kind, 'file');
	});

	it('accepts only a top-level name and a commit id', async () => {
		const upstream = createPluginRepo({ files: { 'docs/readme.md': 'hi\n' } });
		const dir = dest();
		await git.snapshot({ url: upstream.url, dest: dir });
		const commit = upstream.commitOf();
		for (const path of ['docs/readme.md', '../MANIFEST.toml', '..', '', 'a\0b']) {
			await rejectsCode(
				git.readFileAt({ dir, commit, path, maxBytes: 100 }),
				'GIT_INVALID_ARGUMENT',
			);
		}
		await rejectsCode(
			git.readFileAt({ dir, commit: '--output=/tmp/x', path: 'MANIFEST.toml', maxBytes: 100 }),
			'GIT_INVALID_ARGUMENT',
		);
	});
});

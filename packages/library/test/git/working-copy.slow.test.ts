import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, realpathSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { createGit, type Git } from '../../src/git/index.ts';
import { type GitHttpServer, startGitHttpServer } from '../helpers/git-http-server.ts';
import { createPluginRepo, testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { inClone, isShallow } from './upstream.ts';

const scratch = makeTempDir('vouch-git-wc-');
const git: Git = createGit({ env: testGitEnv(), allowInsecureTransport: true });
let counter = 0;
const dest = () => join(scratch, `clone-${counter++}`);

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		return true;
	});
}

describe('update and roll back an installed clone', () => {
	it('fetches a new branch commit, moves to it, and moves back', async () => {
		const upstream = createPluginRepo();
		const dir = dest();
		const old = (await git.clone({ url: upstream.url, dest: dir, ref: 'main', refType: 'branch' }))
			.commit;
		const next = upstream.commit({ 'lib.py': 'NEW = True\n' });

		const fetched = await git.fetch({ dir, ref: 'main', refType: 'branch' });
		assert.equal(fetched.commit, next);
		assert.equal(await git.revParse(dir, 'HEAD'), old, 'fetch leaves the working tree alone');
		assert.ok(isShallow(dir), 'a shallow clone stays shallow');

		assert.equal((await git.checkout({ dir, commit: next, branch: 'main' })).commit, next);
		assert.equal(inClone(dir, ['symbolic-ref', 'HEAD']), 'refs/heads/main');
		assert.equal(readFileSync(join(dir, 'lib.py'), 'utf8'), 'NEW = True\n');

		// Rollback after a failed validation: the old commit is still here.
		assert.equal((await git.checkout({ dir, commit: old })).commit, old);
		assert.equal(inClone(dir, ['rev-parse', '--abbrev-ref', 'HEAD']), 'HEAD', 'detached');
		assert.equal(await git.isDirty(dir), false);
	});

	it('fetches a new annotated tag at its commit', async () => {
		const upstream = createPluginRepo();
		const dir = dest();
		await git.clone({ url: upstream.url, dest: dir });
		const next = upstream.commit({ 'v2.txt': '2' });
		upstream.tag('v2.0', { message: 'two' });
		assert.equal((await git.fetch({ dir, ref: 'v2.0', refType: 'tag' })).commit, next);
		assert.equal(await git.revParse(dir, 'v2.0'), next);
		assert.equal((await git.fetch({ dir, ref: 'v2.0' })).commit, next, 'type found when absent');
	});

	it('fetches the default branch when no ref is given', async () => {
		const upstream = createPluginRepo();
		const dir = dest();
		await git.clone({ url: upstream.url, dest: dir });
		const next = upstream.commit({ 'x.txt': 'x' });
		assert.equal((await git.fetch({ dir })).commit, next);
	});

	it('fetches the whole history with depth 0', async () => {
		const upstream = createPluginRepo();
		upstream.commit({ 'x.txt': 'x' });
		const dir = dest();
		await git.clone({ url: upstream.url, dest: dir });
		assert.ok(isShallow(dir));
		await git.fetch({ dir, ref: 'main', refType: 'branch', depth: 0 });
		assert.equal(isShallow(dir), false);
	});

	it('reports missing refs as GIT_REF_NOT_FOUND', async () => {
		const upstream = createPluginRepo();
		const dir = dest();
		await git.clone({ url: upstream.url, dest: dir });
		await rejectsCode(git.fetch({ dir, ref: 'nope', refType: 'branch' }), 'GIT_REF_NOT_FOUND');
		await rejectsCode(git.fetch({ dir, ref: 'nope', refType: 'tag' }), 'GIT_REF_NOT_FOUND');
		await rejectsCode(git.fetch({ dir, ref: 'nope' }), 'GIT_REF_NOT_FOUND');
		await rejectsCode(
			git.fetch({ dir, ref: 'e'.repeat(40), refType: 'commit' }),
			'GIT_REF_NOT_FOUND',
		);
		await rejectsCode(git.revParse(dir, 'nope'), 'GIT_REF_NOT_FOUND');
		await rejectsCode(git.checkout({ dir, commit: 'e'.repeat(40) }), 'GIT_REF_NOT_FOUND');
	});
});

describe('fetching commits by id', () => {
	let refusing: GitHttpServer;
	const upstream = createPluginRepo();
	const first = upstream.commitOf();
	upstream.commit({ 'b.txt': 'b' });
	const middle = upstream.commitOf();
	upstream.commit({ 'c.txt': 'c' });

	before(async () => {
		refusing = await startGitHttpServer({ root: join(upstream.dir, '..'), shaFetch: 'refuse' });
	});
	after(() => refusing.close());

	it('uses no network for a commit already present', async () => {
		const dir = dest();
		await git.clone({ url: upstream.url, dest: dir, depth: 0 });
		// An address that cannot work: reaching for the network would fail.
		const fetched = await git.fetch({
			dir,
			ref: first,
			refType: 'commit',
			url: join(scratch, 'nowhere'),
		});
		assert.equal(fetched.commit, first);
	});

	it('falls back to a full fetch when the server refuses the id', async () => {
		const dir = dest();
		await git.clone({ url: `${refusing.url}/repo`, dest: dir });
		assert.equal((await git.fetch({ dir, ref: middle, refType: 'commit' })).commit, middle);
		assert.equal((await git.checkout({ dir, commit: middle })).commit, middle);
		assert.equal(readFileSync(join(dir, 'b.txt'), 'utf8'), 'b');
	});
});

describe('local changes', () => {
	const upstream = createPluginRepo({
		files: { '.gitignore': '__pycache__/\n', 'dir/with space.txt': 's', 'odd\nname.txt': 'n' },
	});
	let dir: string;
	before(async () => {
		dir = dest();
		await git.clone({ url: upstream.url, dest: dir });
	});

	it('sees a clean clone as clean', async () => {
		assert.equal(await git.isDirty(dir), false);
		assert.deepEqual(await git.changedFiles(dir), []);
	});

	it('sees modified, deleted, staged and untracked files, but not ignored ones', async () => {
		mkdirSync(join(dir, '__pycache__'));
		writeFileSync(join(dir, '__pycache__', 'x.pyc'), 'bytecode');
		assert.equal(await git.isDirty(dir), false, 'ignored files are not changes');

		const steps: [string, () => void, string][] = [
			['modified', () => writeFileSync(join(dir, '__init__.py'), '# changed\n'), '__init__.py'],
			['deleted', () => rmSync(join(dir, 'MANIFEST.toml')), 'MANIFEST.toml'],
			['untracked', () => writeFileSync(join(dir, 'new.py'), 'x'), 'new.py'],
			[
				'staged',
				() => {
					writeFileSync(join(dir, 'staged.py'), 'x');
					inClone(dir, ['add', 'staged.py']);
				},
				'staged.py',
			],
		];
		for (const [what, change, path] of steps) {
			change();
			assert.equal(await git.isDirty(dir), true, what);
			assert.ok((await git.changedFiles(dir)).includes(path), what);
			inClone(dir, ['reset', '-q', '--hard']);
			inClone(dir, ['clean', '-q', '-f']);
			assert.equal(await git.isDirty(dir), false, `after undoing: ${what}`);
		}
	});

	it('lists a rename by its new path', async () => {
		inClone(dir, ['mv', '__init__.py', 'renamed.py']);
		assert.deepEqual(await git.changedFiles(dir), ['renamed.py']);
		inClone(dir, ['reset', '-q', '--hard']);
	});

	it('lists tracked files, odd names included', async () => {
		const files = await git.listTrackedFiles(dir);
		assert.deepEqual(
			[...files].sort(),
			['.gitignore', 'MANIFEST.toml', '__init__.py', 'dir/with space.txt', 'odd\nname.txt'].sort(),
		);
	});

	it('refuses to overwrite local changes unless forced', async () => {
		const next = upstream.commit({ '__init__.py': '# upstream\n' });
		await git.fetch({ dir, ref: 'main', refType: 'branch' });
		writeFileSync(join(dir, '__init__.py'), '# mine\n');
		await rejectsCode(git.checkout({ dir, commit: next }), 'GIT_FAILED');
		assert.equal(readFileSync(join(dir, '__init__.py'), 'utf8'), '# mine\n');
		assert.equal((await git.checkout({ dir, commit: next, force: true })).commit, next);
		assert.equal(readFileSync(join(dir, '__init__.py'), 'utf8'), '# upstream\n');
	});
});

describe('origin address', () => {
	it('reads, changes and creates the origin, and fetches from the new one', async () => {
		const first = createPluginRepo();
		const moved = createPluginRepo({ files: { 'moved.txt': 'here now' } });
		const dir = dest();
		await git.clone({ url: first.url, dest: dir });
		assert.equal(await git.remoteUrl(dir), first.url);
		await git.setRemoteUrl(dir, moved.url);
		assert.equal(await git.remoteUrl(dir), moved.url);
		assert.equal(
			(await git.fetch({ dir, ref: 'main', refType: 'branch' })).commit,
			moved.commitOf(),
		);

		inClone(dir, ['remote', 'remove', 'origin']);
		assert.equal(await git.remoteUrl(dir), undefined);
		await rejectsCode(git.fetch({ dir }), 'GIT_FAILED');
		await git.setRemoteUrl(dir, first.url);
		assert.equal(await git.remoteUrl(dir), first.url);
	});

	it('applies the transport policy to stored and new addresses', async () => {
		const upstream = createPluginRepo();
		const dir = dest();
		await git.clone({ url: upstream.url, dest: dir });
		await rejectsCode(git.setRemoteUrl(dir, 'ext::sh -c id'), 'GIT_TRANSPORT_REFUSED');
		await rejectsCode(git.setRemoteUrl(dir, '--upload-pack=x'), 'GIT_TRANSPORT_REFUSED');
		await git.setRemoteUrl(dir, 'http://example.invalid/repo');
		const secure = createGit({ env: testGitEnv() });
		await rejectsCode(secure.fetch({ dir }), 'GIT_TRANSPORT_REFUSED');
		await rejectsCode(
			secure.setRemoteUrl(dir, 'http://example.invalid/repo'),
			'GIT_TRANSPORT_REFUSED',
		);
	});
});

describe('arguments', () => {
	it('refuses option-like revisions and malformed commits and branches', async () => {
		const upstream = createPluginRepo();
		const dir = dest();
		await git.clone({ url: upstream.url, dest: dir });
		await rejectsCode(git.revParse(dir, '--all'), 'GIT_INVALID_ARGUMENT');
		await rejectsCode(git.checkout({ dir, commit: '--orphan' }), 'GIT_INVALID_ARGUMENT');
		await rejectsCode(
			git.checkout({ dir, commit: upstream.commitOf(), branch: '-f' }),
			'GIT_INVALID_ARGUMENT',
		);
		await rejectsCode(git.fetch({ dir, ref: '--all' }), 'GIT_INVALID_ARGUMENT');
		await rejectsCode(git.isDirty(join(scratch, 'missing-dir')), 'GIT_INVALID_ARGUMENT');
		assert.equal(await git.revParse(dir, 'HEAD~0'), upstream.commitOf());
	});
});

describe('the repository a working copy reads (D11)', () => {
	it('is its own .git, or where a gitfile, a link or a linked worktree leads', async () => {
		const upstream = createPluginRepo();
		const own = dest();
		await git.clone({ url: upstream.url, dest: own, ref: 'main', refType: 'branch' });
		assert.equal(await git.repositoryDir(own), join(own, '.git'));

		const viaFile = dest();
		mkdirSync(viaFile);
		writeFileSync(join(viaFile, '.git'), `gitdir: ${join(own, '.git')}\n`);
		assert.equal(await git.repositoryDir(viaFile), join(own, '.git'));

		const viaLink = dest();
		mkdirSync(viaLink);
		symlinkSync(join(own, '.git'), join(viaLink, '.git'));
		assert.equal(realpathSync(String(await git.repositoryDir(viaLink))), join(own, '.git'));

		const worktree = dest();
		inClone(own, ['worktree', 'add', '-q', '--detach', worktree]);
		assert.equal(await git.repositoryDir(worktree), join(own, '.git'));

		const plain = dest();
		mkdirSync(plain);
		assert.equal(await git.repositoryDir(plain), undefined);
		// A path that does not exist has no repository; it is not an error to ask.
		assert.equal(await git.repositoryDir(join(scratch, 'no-such-dir')), undefined);
		const empty = dest();
		mkdirSync(join(empty, '.git'), { recursive: true });
		assert.equal(await git.repositoryDir(empty), undefined);
	});
});

import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { createGit, type Git } from '../../src/git/index.ts';
import { bareClone, createRepo, runTestGit, testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';

const git: Git = createGit({ env: testGitEnv() });
const AUTHOR = { name: 'Registry Service', email: 'registry@example.invalid' };

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		return true;
	});
}

describe('history of a working copy', () => {
	it('tells a descendant from a rewritten history, and a missing commit is no ancestor', async () => {
		const repo = createRepo({ files: { 'a.txt': 'a\n' } });
		const first = repo.commitOf();
		const second = repo.commit({ 'a.txt': 'b\n' });
		assert.equal(
			await git.isAncestor({ dir: repo.dir, ancestor: first, descendant: second }),
			true,
		);
		assert.equal(
			await git.isAncestor({ dir: repo.dir, ancestor: second, descendant: first }),
			false,
		);
		assert.equal(await git.isAncestor({ dir: repo.dir, ancestor: first, descendant: first }), true);
		const unknown = 'f'.repeat(40);
		assert.equal(
			await git.isAncestor({ dir: repo.dir, ancestor: unknown, descendant: second }),
			false,
		);
		await rejectsCode(
			git.isAncestor({ dir: repo.dir, ancestor: '--output=x', descendant: second }),
			'GIT_INVALID_ARGUMENT',
		);
	});

	it('reads a subject cut to a bounded width, without the rest of the message', async () => {
		const repo = createRepo({ files: { 'a.txt': 'a\n' } });
		const short = repo.commit({ 'a.txt': 'b\n' }, 'Trust foo\n\nbody line');
		assert.equal(await git.commitSubject(repo.dir, short), 'Trust foo');
		const long = repo.commit({ 'a.txt': 'c\n' }, `${'x'.repeat(5000)} end`);
		const subject = await git.commitSubject(repo.dir, long);
		assert.ok(subject.length <= 200, `${subject.length} columns`);
		assert.ok(subject.startsWith('xxx'));
	});
});

describe('commit and push', () => {
	it('commits the named paths, makes no commit when nothing changed, pushes fast-forward only', async () => {
		const root = makeTempDir('vouch-git-commit-');
		const source = createRepo({ files: { 'plugins.toml': 'api_version = "3.0"\n' } });
		const remote = bareClone(source, root, 'registry.git');
		const dir = join(root, 'work');
		await git.clone({ url: remote, dest: dir, ref: 'main', refType: 'branch' });

		writeFileSync(join(dir, 'plugins.toml'), 'api_version = "3.0"\n# edited\n');
		mkdirSync(join(dir, 'scan-reports', 'foo'), { recursive: true });
		writeFileSync(join(dir, 'scan-reports', 'foo', 'x.json'), '{}\n');
		writeFileSync(join(dir, 'unrelated.txt'), 'not staged\n');
		const made = await git.commit({
			dir,
			paths: ['plugins.toml', 'scan-reports'],
			message: 'Export\n\n- trust foo',
			author: AUTHOR,
		});
		assert.ok(made.commit !== undefined);
		const files = runTestGit(dir, ['show', '--name-only', '--format=', 'HEAD']).split('\n');
		assert.deepEqual(files.sort(), ['plugins.toml', 'scan-reports/foo/x.json']);
		assert.equal(
			runTestGit(dir, ['log', '-1', '--format=%an <%ae>|%s']),
			'Registry Service <registry@example.invalid>|Export',
		);
		assert.deepEqual(
			await git.commit({ dir, paths: ['plugins.toml'], message: 'again', author: AUTHOR }),
			{},
		);

		await git.push({ dir, url: remote, branch: 'main' });
		assert.equal(runTestGit(remote, ['rev-parse', 'main']), made.commit);

		// Someone else moved the branch: a push that would drop their commit is refused.
		source.commit({ 'other.txt': 'x\n' });
		runTestGit(source.dir, ['push', '-q', '--force', remote, 'main']);
		writeFileSync(join(dir, 'plugins.toml'), 'api_version = "3.0"\n# third\n');
		await git.commit({ dir, paths: ['plugins.toml'], message: 'third', author: AUTHOR });
		await assert.rejects(git.push({ dir, url: remote, branch: 'main' }), isVouchError);
		assert.notEqual(
			runTestGit(remote, ['rev-parse', 'main']),
			runTestGit(dir, ['rev-parse', 'HEAD']),
		);
	});

	it('refuses paths, identities, messages and URLs that could be read as something else', async () => {
		const repo = createRepo({ files: { 'a.txt': 'a\n' } });
		const base = { dir: repo.dir, message: 'm', author: AUTHOR };
		for (const path of ['../outside', '/etc/passwd', '-p', '.git/config', ':(glob)*', 'a//b', '']) {
			await rejectsCode(git.commit({ ...base, paths: [path] }), 'GIT_INVALID_ARGUMENT');
		}
		for (const author of [
			{ name: 'x', email: 'a>b' },
			{ name: 'evil\nname', email: 'e@x' },
			{ name: '', email: 'e@x' },
		]) {
			await rejectsCode(git.commit({ ...base, paths: ['a.txt'], author }), 'GIT_INVALID_ARGUMENT');
		}
		for (const message of ['', '\u001b[31mred', 'x'.repeat(70_000)]) {
			await rejectsCode(git.commit({ ...base, paths: ['a.txt'], message }), 'GIT_INVALID_ARGUMENT');
		}
		await rejectsCode(
			git.push({ dir: repo.dir, url: 'ext::sh -c touch% /tmp/pwned', branch: 'main' }),
			'GIT_TRANSPORT_REFUSED',
		);
		await rejectsCode(
			git.push({ dir: repo.dir, url: '--upload-pack=touch /tmp/x', branch: 'main' }),
			'GIT_TRANSPORT_REFUSED',
		);
		await rejectsCode(
			git.push({ dir: repo.dir, url: repo.dir, branch: '-f' }),
			'GIT_INVALID_ARGUMENT',
		);
		assert.equal(readFileSync(join(repo.dir, 'a.txt'), 'utf8'), 'a\n');
	});
});

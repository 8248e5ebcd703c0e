/**
 * `createGitAuthoring`: the repositories Vouch writes itself (the demo ecosystem). Real git in
 * temp dirs: commits and annotated tags that other git reads back, the same ids from the same
 * steps, no user configuration taking part, and refs and paths refused before git starts.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { createGitAuthoring } from '../../src/git/authoring.ts';
import { runTestGit } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';

const identity = { name: 'Demo Author', email: 'demo@example.invalid' };
const DATE = new Date('2026-01-02T03:04:05Z');

/** An environment whose global git config would break or sign every commit, if it were read. */
function hostileEnv(): Record<string, string> {
	const home = makeTempDir('vouch-authoring-home-');
	mkdirSync(join(home, 'hooks'));
	writeFileSync(join(home, 'hooks', 'pre-commit'), '#!/bin/sh\nexit 1\n', { mode: 0o755 });
	writeFileSync(
		join(home, '.gitconfig'),
		[
			'[commit]',
			'\tgpgSign = true',
			'[tag]',
			'\tgpgSign = true',
			'[user]',
			'\tsigningKey = no-such-key',
			'[core]',
			`\thooksPath = ${join(home, 'hooks')}`,
			'',
		].join('\n'),
	);
	return { HOME: home, PATH: process.env.PATH ?? '/usr/bin:/bin' };
}

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		return true;
	});
}

async function makeRelease(root: string, env: Record<string, string>) {
	const git = createGitAuthoring({ identity, env });
	const dir = join(root, 'work');
	await git.init(dir, 'main');
	writeFileSync(join(dir, 'MANIFEST.toml'), 'name = "x"\n');
	mkdirSync(join(dir, 'pkg'));
	writeFileSync(join(dir, 'pkg', 'code.py'), 'x = 1\n');
	const commit = await git.commitAll(dir, 'First release', DATE);
	const tagged = await git.tag(dir, 'v1.0.0', 'Release 1.0.0', DATE);
	const bare = join(root, 'served', 'plugin.git');
	await git.bareCopy(dir, bare);
	return { dir, commit, tagged, bare };
}

describe('createGitAuthoring', () => {
	it('commits and tags a release that git reads back, in a bare copy too', async () => {
		const root = makeTempDir('vouch-authoring-');
		const { commit, tagged, bare } = await makeRelease(root, hostileEnv());
		assert.match(commit, /^[0-9a-f]{40}$/);
		assert.equal(tagged, commit, 'the tag names the release commit');
		assert.equal(runTestGit(bare, ['rev-parse', 'v1.0.0^{commit}']), commit);
		assert.equal(runTestGit(bare, ['cat-file', '-t', 'v1.0.0']), 'tag', 'annotated');
		assert.equal(runTestGit(bare, ['rev-parse', '--is-bare-repository']), 'true');
		assert.deepEqual(runTestGit(bare, ['ls-tree', '-r', '--name-only', 'v1.0.0']).split('\n'), [
			'MANIFEST.toml',
			'pkg/code.py',
		]);
		const author = runTestGit(bare, ['log', '-1', '--format=%an <%ae> %at', commit]);
		assert.equal(author, `Demo Author <demo@example.invalid> ${DATE.getTime() / 1000}`);
		// The hostile global config asked for signatures; none were made, no hook ran.
		assert.doesNotMatch(runTestGit(bare, ['cat-file', '-p', 'v1.0.0']), /BEGIN/);
	});

	it('gives the same commit ids for the same steps, whoever runs them', async () => {
		const first = await makeRelease(makeTempDir('vouch-authoring-a-'), hostileEnv());
		const second = await makeRelease(makeTempDir('vouch-authoring-b-'), {
			PATH: process.env.PATH ?? '/usr/bin:/bin',
			HOME: makeTempDir('vouch-authoring-plain-home-'),
		});
		assert.equal(first.commit, second.commit);
	});

	it('refuses option-like or malformed refs and relative paths before git starts', async () => {
		const root = makeTempDir('vouch-authoring-bad-');
		const git = createGitAuthoring({ identity, env: hostileEnv() });
		const dir = join(root, 'work');
		await git.init(dir, 'main');
		await git.commitAll(dir, 'one', DATE);
		for (const name of ['-d', '--delete', 'a..b', 'v1 0', 'x~1', '']) {
			await rejectsCode(git.tag(dir, name, 'message', DATE), 'GIT_INVALID_ARGUMENT');
		}
		await rejectsCode(git.init(join(root, 'other'), '--bare'), 'GIT_INVALID_ARGUMENT');
		await rejectsCode(git.commitAll('relative/dir', 'x', DATE), 'GIT_INVALID_ARGUMENT');
		await rejectsCode(git.bareCopy(dir, 'relative.git'), 'GIT_INVALID_ARGUMENT');
		await rejectsCode(git.commitAll(dir, 'x', new Date(Number.NaN)), 'GIT_INVALID_ARGUMENT');
		assert.equal(runTestGit(dir, ['tag', '--list']), '', 'no tag was made');
	});
});

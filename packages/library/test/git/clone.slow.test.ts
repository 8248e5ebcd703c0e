import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { type CloneRequest, createGit, type Git } from '../../src/git/index.ts';
import { type GitHttpServer, startGitHttpServer } from '../helpers/git-http-server.ts';
import { createRepo, testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { commitCount, createUpstream, inClone, isShallow, type Upstream } from './upstream.ts';

const up: Upstream = createUpstream();
const out = makeTempDir('vouch-git-clone-');
let server: GitHttpServer;
let refusing: GitHttpServer;
// The test server speaks plain http on 127.0.0.1, so these clones allow it explicitly.
const git: Git = createGit({ env: testGitEnv(), allowInsecureTransport: true });

before(async () => {
	server = await startGitHttpServer({ root: up.root });
	refusing = await startGitHttpServer({ root: up.root, shaFetch: 'refuse' });
});
after(async () => {
	await server.close();
	await refusing.close();
});

let counter = 0;
function dest(): string {
	return join(out, `clone-${counter++}`);
}

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		return true;
	});
}

const transports: [string, () => string][] = [
	['file://', () => up.repo.url],
	['http', () => `${server.url}/repo`],
];

for (const [transport, url] of transports) {
	describe(`clone over ${transport}`, () => {
		async function clone(request: Omit<CloneRequest, 'url' | 'dest'>) {
			const dir = dest();
			const result = await git.clone({ url: url(), dest: dir, ...request });
			return { dir, ...result };
		}

		it('clones the default branch, one commit deep, with the plugin files', async () => {
			const { dir, commit } = await clone({});
			assert.equal(commit, up.c4);
			assert.equal(inClone(dir, ['symbolic-ref', 'HEAD']), 'refs/heads/main');
			assert.ok(isShallow(dir));
			assert.equal(commitCount(dir), 1);
			assert.match(readFileSync(join(dir, 'MANIFEST.toml'), 'utf8'), /uuid = /);
		});

		it('clones a branch', async () => {
			const { dir, commit } = await clone({ ref: 'dev', refType: 'branch' });
			assert.equal(commit, up.d1);
			assert.equal(inClone(dir, ['symbolic-ref', 'HEAD']), 'refs/heads/dev');
			assert.equal(readFileSync(join(dir, 'dev.txt'), 'utf8'), 'dev only\n');
		});

		it('clones an annotated tag at its commit, detached', async () => {
			const { dir, commit } = await clone({ ref: 'v1.0', refType: 'tag' });
			assert.equal(commit, up.c1);
			assert.equal(inClone(dir, ['rev-parse', 'HEAD']), up.c1);
			assert.equal(inClone(dir, ['rev-parse', 'refs/tags/v1.0']), up.v10Object);
			assert.equal(readFileSync(join(dir, 'lib/util.py'), 'utf8'), 'VALUE = 1\n');
			assert.ok(isShallow(dir));
		});

		it('clones a lightweight tag', async () => {
			assert.equal((await clone({ ref: 'v1.1', refType: 'tag' })).commit, up.c2);
		});

		it('clones a commit that no ref points at, shallowly', async () => {
			const { dir, commit } = await clone({ ref: up.c3, refType: 'commit' });
			assert.equal(commit, up.c3);
			assert.ok(isShallow(dir));
			assert.equal(readFileSync(join(dir, 'CHANGELOG.md'), 'utf8'), 'three\n');
		});

		it('takes the tag, not the branch of the same name, when a tag is asked for', async () => {
			assert.equal((await clone({ ref: 'shadow', refType: 'tag' })).commit, up.c1);
			assert.equal((await clone({ ref: 'shadow', refType: 'branch' })).commit, up.c4);
		});

		it('refuses a tag where a branch was asked for', async () => {
			const dir = dest();
			await rejectsCode(
				git.clone({ url: url(), dest: dir, ref: 'tag-only', refType: 'branch' }),
				'GIT_REF_NOT_FOUND',
			);
			assert.equal(existsSync(dir), false, 'a destination it created is removed');
		});

		it('finds a ref of unknown type: branch, then tag, then commit id', async () => {
			assert.equal((await clone({ ref: 'dev' })).commit, up.d1);
			assert.equal((await clone({ ref: 'tag-only' })).commit, up.c2);
			assert.equal((await clone({ ref: up.c3.slice(0, 12) })).commit, up.c3);
		});

		it('reports missing refs as GIT_REF_NOT_FOUND', async () => {
			const cases: Omit<CloneRequest, 'url' | 'dest'>[] = [
				{ ref: 'nope', refType: 'branch' },
				{ ref: 'nope', refType: 'tag' },
				{ ref: 'nope' },
				{ ref: 'deadbeef'.repeat(5), refType: 'commit' },
				{ ref: 'deadbee', refType: 'commit' },
			];
			for (const request of cases) {
				await rejectsCode(git.clone({ url: url(), dest: dest(), ...request }), 'GIT_REF_NOT_FOUND');
			}
		});

		it('fetches the whole history with depth 0', async () => {
			const { dir } = await clone({ depth: 0 });
			assert.equal(isShallow(dir), false);
			assert.equal(commitCount(dir), 4);
		});

		it('lists the remote refs', async () => {
			const refs = await git.lsRemote(url());
			assert.deepEqual(refs.head, { target: 'refs/heads/main', commit: up.c4 });
			assert.equal(refs.branches.get('dev'), up.d1);
			assert.equal(refs.branches.get('shadow'), up.c4);
			assert.equal(refs.tags.get('v1.0'), up.c1, 'annotated tags are peeled');
			assert.equal(refs.tags.get('v1.1'), up.c2);
		});
	});
}

describe('clone: commit ids on a server that refuses them', () => {
	it('falls back to a full fetch and checks the commit out', async () => {
		const dir = dest();
		const result = await git.clone({
			url: `${refusing.url}/repo`,
			dest: dir,
			ref: up.c3,
			refType: 'commit',
		});
		assert.equal(result.commit, up.c3);
		assert.equal(isShallow(dir), false, 'the fallback fetched everything');
		assert.equal(inClone(dir, ['rev-parse', 'HEAD']), up.c3);
	});

	it('still reports an unknown commit as GIT_REF_NOT_FOUND', async () => {
		await rejectsCode(
			git.clone({
				url: `${refusing.url}/repo`,
				dest: dest(),
				ref: 'a'.repeat(40),
				refType: 'commit',
			}),
			'GIT_REF_NOT_FOUND',
		);
	});
});

describe('clone: sources and destinations', () => {
	it('clones from a plain local path, absolute or relative to cwd', async () => {
		assert.equal((await git.clone({ url: up.repo.dir, dest: dest() })).commit, up.c4);
		const local = createGit({ env: testGitEnv(), cwd: out });
		const rel = relative(out, up.repo.dir);
		assert.equal((await local.clone({ url: rel, dest: `rel-${counter++}` })).commit, up.c4);
	});

	it('reports a missing repository as GIT_REPO_NOT_FOUND', async () => {
		await rejectsCode(git.clone({ url: join(out, 'no-repo'), dest: dest() }), 'GIT_REPO_NOT_FOUND');
		await rejectsCode(
			git.clone({ url: `${server.url}/no-repo`, dest: dest() }),
			'GIT_REPO_NOT_FOUND',
		);
		await rejectsCode(git.lsRemote(`${server.url}/no-repo`), 'GIT_REPO_NOT_FOUND');
	});

	it('clones into an existing empty directory and leaves it empty on failure', async () => {
		const dir = dest();
		mkdirSync(dir);
		await rejectsCode(git.clone({ url: up.repo.url, dest: dir, ref: 'nope' }), 'GIT_REF_NOT_FOUND');
		assert.deepEqual(readdirSync(dir), []);
		assert.equal((await git.clone({ url: up.repo.url, dest: dir })).commit, up.c4);
	});

	it('refuses a destination that is not empty, without touching it', async () => {
		const dir = dest();
		mkdirSync(dir);
		writeFileSync(join(dir, 'keep.txt'), 'mine');
		await rejectsCode(git.clone({ url: up.repo.url, dest: dir }), 'GIT_INVALID_ARGUMENT');
		assert.deepEqual(readdirSync(dir), ['keep.txt']);
	});

	it('reports a repository without commits as GIT_REF_NOT_FOUND', async () => {
		const empty = createRepo();
		await rejectsCode(git.clone({ url: empty.url, dest: dest() }), 'GIT_REF_NOT_FOUND');
	});

	it('refuses malformed refs and depths before running git', async () => {
		const none = createGit({ env: testGitEnv(), gitBinary: join(out, 'no-such-git') });
		const cases: Partial<CloneRequest>[] = [
			{ ref: '--upload-pack=touch x' },
			{ ref: '-b', refType: 'branch' },
			{ ref: 'a..b', refType: 'tag' },
			{ ref: 'HEAD', refType: 'commit' },
			{ depth: -1 },
		];
		for (const request of cases) {
			// Had git been started, the missing binary would give GIT_NOT_INSTALLED.
			await rejectsCode(
				none.clone({ url: up.repo.url, dest: dest(), ...request }),
				'GIT_INVALID_ARGUMENT',
			);
		}
	});
});

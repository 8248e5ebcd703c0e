/**
 * The test HTTP server is shared with other suites, so its modes are checked here with plain
 * git: each mode must do what the tests built on it assume.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { type GitHttpServer, startGitHttpServer } from '../helpers/git-http-server.ts';
import { createRepo, testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { plainGit } from './plain-git.ts';
import { createUpstream } from './upstream.ts';

const up = createUpstream();
const scratch = makeTempDir('vouch-git-http-');
let counter = 0;
const dest = () => join(scratch, `clone-${counter++}`);
const allowHttp = { GIT_ALLOW_PROTOCOL: 'http' };

describe('startGitHttpServer', () => {
	let server: GitHttpServer;
	let refusing: GitHttpServer;
	before(async () => {
		server = await startGitHttpServer({ root: up.root });
		refusing = await startGitHttpServer({ root: up.root, shaFetch: 'refuse' });
	});
	after(async () => {
		await server.close();
		await refusing.close();
	});

	it('serves working-tree repositories over protocol v2 on 127.0.0.1', async () => {
		assert.match(server.url, /^http:\/\/127\.0\.0\.1:\d+$/);
		const result = await plainGit(scratch, ['ls-remote', `${server.url}/repo`], allowHttp);
		assert.equal(result.exitCode, 0, result.stderr);
		assert.match(result.stdout, new RegExp(`${up.c4}\\trefs/heads/main`));
		assert.ok(server.requests.some((request) => request.gitProtocol === 'version=2'));
	});

	it('answers 404 for a missing repository', async () => {
		const result = await plainGit(scratch, ['ls-remote', `${server.url}/missing`], allowHttp);
		assert.match(result.stderr, /repository '.*\/missing\/' not found/);
	});

	it('answers a malformed path with 400 and keeps serving', async () => {
		const response = await fetch(`${server.url}/%E0%A4%A/info/refs?service=git-upload-pack`);
		assert.equal(response.status, 400);
		await response.text();
		const result = await plainGit(scratch, ['ls-remote', `${server.url}/repo`], allowHttp);
		assert.equal(result.exitCode, 0, result.stderr);
	});

	it('lets a client fetch an unadvertised commit by id unless told to refuse', async () => {
		const fetchById = async (base: string) => {
			const dir = dest();
			await plainGit(scratch, ['init', '-q', dir]);
			return plainGit(dir, ['fetch', '-q', '--depth', '1', `${base}/repo`, up.c3], allowHttp);
		};
		assert.equal((await fetchById(server.url)).exitCode, 0);
		const refused = await fetchById(refusing.url);
		assert.notEqual(refused.exitCode, 0);
		assert.match(refused.stderr, /unadvertised object/);
	});

	it('accepts gzip-compressed request bodies', async () => {
		// A clone with many commits the server lacks sends long lists of "have" lines when it
		// fetches, which git compresses.
		const root = join(scratch, 'gzip-root');
		const upstream = createRepo({ dir: join(root, 'repo'), files: { 'a.txt': 'a' } });
		const dir = dest();
		assert.equal((await plainGit(scratch, ['clone', '-q', upstream.url, dir])).exitCode, 0);
		execFileSync(
			'sh',
			['-c', 'for i in $(seq 150); do git commit -q --allow-empty -m "local $i"; done'],
			{ cwd: dir, env: testGitEnv() },
		);
		upstream.commit({ 'b.txt': 'b' });
		const gzipServer = await startGitHttpServer({ root });
		try {
			const result = await plainGit(dir, ['fetch', '-q', `${gzipServer.url}/repo`], allowHttp);
			assert.equal(result.exitCode, 0, result.stderr);
			const posts = gzipServer.requests.filter((request) => request.method === 'POST');
			assert.ok(
				posts.some((request) => request.contentEncoding === 'gzip'),
				JSON.stringify(posts),
			);
		} finally {
			await gzipServer.close();
		}
	});

	it('demands basic credentials in auth mode', async () => {
		const guarded = await startGitHttpServer({
			root: up.root,
			auth: { username: 'u', password: 'p' },
		});
		try {
			const without = await plainGit(scratch, ['ls-remote', `${guarded.url}/repo`], allowHttp);
			assert.match(without.stderr, /could not read Username/);
			const withCredentials = guarded.url.replace('://', '://u:p@');
			const ok = await plainGit(scratch, ['ls-remote', `${withCredentials}/repo`], allowHttp);
			assert.equal(ok.exitCode, 0, ok.stderr);
		} finally {
			await guarded.close();
		}
	});

	it('never answers in hang mode, and close() still returns', async () => {
		const hanging = await startGitHttpServer({ root: up.root, hang: true });
		const pending = fetch(`${hanging.url}/repo/info/refs?service=git-upload-pack`).then(
			() => 'answered',
			() => 'dropped',
		);
		// The request is received (logged) but gets no answer until the server closes.
		for (let i = 0; i < 200 && hanging.requests.length === 0; i++) {
			await new Promise((resolve) => setTimeout(resolve, 10));
		}
		assert.equal(hanging.requests.length, 1);
		await hanging.close();
		assert.equal(await pending, 'dropped');
	});
});

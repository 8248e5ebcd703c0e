/**
 * `createUploadPackHttp`: fetch-only smart HTTP over a directory of bare repositories. Real
 * git clones through it (and Vouch's own clone); everything else a request could try, such
 * as pushing, reading files, leaving the directory, huge or inflating bodies, gets refused.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { createGit } from '../../src/git/index.ts';
import {
	createUploadPackHttp,
	type GitHttpRequest,
	MAX_UPLOAD_PACK_REQUEST_BYTES,
	type UploadPackHttp,
} from '../../src/git/upload-pack-http.ts';
import {
	bareClone,
	createPluginRepo,
	runTestGit,
	type TestRepo,
	testGitEnv,
} from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';

const execFileAsync = promisify(execFile);

let root: string;
let repo: TestRepo;
let handler: UploadPackHttp;
let baseUrl: string;
let close: () => Promise<void>;

before(async () => {
	const dir = makeTempDir('vouch-upload-pack-');
	root = join(dir, 'repos');
	repo = createPluginRepo();
	repo.tag('v1.0.0', { message: 'one' });
	bareClone(repo, root, 'plugin.git');
	// Beside the repositories: a secret file and a directory that is no repository.
	writeFileSync(join(dir, 'secret.txt'), 'secret');
	mkdirSync(join(root, 'empty.git'));
	handler = createUploadPackHttp({ root });
	const server = createServer((request, response) => {
		const chunks: Buffer[] = [];
		request.on('data', (chunk: Buffer) => chunks.push(chunk));
		request.on('end', () => {
			const url = new URL(request.url ?? '/', 'http://127.0.0.1');
			void handler
				.handle({
					method: request.method ?? 'GET',
					path: url.pathname,
					query: url.search.slice(1),
					contentType: request.headers['content-type'] ?? '',
					contentEncoding: request.headers['content-encoding'] ?? '',
					body: Buffer.concat(chunks),
				})
				.then((answer) => response.writeHead(answer.status, answer.headers).end(answer.body));
		});
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
	close = () =>
		new Promise((resolve) => {
			server.closeAllConnections();
			server.close(() => resolve());
		});
});

after(() => close());

function get(path: string, query = 'service=git-upload-pack'): GitHttpRequest {
	return { method: 'GET', path, query };
}

function post(path: string, body: Uint8Array, extra: Partial<GitHttpRequest> = {}): GitHttpRequest {
	return {
		method: 'POST',
		path,
		query: '',
		contentType: 'application/x-git-upload-pack-request',
		body,
		...extra,
	};
}

describe('createUploadPackHttp', () => {
	it('serves clones to plain git and to Vouch, tags included', async () => {
		const target = join(makeTempDir('vouch-upload-pack-clone-'), 'copy');
		// Asynchronously: the server answering it runs in this process.
		await execFileAsync('git', ['clone', '-q', `${baseUrl}/plugin.git`, target], {
			env: testGitEnv(),
		});
		assert.equal(runTestGit(target, ['rev-parse', 'v1.0.0^{commit}']), repo.commitOf('v1.0.0'));
		const git = createGit({ env: { PATH: process.env.PATH, HOME: makeTempDir('vouch-home-') } });
		const refs = await git.lsRemote(`${baseUrl}/plugin.git`);
		assert.equal(refs.tags.get('v1.0.0'), repo.commitOf('v1.0.0'));
		const shallow = join(makeTempDir('vouch-upload-pack-vouch-'), 'plugin');
		const cloned = await git.clone({ url: `${baseUrl}/plugin.git`, dest: shallow, ref: 'v1.0.0' });
		assert.equal(cloned.commit, repo.commitOf('v1.0.0'));
	});

	it('advertises refs only for fetching, with the smart-HTTP content type', async () => {
		const answer = await handler.handle(get('/plugin.git/info/refs'));
		assert.equal(answer.status, 200);
		assert.equal(answer.headers['Content-Type'], 'application/x-git-upload-pack-advertisement');
		assert.match(
			Buffer.from(answer.body).toString('latin1'),
			/^001e# service=git-upload-pack\n0000/,
		);
	});

	it('refuses pushing, whatever way it is asked for', async () => {
		for (const request of [
			get('/plugin.git/info/refs', 'service=git-receive-pack'),
			get('/plugin.git/info/refs', ''),
			post('/plugin.git/git-receive-pack', Buffer.from('0000'), {
				contentType: 'application/x-git-receive-pack-request',
			}),
		]) {
			const answer = await handler.handle(request);
			assert.equal(answer.status, 404, `${request.method} ${request.path}?${request.query}`);
		}
	});

	it('serves no file, and nothing outside a repository of the directory', async () => {
		for (const path of [
			'/plugin.git/HEAD',
			'/plugin.git/config',
			'/plugin.git/objects/info/packs',
			'/../secret.txt',
			'/..%2fsecret.txt',
			'/../repos/plugin.git/info/refs',
			'/sub/plugin.git/info/refs',
			'/.git/info/refs',
			'/plugin/info/refs',
			'/empty.git/info/refs',
			'/missing.git/info/refs',
			'//plugin.git/info/refs',
			'/plugin.git/info/refs/',
		]) {
			const answer = await handler.handle(get(path));
			assert.equal(answer.status, 404, path);
		}
	});

	it('refuses other methods and content types', async () => {
		assert.equal(
			(await handler.handle({ ...get('/plugin.git/info/refs'), method: 'POST' })).status,
			405,
		);
		assert.equal((await handler.handle(get('/plugin.git/git-upload-pack', ''))).status, 405);
		const wrongType = post('/plugin.git/git-upload-pack', Buffer.from('0000'), {
			contentType: 'text/plain',
		});
		assert.equal((await handler.handle(wrongType)).status, 415);
	});

	it('bounds request bodies, also once inflated', async () => {
		const huge = Buffer.alloc(MAX_UPLOAD_PACK_REQUEST_BYTES + 1, 0x30);
		assert.equal((await handler.handle(post('/plugin.git/git-upload-pack', huge))).status, 413);
		// A few kilobytes that inflate past the bound.
		const bomb = gzipSync(Buffer.alloc(MAX_UPLOAD_PACK_REQUEST_BYTES * 4, 0x30));
		assert.ok(bomb.length < MAX_UPLOAD_PACK_REQUEST_BYTES);
		const inflated = post('/plugin.git/git-upload-pack', bomb, { contentEncoding: 'gzip' });
		assert.equal((await handler.handle(inflated)).status, 413);
		const unknown = post('/plugin.git/git-upload-pack', Buffer.from('0000'), {
			contentEncoding: 'br',
		});
		assert.equal((await handler.handle(unknown)).status, 413);
	});

	it('answers a malformed fetch with an error, not a pack', async () => {
		const answer = await handler.handle(
			post('/plugin.git/git-upload-pack', Buffer.from('this is not pkt-line')),
		);
		assert.equal(answer.status, 500);
	});
});

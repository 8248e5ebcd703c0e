/**
 * How remote failures surface: transports refused (D11), credentials, unreachable and hanging
 * servers, and git's stderr made safe to show.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { type AddressInfo, createServer as createTcpServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { isVouchError } from '../../src/core/errors.ts';
import { createGit, gitEnvironment } from '../../src/git/index.ts';
import { runGit } from '../../src/git/run.ts';
import { UNREACHABLE_MS } from '../helpers/bounds.ts';
import { type GitHttpServer, startGitHttpServer } from '../helpers/git-http-server.ts';
import { testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';
import { plainGit } from './plain-git.ts';
import { createUpstream } from './upstream.ts';

const up = createUpstream();
const scratch = makeTempDir('vouch-git-remote-');
const AUTH = { username: 'reader', password: 'open-sesame' };
let open: GitHttpServer;
let guarded: GitHttpServer;
let hanging: GitHttpServer;

before(async () => {
	open = await startGitHttpServer({ root: up.root });
	guarded = await startGitHttpServer({ root: up.root, auth: AUTH });
	hanging = await startGitHttpServer({ root: up.root, hang: true });
});
after(async () => {
	await Promise.all([open.close(), guarded.close(), hanging.close()]);
});

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<Error> {
	let caught: unknown;
	await assert.rejects(promise, (error: unknown) => {
		caught = error;
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		return true;
	});
	return caught as Error;
}

let counter = 0;
const dest = () => join(scratch, `clone-${counter++}`);
const insecure = createGit({ env: testGitEnv(), allowInsecureTransport: true });

describe('transport policy (D11)', () => {
	it('refuses http:// unless insecure transport is allowed, before any request', async () => {
		const secure = createGit({ env: testGitEnv() });
		// Looks local, resolves elsewhere: plain http there needs the user's consent (D11).
		const remote = `http://127.0.0.1.nip.io:${new URL(open.url).port}/repo`;
		await rejectsCode(secure.lsRemote(remote), 'GIT_TRANSPORT_REFUSED');
		await rejectsCode(secure.clone({ url: remote, dest: dest() }), 'GIT_TRANSPORT_REFUSED');
		await rejectsCode(secure.lsRemote(`git://example.invalid/repo`), 'GIT_TRANSPORT_REFUSED');
	});

	it('lets plain http reach loopback without the flag, where nobody sits on the path', async () => {
		const secure = createGit({ env: testGitEnv() });
		assert.equal((await secure.lsRemote(`${open.url}/repo`)).head?.commit, up.c4);
		assert.equal((await insecure.lsRemote(`${open.url}/repo`)).head?.commit, up.c4);
	});

	it('has git itself refuse http:// through GIT_ALLOW_PROTOCOL', async () => {
		const before = open.requests.length;
		const result = await runGit({
			gitBinary: 'git',
			args: ['ls-remote', '--', `${open.url}/repo`],
			cwd: scratch,
			env: gitEnvironment(testGitEnv(), { allowInsecureTransport: false }),
			timeoutMs: UNREACHABLE_MS,
			maxStdoutBytes: 1 << 20,
			maxStderrBytes: 1 << 16,
			action: 'testing',
		});
		assert.notEqual(result.exitCode, 0);
		assert.match(result.stderr, /transport 'http' not allowed/);
		assert.equal(open.requests.length, before);
	});

	it('refuses ext:: always, and git refuses it even when handed the address', async () => {
		const marker = join(scratch, 'ext-ran');
		const address = `ext::sh -c touch% ${marker}`;
		const none = createGit({ env: testGitEnv(), gitBinary: join(scratch, 'no-git') });
		await rejectsCode(none.lsRemote(address), 'GIT_TRANSPORT_REFUSED');
		await rejectsCode(insecure.clone({ url: address, dest: dest() }), 'GIT_TRANSPORT_REFUSED');

		const run = (allow: string) =>
			runGit({
				gitBinary: 'git',
				args: ['ls-remote', '--', address],
				cwd: scratch,
				env: {
					...gitEnvironment(testGitEnv(), { allowInsecureTransport: true }),
					...(allow ? { GIT_ALLOW_PROTOCOL: allow } : {}),
				},
				timeoutMs: UNREACHABLE_MS,
				maxStdoutBytes: 1 << 20,
				maxStderrBytes: 1 << 16,
				action: 'testing',
			});
		const refused = await run('');
		assert.match(refused.stderr, /transport 'ext' not allowed/);
		assert.equal(existsSync(marker), false);
		// Control: with ext allowed, the same address runs its command.
		await run('ext');
		assert.equal(existsSync(marker), true);
	});

	it('never starts git for an address that begins with "-"', async () => {
		const marker = join(scratch, 'fake-git-ran');
		const fakeGit = join(scratch, 'fake-git.sh');
		writeFileSync(fakeGit, `#!/bin/sh\ntouch '${marker}'\n`);
		chmodSync(fakeGit, 0o755);
		const git = createGit({ env: testGitEnv(), gitBinary: fakeGit, allowInsecureTransport: true });
		for (const url of ['--upload-pack=touch x', '-oProxyCommand=x']) {
			await rejectsCode(git.lsRemote(url), 'GIT_TRANSPORT_REFUSED');
			await rejectsCode(git.clone({ url, dest: dest() }), 'GIT_TRANSPORT_REFUSED');
		}
		await rejectsCode(
			git.clone({ url: up.repo.url, dest: dest(), ref: '-b' }),
			'GIT_INVALID_ARGUMENT',
		);
		assert.equal(existsSync(marker), false);
		// Control: the fake git does run when given a valid request.
		await git.version().catch(() => undefined);
		assert.equal(existsSync(marker), true);
	});
});

describe('credentials', () => {
	it('fails with GIT_AUTH_FAILED, without prompting, when credentials are missing', async () => {
		await rejectsCode(insecure.lsRemote(`${guarded.url}/repo`), 'GIT_AUTH_FAILED');
		await rejectsCode(
			insecure.clone({ url: `${guarded.url}/repo`, dest: dest() }),
			'GIT_AUTH_FAILED',
		);
	});

	it('fails with GIT_AUTH_FAILED on wrong credentials, never quoting them', async () => {
		const url = guarded.url.replace('://', '://reader:wrong-secret@');
		const error = await rejectsCode(insecure.lsRemote(`${url}/repo`), 'GIT_AUTH_FAILED');
		assert.ok(!error.message.includes('wrong-secret'), error.message);
	});

	it('works with the right credentials', async () => {
		const url = guarded.url.replace('://', `://${AUTH.username}:${AUTH.password}@`);
		assert.equal((await insecure.lsRemote(`${url}/repo`)).head?.commit, up.c4);
	});

	it('ignores askpass programs from the environment and the config', async () => {
		const marker = join(scratch, 'askpass-ran');
		const askpass = join(scratch, 'askpass.sh');
		writeFileSync(
			askpass,
			`#!/bin/sh\ntouch '${marker}'\ncase "$1" in Username*) echo ${AUTH.username};; *) echo ${AUTH.password};; esac\n`,
		);
		chmodSync(askpass, 0o755);
		const config = join(scratch, 'askpass.gitconfig');
		writeFileSync(config, `[core]\n\taskPass = ${askpass}\n`);
		const env = testGitEnv({
			GIT_ASKPASS: askpass,
			SSH_ASKPASS: askpass,
			GIT_CONFIG_GLOBAL: config,
		});
		const git = createGit({ env, allowInsecureTransport: true });
		await rejectsCode(git.lsRemote(`${guarded.url}/repo`), 'GIT_AUTH_FAILED');
		assert.equal(existsSync(marker), false);
		// Control: plain git with that environment asks the program and gets in.
		const plain = await plainGit(scratch, ['ls-remote', `${guarded.url}/repo`], {
			GIT_ASKPASS: askpass,
			GIT_CONFIG_GLOBAL: config,
		});
		assert.equal(plain.exitCode, 0, plain.stderr);
		assert.equal(existsSync(marker), true);
	});
});

describe('unreachable and slow servers', () => {
	it('reports a closed port as GIT_NETWORK', async () => {
		const probe = createTcpServer();
		await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
		const { port } = probe.address() as AddressInfo;
		await new Promise<void>((resolve) => probe.close(() => resolve()));
		await rejectsCode(insecure.lsRemote(`http://127.0.0.1:${port}/repo`), 'GIT_NETWORK');
	});

	it('stops a run against a server that never answers with GIT_TIMEOUT', async () => {
		// Before git runs, the redirect probe (D27) asks the same server and gives up when its own
		// bound passes (then git is run as if there were no redirect); a short probe bound keeps
		// this test from waiting out the default 20 s on each call. The GIT_TIMEOUT is git's.
		const probe = { redirectProbeTimeoutMs: 100 };
		const git = createGit({
			env: testGitEnv(),
			allowInsecureTransport: true,
			timeoutMs: 1000,
			...probe,
		});
		await rejectsCode(git.lsRemote(`${hanging.url}/repo`), 'GIT_TIMEOUT');
		const dir = dest();
		await rejectsCode(git.clone({ url: `${hanging.url}/repo`, dest: dir }), 'GIT_TIMEOUT');
		assert.equal(existsSync(dir), false);
		// A per-call limit overrides the instance's (here the default of 120 s).
		const defaults = createGit({ env: testGitEnv(), allowInsecureTransport: true, ...probe });
		await rejectsCode(defaults.lsRemote(`${hanging.url}/repo`, { timeoutMs: 500 }), 'GIT_TIMEOUT');
		// Each of the three runs got past the probe: git itself was waiting on the server.
		const byGit = hanging.requests.filter((request) => /^git\/\d/.test(request.userAgent ?? ''));
		assert.equal(byGit.length, 3, JSON.stringify(hanging.requests));
	});
});

describe('error output shown to the user', () => {
	let hostile: Server;
	let url: string;
	before(async () => {
		hostile = createServer((_request, response) => {
			response.writeHead(401, {
				'Content-Type': 'text/plain',
				'WWW-Authenticate': 'Basic realm="x"',
			});
			response.end(
				'\u001b[31mdenied\u001b]0;window-title\u0007, see http://alice:s3cret@127.0.0.1/help\u001b[0m\r\n',
			);
		});
		await new Promise<void>((resolve) => hostile.listen(0, '127.0.0.1', resolve));
		url = `http://bob:hunter2@127.0.0.1:${(hostile.address() as AddressInfo).port}/repo`;
	});
	after(() => new Promise<void>((resolve) => hostile.close(() => resolve())));

	it('drops escapes and controls and redacts credentials from git stderr', async () => {
		// Control: git passes the server's escape sequences and credentials through.
		const plain = await plainGit(scratch, ['ls-remote', url]);
		assert.ok(plain.stderr.includes('\u001b[31m'));
		assert.ok(plain.stderr.includes('s3cret'));

		const error = await rejectsCode(insecure.lsRemote(url), 'GIT_AUTH_FAILED');
		for (const forbidden of ['\u001b', '\u0007', '\r', 's3cret', 'hunter2', 'window-title']) {
			assert.ok(
				!error.message.includes(forbidden),
				`${JSON.stringify(forbidden)} in ${error.message}`,
			);
		}
		assert.match(error.message, /remote: denied, see http:\/\/\*\*\*@127\.0\.0\.1\/help/);
		assert.ok(isVouchError(error) && (error.hint ?? '').length > 0);
	});
});

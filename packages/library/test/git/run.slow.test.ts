import assert from 'node:assert/strict';
import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { setTimeout as delay } from 'node:timers/promises';
import { isVouchError } from '../../src/core/errors.ts';
import { createGit, gitEnvironment } from '../../src/git/index.ts';
import { ProcessGroups, type RunRequest, runGit } from '../../src/git/run.ts';
import { UNREACHABLE_MS } from '../helpers/bounds.ts';
import { testGitEnv } from '../helpers/git-repos.ts';
import { makeTempDir } from '../helpers/temp.ts';

const scratch = makeTempDir('vouch-git-run-');

function request(overrides: Partial<RunRequest>): RunRequest {
	return {
		gitBinary: 'git',
		args: ['version'],
		cwd: scratch,
		env: gitEnvironment(testGitEnv(), { allowInsecureTransport: false }),
		timeoutMs: UNREACHABLE_MS,
		maxStdoutBytes: 1024 * 1024,
		maxStderrBytes: 64 * 1024,
		action: 'testing',
		...overrides,
	};
}

let scripts = 0;
/** A stand-in for git: a shell script that starts a child and records both process ids. */
function hangingGit(ignoreTerm: boolean): { binary: string; pidFile: string } {
	const pidFile = join(scratch, `pids-${scripts}`);
	const binary = join(scratch, `fake-git-${scripts++}.sh`);
	writeFileSync(
		binary,
		[
			'#!/bin/sh',
			// Ignoring TERM in the script is inherited by its child: only SIGKILL stops them.
			ignoreTerm ? "trap '' TERM" : '',
			'sleep 600 &',
			`echo "$$ $!" > '${pidFile}'`,
			'wait',
		].join('\n'),
	);
	chmodSync(binary, 0o755);
	return { binary, pidFile };
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
	} catch {
		return false;
	}
	// A zombie still answers signal 0; it has stopped running, which is what counts.
	try {
		return !readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.startsWith('Z');
	} catch {
		return false;
	}
}

async function waitUntilGone(pids: number[]): Promise<boolean> {
	for (let i = 0; i < 100; i++) {
		if (!pids.some(alive)) return true;
		await delay(50);
	}
	return false;
}

function readPids(file: string): number[] {
	return readFileSync(file, 'utf8').trim().split(' ').map(Number);
}

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code, error.message);
		return true;
	});
}

describe('runGit', () => {
	it('runs git with the safety configuration in front of the command', async () => {
		const result = await runGit(request({ args: ['config', '--get', 'core.hooksPath'] }));
		assert.equal(result.exitCode, 0);
		assert.equal(result.stdout.toString().trim(), '/dev/null');
	});

	it('returns a failed run with its exit status and stderr', async () => {
		const result = await runGit(request({ args: ['rev-parse', '--verify', 'no-such-ref'] }));
		assert.equal(result.exitCode, 128);
		assert.match(result.stderr, /not a git repository/);
	});

	it('hands git the given input on stdin, and an immediate end of input otherwise', async () => {
		const given = await runGit(
			request({ args: ['hash-object', '--stdin'], stdin: Buffer.from('hello\n') }),
		);
		assert.equal(given.exitCode, 0, given.stderr);
		// The blob id of "hello\n", as every git computes it.
		assert.equal(given.stdout.toString().trim(), 'ce013625030ba8dba906f756967f9e9ca394464a');
		const none = await runGit(request({ args: ['hash-object', '--stdin'] }));
		assert.equal(none.exitCode, 0, none.stderr);
		assert.equal(none.stdout.toString().trim(), 'e69de29bb2d1d6434b8b29ae775ad8c2e48c5391');
	});

	it('is not upset when git exits without reading all its input', async () => {
		const result = await runGit(
			request({ args: ['version'], stdin: Buffer.alloc(4 * 1024 * 1024, 0x61) }),
		);
		assert.equal(result.exitCode, 0);
		assert.match(result.stdout.toString(), /^git version/);
	});

	it('reports a missing git as GIT_NOT_INSTALLED', async () => {
		await rejectsCode(
			runGit(request({ gitBinary: join(scratch, 'no-such-git') })),
			'GIT_NOT_INSTALLED',
		);
		await rejectsCode(
			createGit({ gitBinary: '/nonexistent/bin/git', env: testGitEnv() }).version(),
			'GIT_NOT_INSTALLED',
		);
	});

	it('reports a missing working directory as such, not as a missing git', async () => {
		await rejectsCode(runGit(request({ cwd: join(scratch, 'gone') })), 'GIT_INVALID_ARGUMENT');
	});

	it('stops the whole process group on timeout', async () => {
		const fake = hangingGit(false);
		await rejectsCode(runGit(request({ gitBinary: fake.binary, timeoutMs: 300 })), 'GIT_TIMEOUT');
		const pids = readPids(fake.pidFile);
		assert.equal(pids.length, 2);
		assert.ok(await waitUntilGone(pids), `still running: ${pids.filter(alive)}`);
	});

	it('kills a group that ignores SIGTERM', async () => {
		const fake = hangingGit(true);
		await rejectsCode(runGit(request({ gitBinary: fake.binary, timeoutMs: 300 })), 'GIT_TIMEOUT');
		assert.ok(await waitUntilGone(readPids(fake.pidFile)));
	});

	it('stops the group when the caller aborts', async () => {
		const fake = hangingGit(false);
		const controller = new AbortController();
		const run = runGit(request({ gitBinary: fake.binary, signal: controller.signal }));
		// Abort once the script has started its child.
		for (let i = 0; i < 200; i++) {
			try {
				if (readFileSync(fake.pidFile, 'utf8').trim().includes(' ')) break;
			} catch {
				// not written yet
			}
			await delay(25);
		}
		const reason = new Error('user cancelled');
		controller.abort(reason);
		await assert.rejects(run, (error: unknown) => error === reason);
		assert.ok(await waitUntilGone(readPids(fake.pidFile)));
	});

	it('does not start git when already aborted', async () => {
		const controller = new AbortController();
		controller.abort(new Error('before'));
		const fake = hangingGit(false);
		await assert.rejects(
			runGit(request({ gitBinary: fake.binary, signal: controller.signal })),
			/before/,
		);
		assert.throws(() => readFileSync(fake.pidFile));
	});

	it('returns when git exits, even if a helper that left its group holds the pipes', async () => {
		const pidFile = join(scratch, 'escaped-pid');
		const binary = join(scratch, 'escaping-git.sh');
		// setsid puts the helper in a session of its own, out of reach of the group signal.
		writeFileSync(
			binary,
			`#!/bin/sh\nsetsid sleep 30 &\necho $! > '${pidFile}'\necho done\nexit 0\n`,
		);
		chmodSync(binary, 0o755);
		try {
			const result = await runGit(request({ gitBinary: binary }));
			assert.equal(result.exitCode, 0);
			assert.equal(result.stdout.toString(), 'done\n');
		} finally {
			for (const pid of readPids(pidFile)) {
				try {
					process.kill(pid, 'SIGKILL');
				} catch {
					// already gone
				}
			}
		}
	});

	it('stops git when its output passes the bound', async () => {
		await rejectsCode(runGit(request({ maxStdoutBytes: 8 })), 'GIT_OUTPUT_TOO_LARGE');
		await rejectsCode(
			createGit({ env: testGitEnv(), maxStdoutBytes: 8 }).version(),
			'GIT_OUTPUT_TOO_LARGE',
		);
	});

	it('stops git when its error output passes the bound', async () => {
		await rejectsCode(
			runGit(request({ args: ['rev-parse', '--verify', 'no-such-ref'], maxStderrBytes: 8 })),
			'GIT_OUTPUT_TOO_LARGE',
		);
	});
});

describe('ProcessGroups', () => {
	it('listens for process exit only while a group is running', () => {
		const before = process.listenerCount('exit');
		const groups = new ProcessGroups();
		groups.add(1_000_001);
		groups.add(1_000_002);
		assert.equal(process.listenerCount('exit'), before + 1);
		groups.delete(1_000_001);
		assert.equal(process.listenerCount('exit'), before + 1);
		groups.delete(1_000_002);
		groups.delete(1_000_002);
		assert.equal(process.listenerCount('exit'), before);
	});
});

describe('createGit().version', () => {
	it("reads git's version", async () => {
		assert.match(await createGit({ env: testGitEnv() }).version(), /^\d+\.\d+(\.\d+)*$/);
	});

	it('refuses nonsensical limits', () => {
		assert.throws(
			() => createGit({ timeoutMs: 0 }),
			(error: unknown) => isVouchError(error) && error.code === 'GIT_INVALID_ARGUMENT',
		);
	});
});

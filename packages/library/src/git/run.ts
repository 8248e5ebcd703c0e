/**
 * Runs one git process: argv only (never a shell), a time limit, bounded output, and the
 * whole process group stopped on timeout. git starts helpers of its own (ssh,
 * git-remote-https, upload-pack for local clones); killing only git would leave them running
 * and holding the network connection, so git gets its own group (`detached`) and the group is
 * signalled.
 */
import { spawn } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { sanitizeText } from '../core/sanitize.ts';
import { SAFETY_CONFIG } from './environment.ts';
import { gitError } from './errors.ts';

/** After SIGTERM, how long git gets to remove its lock files before SIGKILL. */
const KILL_GRACE_MS = 2000;
/** After the process is gone, how long to wait for its pipes to close (a helper may hold them). */
const PIPE_DRAIN_MS = 2000;

export interface RunLimits {
	timeoutMs: number;
	maxStdoutBytes: number;
	maxStderrBytes: number;
}

export interface RunRequest extends RunLimits {
	gitBinary: string;
	/** Arguments after the safety configuration: the subcommand and its options. */
	args: readonly string[];
	cwd: string;
	env: Readonly<Record<string, string>>;
	/** Cancels the run: the process group is stopped and the promise rejects. */
	signal?: AbortSignal;
	/** Words for messages: what this run is doing. Must already be sanitised. */
	action: string;
	/** Bytes written to git's standard input; without them git gets no input at all. */
	stdin?: Uint8Array;
	/** Notified of each started process group, so an owner can stop them all at exit. */
	groups?: ProcessGroups;
}

export interface RunResult {
	stdout: Buffer;
	stderr: string;
	/** null when a signal ended git. */
	exitCode: number | null;
}

/**
 * Process groups of running git commands, stopped if this process exits first (a detached
 * group would otherwise outlive it). One listener per set, registered only while non-empty.
 */
export class ProcessGroups {
	readonly #pids = new Set<number>();
	readonly #onExit = (): void => {
		for (const pid of this.#pids) signalGroup(pid, 'SIGKILL');
	};

	add(pid: number): void {
		if (this.#pids.size === 0) process.on('exit', this.#onExit);
		this.#pids.add(pid);
	}

	delete(pid: number): void {
		if (!this.#pids.delete(pid)) return;
		if (this.#pids.size === 0) process.off('exit', this.#onExit);
	}
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
	try {
		// A negative pid addresses the whole group (POSIX); Windows has no groups.
		process.kill(process.platform === 'win32' ? pid : -pid, signal);
	} catch {
		// Already gone.
	}
}

/**
 * Resolves with the outcome of any run that git finished, whatever its exit status; rejects
 * with GIT_NOT_INSTALLED, GIT_TIMEOUT or GIT_OUTPUT_TOO_LARGE, or with the abort reason.
 */
export function runGit(request: RunRequest): Promise<RunResult> {
	if (request.signal?.aborted === true) return Promise.reject(request.signal.reason);
	return new Promise<RunResult>((resolve, reject) => {
		const child = spawn(request.gitBinary, [...SAFETY_CONFIG, ...request.args], {
			cwd: request.cwd,
			env: request.env,
			detached: process.platform !== 'win32',
			stdio: ['pipe', 'pipe', 'pipe'],
			windowsHide: true,
		});
		// Without input git reads an immediate end of file, as from /dev/null. git may exit
		// before reading all it was given (a refused request); that is not an error here.
		child.stdin.on('error', () => {});
		child.stdin.end(request.stdin ?? new Uint8Array());
		const pid = child.pid;
		if (pid !== undefined) request.groups?.add(pid);

		const stdout: Buffer[] = [];
		let stdoutBytes = 0;
		const stderr: Buffer[] = [];
		let stderrBytes = 0;
		let stopReason: Error | undefined;
		let settled = false;
		const timers: NodeJS.Timeout[] = [];

		const settle = (outcome: () => void): void => {
			if (settled) return;
			settled = true;
			for (const timer of timers) clearTimeout(timer);
			request.signal?.removeEventListener('abort', onAbort);
			if (pid !== undefined) request.groups?.delete(pid);
			outcome();
		};

		const stop = (reason: Error, graceful: boolean): void => {
			if (stopReason !== undefined || settled) return;
			stopReason = reason;
			if (pid === undefined) return;
			signalGroup(pid, graceful ? 'SIGTERM' : 'SIGKILL');
			if (graceful) timers.push(setTimeout(() => signalGroup(pid, 'SIGKILL'), KILL_GRACE_MS));
			// Should a helper have left the group and kept our pipes, stop waiting for them.
			timers.push(
				setTimeout(() => {
					child.stdout.destroy();
					child.stderr.destroy();
					settle(() => reject(reason));
				}, KILL_GRACE_MS + PIPE_DRAIN_MS),
			);
		};

		const onAbort = (): void => {
			const reason = request.signal?.reason;
			stop(reason instanceof Error ? reason : new Error('git was cancelled.'), true);
		};
		request.signal?.addEventListener('abort', onAbort, { once: true });

		timers.push(
			setTimeout(() => {
				stop(
					gitError(
						'GIT_TIMEOUT',
						`git took longer than ${formatSeconds(request.timeoutMs)} while ${request.action} and was stopped.`,
					),
					true,
				);
			}, request.timeoutMs),
		);

		const tooLarge = (stream: string, limit: number): Error =>
			gitError(
				'GIT_OUTPUT_TOO_LARGE',
				`git wrote more than ${limit} bytes to ${stream} while ${request.action}; it was stopped.`,
			);

		child.stdout.on('data', (chunk: Buffer) => {
			if (stopReason !== undefined) return;
			stdoutBytes += chunk.length;
			if (stdoutBytes > request.maxStdoutBytes) {
				stop(tooLarge('its output', request.maxStdoutBytes), false);
				return;
			}
			stdout.push(chunk);
		});
		child.stderr.on('data', (chunk: Buffer) => {
			if (stopReason !== undefined) return;
			stderrBytes += chunk.length;
			if (stderrBytes > request.maxStderrBytes) {
				stop(tooLarge('its error stream', request.maxStderrBytes), false);
				return;
			}
			stderr.push(chunk);
		});

		child.on('error', (error: NodeJS.ErrnoException) => {
			settle(() => {
				void startFailure(error, request).then(reject, reject);
			});
		});
		const finish = (code: number | null): void => {
			settle(() => {
				if (stopReason !== undefined) {
					reject(stopReason);
					return;
				}
				resolve({
					stdout: Buffer.concat(stdout),
					stderr: Buffer.concat(stderr).toString('utf8'),
					exitCode: code,
				});
			});
		};
		child.on('exit', (code: number | null) => {
			// The pipes normally close at once. A helper that escaped the group might keep them
			// open; let go of them then, or they would keep this process alive.
			timers.push(
				setTimeout(() => {
					child.stdout.destroy();
					child.stderr.destroy();
					finish(code);
				}, PIPE_DRAIN_MS),
			);
		});
		child.on('close', (code: number | null) => finish(code));
	});
}

/** The error for a process that never started. */
async function startFailure(error: NodeJS.ErrnoException, request: RunRequest): Promise<Error> {
	if (error.code === 'ENOENT' || error.code === 'EACCES') {
		// spawn reports a missing working directory as ENOENT too.
		const cwdExists = await stat(request.cwd).then(
			(info) => info.isDirectory(),
			() => false,
		);
		if (!cwdExists) {
			return gitError(
				'GIT_INVALID_ARGUMENT',
				`The directory ${sanitizeText(request.cwd)} does not exist (while ${request.action}).`,
			);
		}
		return gitError(
			'GIT_NOT_INSTALLED',
			`git could not be started (${sanitizeText(request.gitBinary)}: ${error.code}).`,
			{ cause: error },
		);
	}
	return gitError('GIT_FAILED', `git could not be started while ${request.action}.`, {
		cause: error,
	});
}

function formatSeconds(ms: number): string {
	const seconds = ms / 1000;
	return seconds >= 1 ? `${Number(seconds.toFixed(1))} s` : `${ms} ms`;
}

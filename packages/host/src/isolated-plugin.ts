/**
 * One plugin in its own process (D29): started with the permission flags of `permissions.ts`,
 * an empty environment and its own directory as the working directory, and spoken to only
 * through validated JSON-RPC (`rpc.ts`). Whatever the process sends that is not a valid
 * message ends it: a plugin that breaks the protocol is treated as crashed.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { realpathSync } from 'node:fs';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { sanitizeText } from '@vouch/library';
import { hostError } from './errors.ts';
import { brokeredRequestOf, brokerFetch } from './fetch-broker.ts';
import { type ConsentedCapability, isolatedNodeFlags } from './permissions.ts';
import { CHANNEL_FD, readJsonLines, type WriteOutcome, writeLine } from './plugin-channel.ts';
import type { PluginPlan } from './plugin-plan.ts';
import {
	MAX_MESSAGE_CHARS,
	parseRpcMessage,
	RpcCaller,
	type RpcRequest,
	readPlainAnswer,
	requestText,
} from './rpc.ts';
import { type HostApi, MAX_API_ARGS, type RunningPlugin } from './running-plugin.ts';
import type { HostTimers } from './timers.ts';

/**
 * The runner every isolated plugin process starts with; plain JavaScript, beside `src/` and
 * `dist/`. Its real path: the permission model checks a read against the file Node really opens,
 * so a grant of a path through a symbolic link (a linked package, a linked directory) would
 * leave the runner unreadable to its own process.
 */
export const RUNNER_PATH = realRunnerPath(
	fileURLToPath(new URL('../runner/child.mjs', import.meta.url)),
);

function realRunnerPath(path: string): string {
	try {
		return realpathSync(path);
	} catch {
		// Missing: starting a plugin fails then, and says so; importing the package must not.
		return path;
	}
}

/**
 * How a plugin process is started; replaceable so tests and benchmarks can watch it. The
 * process must have a pipe at stdio index 3 (`CHANNEL_FD`): the host speaks to it there.
 */
export type ForkPlugin = (
	runner: string,
	args: string[],
	options: { execArgv: string[]; cwd: string; env: NodeJS.ProcessEnv },
) => ChildProcess;

export const FORK_PLUGIN: ForkPlugin = (runner, args, options) =>
	spawn(process.execPath, [...options.execArgv, runner, ...args], {
		cwd: options.cwd,
		env: options.env,
		// No Node IPC channel: its reader cannot be bounded (see plugin-channel.ts).
		stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
		// Its own process group (a new session): what a plugin granted `subprocess` starts is in
		// that group, and ends with it (`endProcess`). The plugin still ends when the host does:
		// it exits when its channel closes.
		detached: process.platform !== 'win32',
	});

/**
 * Ends a plugin's process and every process in its group. Killing the plugin alone would
 * leave running what it started, a blocked plugin's helpers included. A process that made a
 * session of its own escapes the group: a limit of `subprocess`, stated in docs/node-host.md.
 */
export function endProcess(child: ChildProcess): void {
	// Once the process is reaped its id may be reused; its exit handler ended the group then.
	if (child.exitCode !== null || child.signalCode !== null) return;
	if (!endGroup(child)) child.kill('SIGKILL');
}

/** Whether a signal went to the plugin's process group (none when it is already empty). */
function endGroup(child: ChildProcess): boolean {
	if (child.pid === undefined || process.platform === 'win32') return false;
	try {
		process.kill(-child.pid, 'SIGKILL');
		return true;
	} catch {
		return false;
	}
}

export interface IsolatedOptions {
	plan: PluginPlan;
	api: HostApi;
	fetch: typeof fetch;
	timers: HostTimers;
	readGrants: readonly string[];
	consented: readonly ConsentedCapability[];
	heapMb: number;
	fork: ForkPlugin;
	/** A line the plugin wrote to stdout or stderr, sanitised. */
	onOutput(line: string): void;
}

const OUTPUT_LINE_CHARS = 500;
/** Calls from one plugin the host works on at once; more are refused, not queued. */
export const MAX_CALLS_IN_FLIGHT = 32;

export function startIsolatedPlugin(options: IsolatedOptions): RunningPlugin {
	const { plan } = options;
	const child = options.fork(RUNNER_PATH, [plan.entry], {
		execArgv: isolatedNodeFlags({
			plan,
			runner: RUNNER_PATH,
			readGrants: options.readGrants,
			consented: options.consented,
			heapMb: options.heapMb,
		}),
		cwd: plan.dir,
		// D29: nothing of the host's environment (tokens, paths, proxies) reaches the plugin.
		env: {},
	});
	const channel = child.stdio[CHANNEL_FD] as Duplex | null | undefined;
	if (channel === null || channel === undefined) {
		endProcess(child);
		throw hostError('INVALID_HOST_OPTIONS', 'The plugin process was started without its channel.');
	}
	let exitListener: ((why: string) => void) | undefined;
	let ended = false;
	let stderrTail = '';
	/** A plugin whose answers pile up unread is stopped: they would wait in the host's memory. */
	const checked = (outcome: WriteOutcome): boolean => {
		if (outcome === 'backlog') violate('it does not read its channel');
		return outcome === 'written';
	};
	const send = (message: unknown) => checked(writeLine(channel, JSON.stringify(message)));
	const caller = new RpcCaller((request) => {
		if (!checked(writeLine(channel, requestText(request)))) throw new Error('disconnected');
	}, options.timers);

	const end = (why: string) => {
		if (ended) return;
		ended = true;
		caller.failAll(hostError('PLUGIN_EXITED', `${plan.name} stopped: ${why}`));
		exitListener?.(why);
	};
	const violate = (what: string) => {
		endProcess(child);
		end(`it broke the host protocol (${what})`);
	};

	for (const stream of [child.stdout, child.stderr]) {
		stream?.setEncoding('utf8');
		stream?.on('data', (text: string) => {
			if (stream === child.stderr) stderrTail = (stderrTail + text).slice(-2000);
			for (const line of text.split('\n')) {
				if (line.trim() !== '')
					options.onOutput(sanitizeText(line, { maxLength: OUTPUT_LINE_CHARS }));
			}
		});
	}
	child.on('exit', (code, signal) => {
		// What the plugin started does not outlive it, whichever way it ended. While any member
		// is alive, the group's id cannot be given to another process.
		endGroup(child);
		const last = sanitizeText(stderrTail.trim().split('\n').at(-1) ?? '', { maxLength: 300 });
		end(`its process exited (${signal ?? `code ${code}`})${last === '' ? '' : `: ${last}`}`);
	});
	child.on('error', (error) => end(`its process failed: ${sanitizeText(error.message)}`));

	let inFlight = 0;
	const answer = (request: RpcRequest, work: () => Promise<unknown>) => {
		// A plugin could start calls without end: each holds host memory (a fetch up to 1 MB).
		if (inFlight >= MAX_CALLS_IN_FLIGHT) {
			send({
				jsonrpc: '2.0',
				id: request.id,
				error: { code: 2, message: `too many calls in flight (at most ${MAX_CALLS_IN_FLIGHT})` },
			});
			return;
		}
		inFlight += 1;
		const reply = (message: unknown) => {
			inFlight -= 1;
			send(message);
		};
		// One async step, not a chain of them: `work` runs inside it, so a refusal it throws at
		// once (a fetch of the wrong shape) becomes the plugin's error, never an exception in
		// the host's event loop.
		void (async () => {
			let result: unknown;
			try {
				result = await work();
			} catch (error) {
				const message = error instanceof Error ? error.message : 'the call failed';
				reply({
					jsonrpc: '2.0',
					id: request.id,
					error: { code: 1, message: message.slice(0, 2000) },
				});
				return;
			}
			try {
				reply({ jsonrpc: '2.0', id: request.id, result: result ?? null });
			} catch {
				// A cycle or a BigInt in the host's own answer: thrown here, it would be an
				// unhandled rejection, which ends the host.
				send({
					jsonrpc: '2.0',
					id: request.id,
					error: { code: 1, message: "the host's answer is not JSON" },
				});
			}
		})();
	};

	const onMessage = (raw: unknown, chars: number) => {
		if (ended) return;
		const message = parseRpcMessage(raw, chars);
		if (message === undefined) return violate('a malformed message');
		if (!('method' in message)) {
			caller.settle(message);
			return;
		}
		if (message.method === 'fetch') {
			answer(message, () => brokerFetch(plan, brokeredRequestOf(message.params), options.fetch));
			return;
		}
		if (message.method === 'api') {
			answer(message, async () => callHostApi(options.api, message.params));
			return;
		}
		violate('an unknown method');
	};
	readJsonLines(channel, MAX_MESSAGE_CHARS, {
		onMessage,
		onViolation: violate,
		readCommon: readPlainAnswer,
	});

	return {
		pid: child.pid,
		async enable(timeoutMs) {
			await caller.call('enable', { api: Object.keys(options.api) }, timeoutMs);
		},
		async disable(timeoutMs) {
			await caller.call('disable', null, timeoutMs);
		},
		ping(timeoutMs) {
			return caller.call('ping', null, timeoutMs).then(ignoreResult);
		},
		kill() {
			ended = true;
			caller.failAll(hostError('PLUGIN_EXITED', `${plan.name} was stopped.`));
			channel.destroy();
			endProcess(child);
		},
		onExit(listener) {
			exitListener = listener;
		},
	};
}

function ignoreResult(): void {}

/** A call into the host's API: only its own function properties, with JSON arguments. */
export async function callHostApi(api: HostApi, params: unknown): Promise<unknown> {
	const value = (typeof params === 'object' && params !== null ? params : {}) as Record<
		string,
		unknown
	>;
	const name = value.name;
	const args = value.args;
	if (typeof name !== 'string' || !Object.hasOwn(api, name) || typeof api[name] !== 'function')
		throw hostError('PROTOCOL_VIOLATION', 'No such host API method.');
	if (!Array.isArray(args) || args.length > MAX_API_ARGS)
		throw hostError('PROTOCOL_VIOLATION', 'Host API arguments must be a short array.');
	const method = api[name] as (...args: unknown[]) => unknown;
	return await method.apply(api, args);
}

/**
 * JSON-RPC 2.0 between the host and one plugin process, over its channel (`plugin-channel.ts`). The plugin
 * side is untrusted: every message it sends is checked against a closed shape and a size
 * bound before the host acts on it, and every call the host makes has a timeout, so a plugin
 * can neither confuse the host nor make it wait for ever.
 */
import { hostError } from './errors.ts';
import type { HostTimers } from './timers.ts';

/** Largest message either side accepts, in characters of JSON. */
export const MAX_MESSAGE_CHARS = 1_000_000;

export interface RpcRequest {
	jsonrpc: '2.0';
	id: number;
	method: string;
	params: unknown;
}

export interface RpcResponse {
	jsonrpc: '2.0';
	id: number;
	result?: unknown;
	error?: { code: number; message: string };
}

export type RpcMessage = RpcRequest | RpcResponse;

function isRecord(value: unknown): value is Record<string, unknown> {
	return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether every own key of `value` is one a request may have. */
function hasOnlyRequestKeys(value: object): boolean {
	for (const key of Object.keys(value)) {
		if (key !== 'jsonrpc' && key !== 'id' && key !== 'method' && key !== 'params') return false;
	}
	return true;
}

/** Whether every own key of `value` is one a response may have. */
function hasOnlyResponseKeys(value: object): boolean {
	for (const key of Object.keys(value)) {
		if (key !== 'jsonrpc' && key !== 'id' && key !== 'result' && key !== 'error') return false;
	}
	return true;
}

/**
 * The message if it has exactly a request's or a response's shape, else undefined.
 *
 * `knownChars` is the length of the JSON text `value` was parsed from, when the caller has
 * it (the channel reader does): that text already bounds the message, so the value is not
 * serialised again just to measure it. Without it, the value is measured here.
 */
export function parseRpcMessage(value: unknown, knownChars?: number): RpcMessage | undefined {
	if (!isRecord(value) || value.jsonrpc !== '2.0') return undefined;
	const id = value.id;
	if (typeof id !== 'number' || !Number.isSafeInteger(id) || id < 0) return undefined;
	if (!withinSize(value, knownChars)) return undefined;
	const method = value.method;
	if (typeof method === 'string') {
		if (method.length === 0 || method.length > 100 || !hasOnlyRequestKeys(value)) return undefined;
		return { jsonrpc: '2.0', id, method, params: value.params };
	}
	if (!hasOnlyResponseKeys(value)) return undefined;
	if ('error' in value) {
		const error = value.error;
		if (!isRecord(error) || typeof error.message !== 'string' || typeof error.code !== 'number')
			return undefined;
		return {
			jsonrpc: '2.0',
			id,
			error: { code: error.code, message: error.message.slice(0, 2000) },
		};
	}
	return { jsonrpc: '2.0', id, result: value.result };
}

function withinSize(value: unknown, knownChars: number | undefined): boolean {
	if (knownChars !== undefined) return knownChars <= MAX_MESSAGE_CHARS;
	try {
		return JSON.stringify(value).length <= MAX_MESSAGE_CHARS;
	} catch {
		return false;
	}
}

/**
 * The JSON text of a request, as `JSON.stringify` writes it. A request without parameters and
 * with a plain method name (the heartbeat's `ping`, sent every few seconds to every plugin) is
 * written from a template: nothing in it needs escaping, and it skips the serialiser.
 */
const PLAIN_METHOD = /^[a-z]{1,100}$/;

export function requestText(request: RpcRequest): string {
	if (
		request.params === null &&
		PLAIN_METHOD.test(request.method) &&
		Number.isSafeInteger(request.id)
	)
		return `{"jsonrpc":"2.0","id":${request.id},"method":"${request.method}","params":null}`;
	return JSON.stringify(request);
}

const PLAIN_ANSWER =
	/^\{"jsonrpc":"2\.0","id":(0|[1-9][0-9]{0,14}),"result":(null|"[a-z]{0,20}")\}$/;

/**
 * The value of a line that is exactly a plain answer with a short string or `null` result (the
 * plugin's `pong`), read without the JSON parser; undefined for any other line, which then
 * goes through `JSON.parse`. It gives the value JSON.parse would, and the value still goes
 * through `parseRpcMessage`: this only reads, it decides nothing. Anchored, and with no
 * repetition that can backtrack, it costs one pass over a short prefix of any line.
 */
export function readPlainAnswer(line: string): RpcResponse | undefined {
	const match = PLAIN_ANSWER.exec(line);
	if (match === null) return undefined;
	const result = match[2] === 'null' ? null : (match[2] as string).slice(1, -1);
	return { jsonrpc: '2.0', id: Number(match[1]), result };
}
interface Pending {
	method: string;
	timeoutMs: number;
	/** When the call times out, on the caller's monotonic clock. */
	deadline: number;
	resolve(value: unknown): void;
	reject(error: unknown): void;
}

/**
 * Calls from the host into a plugin process, each with its own timeout.
 *
 * The timeouts share one timer, set for the earliest deadline: a call that is answered in
 * time (nearly all) costs a map entry, not a timer made and cleared. When the timer fires it
 * fails every call past its deadline and sets itself for the next one.
 */
export class RpcCaller {
	#next = 1;
	readonly #pending = new Map<number, Pending>();
	#sweep: unknown;
	#sweepAt = Number.POSITIVE_INFINITY;
	readonly #clock: () => number;

	constructor(
		private readonly send: (message: RpcRequest) => void,
		private readonly timers: HostTimers,
	) {
		const monotonic = timers.monotonicNow;
		this.#clock = monotonic === undefined ? () => timers.now() : () => monotonic.call(timers);
	}

	call(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
		const id = this.#next++;
		return new Promise((resolve, reject) => {
			const deadline = this.#clock() + Math.max(0, timeoutMs);
			this.#pending.set(id, { method, timeoutMs, deadline, resolve, reject });
			try {
				this.send({ jsonrpc: '2.0', id, method, params });
			} catch (error) {
				this.#pending.delete(id);
				reject(
					hostError('PLUGIN_EXITED', `The plugin process cannot take ${method}.`, { cause: error }),
				);
				return;
			}
			this.#sweepBy(deadline);
		});
	}

	/** Settles the call a response answers; false when no call waits for it. */
	settle(response: RpcResponse): boolean {
		const pending = this.#pending.get(response.id);
		if (pending === undefined) return false;
		// The shared timer stays set: clearing it here would bring back a timer per call. It is
		// unreferenced, and when it fires it only fails what is past due and sets itself anew.
		this.#pending.delete(response.id);
		if (response.error !== undefined) {
			pending.reject(hostError('PLUGIN_FAILED', response.error.message));
		} else {
			pending.resolve(response.result);
		}
		return true;
	}

	/** Fails every waiting call: the process is gone. */
	failAll(error: unknown): void {
		this.#stopSweep();
		for (const [id, pending] of this.#pending) {
			this.#pending.delete(id);
			pending.reject(error);
		}
	}

	/** Makes sure the shared timer fires by `deadline`. */
	#sweepBy(deadline: number): void {
		if (this.#sweep !== undefined && this.#sweepAt <= deadline) return;
		this.#stopSweep();
		this.#sweepAt = deadline;
		// Whole milliseconds, rounded up: never early, and one timer list in Node, not one per fraction.
		this.#sweep = this.timers.setTimeout(
			() => this.#timeOut(),
			Math.ceil(deadline - this.#clock()),
		);
	}

	#stopSweep(): void {
		if (this.#sweep !== undefined) this.timers.clearTimeout(this.#sweep);
		this.#sweep = undefined;
		this.#sweepAt = Number.POSITIVE_INFINITY;
	}

	#timeOut(): void {
		this.#sweep = undefined;
		this.#sweepAt = Number.POSITIVE_INFINITY;
		const now = this.#clock();
		let next = Number.POSITIVE_INFINITY;
		for (const [id, pending] of this.#pending) {
			if (pending.deadline <= now) {
				this.#pending.delete(id);
				pending.reject(
					hostError(
						'CALL_TIMEOUT',
						`The plugin did not answer ${pending.method} within ${pending.timeoutMs} ms.`,
					),
				);
			} else if (pending.deadline < next) {
				next = pending.deadline;
			}
		}
		if (next !== Number.POSITIVE_INFINITY) this.#sweepBy(next);
	}
}

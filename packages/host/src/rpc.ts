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

/** The message if it has exactly a request's or a response's shape, else undefined. */
export function parseRpcMessage(value: unknown): RpcMessage | undefined {
	if (!isRecord(value) || value.jsonrpc !== '2.0') return undefined;
	if (!Number.isSafeInteger(value.id) || (value.id as number) < 0) return undefined;
	let size: number;
	try {
		size = JSON.stringify(value).length;
	} catch {
		return undefined;
	}
	if (size > MAX_MESSAGE_CHARS) return undefined;
	const keys = Object.keys(value);
	if (typeof value.method === 'string') {
		if (value.method.length === 0 || value.method.length > 100) return undefined;
		if (keys.some((key) => !['jsonrpc', 'id', 'method', 'params'].includes(key))) return undefined;
		return { jsonrpc: '2.0', id: value.id as number, method: value.method, params: value.params };
	}
	if (keys.some((key) => !['jsonrpc', 'id', 'result', 'error'].includes(key))) return undefined;
	if ('error' in value) {
		const error = value.error;
		if (!isRecord(error) || typeof error.message !== 'string' || typeof error.code !== 'number')
			return undefined;
		return {
			jsonrpc: '2.0',
			id: value.id as number,
			error: { code: error.code, message: error.message.slice(0, 2000) },
		};
	}
	return { jsonrpc: '2.0', id: value.id as number, result: value.result };
}

interface Pending {
	resolve(value: unknown): void;
	reject(error: unknown): void;
	timer: unknown;
}

/** Calls from the host into a plugin process, each with its own timeout. */
export class RpcCaller {
	#next = 1;
	readonly #pending = new Map<number, Pending>();

	constructor(
		private readonly send: (message: RpcRequest) => void,
		private readonly timers: HostTimers,
	) {}

	call(method: string, params: unknown, timeoutMs: number): Promise<unknown> {
		const id = this.#next++;
		return new Promise((resolve, reject) => {
			const timer = this.timers.setTimeout(() => {
				this.#pending.delete(id);
				reject(
					hostError('CALL_TIMEOUT', `The plugin did not answer ${method} within ${timeoutMs} ms.`),
				);
			}, timeoutMs);
			this.#pending.set(id, { resolve, reject, timer });
			try {
				this.send({ jsonrpc: '2.0', id, method, params });
			} catch (error) {
				this.timers.clearTimeout(timer);
				this.#pending.delete(id);
				reject(
					hostError('PLUGIN_EXITED', `The plugin process cannot take ${method}.`, { cause: error }),
				);
			}
		});
	}

	/** Settles the call a response answers; false when no call waits for it. */
	settle(response: RpcResponse): boolean {
		const pending = this.#pending.get(response.id);
		if (pending === undefined) return false;
		this.#pending.delete(response.id);
		this.timers.clearTimeout(pending.timer);
		if (response.error !== undefined) {
			pending.reject(hostError('PLUGIN_FAILED', response.error.message));
		} else {
			pending.resolve(response.result);
		}
		return true;
	}

	/** Fails every waiting call: the process is gone. */
	failAll(error: unknown): void {
		for (const [id, pending] of this.#pending) {
			this.timers.clearTimeout(pending.timer);
			this.#pending.delete(id);
			pending.reject(error);
		}
	}
}

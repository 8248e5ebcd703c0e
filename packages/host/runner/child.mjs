// The first code an isolated plugin process runs. It is plain JavaScript so that it starts
// without a TypeScript loader, and it is the only file outside the plugin the process may read.
// It speaks JSON-RPC 2.0 with the host, one JSON message per line on fd 3 (the host's
// plugin-channel.ts; not Node's IPC channel, whose reader cannot be bounded): the host calls `enable`,
// `disable` and `ping`; the plugin's `api` methods and `api.fetch` are calls back to the host.
import { Socket } from 'node:net';
import { pathToFileURL } from 'node:url';

const MAX_MESSAGE_CHARS = 1_000_000;
// UTF-8 takes at most 3 bytes per UTF-16 code unit: a longer line is over the limit for sure.
const MAX_LINE_BYTES = MAX_MESSAGE_CHARS * 3;
const CALL_TIMEOUT_MS = 30_000;
const entry = process.argv[2];

// Signals are outside Node 20's permission model: without this, a plugin could signal the
// host or any process of the user. Not a guarantee (see the host's labels), but no easy way.
for (const name of ['kill', '_kill', '_debugProcess', '_debugEnd']) {
	try {
		Object.defineProperty(process, name, {
			value: () => {
				throw new Error('Signals are not available to isolated plugins.');
			},
			writable: false,
			configurable: false,
		});
	} catch {}
}

let plugin;
let nextId = 1;
const pending = new Map();

const channel = new Socket({ fd: 3, readable: true, writable: true });

function send(message) {
	writeText(JSON.stringify(message));
}

function writeText(json) {
	if (!channel.destroyed && channel.writable) channel.write(`${json}\n`);
}

// Calls to the host time out together: every call has the same limit, so the oldest waiting
// call (the first in the map, which keeps insertion order) is always the next to time out, and
// one timer set for it does the work of a timer per call.
let sweep;
function sweepLater() {
	const first = pending.values().next().value;
	if (sweep !== undefined || first === undefined) return;
	sweep = setTimeout(
		() => {
			sweep = undefined;
			const now = performance.now();
			for (const [id, waiting] of pending) {
				if (waiting.deadline > now) break;
				pending.delete(id);
				waiting.reject(new Error(`The host did not answer ${waiting.method} in time.`));
			}
			sweepLater();
		},
		Math.ceil(first.deadline - performance.now()),
	);
	// The open channel keeps the process alive, not this timer.
	sweep.unref();
}

function callHost(method, params) {
	const id = nextId++;
	return new Promise((resolve, reject) => {
		pending.set(id, { resolve, reject, method, deadline: performance.now() + CALL_TIMEOUT_MS });
		sweepLater();
		send({ jsonrpc: '2.0', id, method, params });
	});
}

function buildApi(names) {
	const api = {};
	for (const name of names) {
		if (typeof name !== 'string' || name === 'fetch') continue;
		api[name] = (...args) => callHost('api', { name, args });
	}
	api.fetch = (url, init = {}) =>
		callHost('fetch', {
			url: String(url),
			method: init.method ?? 'GET',
			headers: init.headers ?? {},
			body: init.body ?? null,
		});
	return Object.freeze(api);
}

async function load() {
	const module = await import(pathToFileURL(entry).href);
	const exported = typeof module.enable === 'function' ? module : module.default;
	if (exported === undefined || typeof exported.enable !== 'function') {
		throw new Error('The entry module exports no enable(api) function.');
	}
	return exported;
}

// A handler returns its answer, or a promise of it; `ping` answers at once, without a promise,
// so the heartbeat measures the channel and not the microtask queue.
const handlers = {
	async enable(params) {
		plugin = await load();
		await plugin.enable(buildApi(Array.isArray(params?.api) ? params.api : []));
		return null;
	},
	async disable() {
		if (typeof plugin?.disable === 'function') await plugin.disable();
		return null;
	},
	ping() {
		return 'pong';
	},
};

// The answers to the host's calls are `null` or 'pong': written from a template when the id is
// a plain integer, as JSON.stringify would write them, without the serialiser.
function answer(id, result) {
	if (Number.isSafeInteger(id) && id >= 0 && (result === 'pong' || result == null))
		writeText(`{"jsonrpc":"2.0","id":${id},"result":${result === 'pong' ? '"pong"' : 'null'}}`);
	else send({ jsonrpc: '2.0', id, result: result ?? null });
}

function refuse(id, error) {
	const text = error instanceof Error ? error.message : String(error);
	send({ jsonrpc: '2.0', id, error: { code: 1, message: text.slice(0, 2000) } });
}

function onMessage(message) {
	if (typeof message !== 'object' || message === null || message.jsonrpc !== '2.0') return;
	if (typeof message.method === 'string') {
		const handler = Object.hasOwn(handlers, message.method) ? handlers[message.method] : undefined;
		if (handler === undefined) {
			send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'no such method' } });
			return;
		}
		const id = message.id;
		let result;
		try {
			result = handler(message.params);
		} catch (error) {
			refuse(id, error);
			return;
		}
		if (typeof result?.then === 'function')
			result.then(
				(value) => answer(id, value),
				(error) => refuse(id, error),
			);
		else answer(id, result);
		return;
	}
	const waiting = pending.get(message.id);
	if (waiting === undefined) return;
	pending.delete(message.id);
	if (message.error !== undefined) waiting.reject(new Error(String(message.error.message)));
	else waiting.resolve(message.result);
}

// Lines are found as bytes (a newline byte never occurs inside a UTF-8 sequence) and only
// complete ones are decoded; a line split over chunks is kept as bytes until its end comes.
let partial = [];
let partialBytes = 0;
let skipping = false;
// The heartbeat's request, read without the JSON parser (the value JSON.parse would give).
const PLAIN_REQUEST =
	/^\{"jsonrpc":"2\.0","id":(0|[1-9][0-9]{0,14}),"method":"([a-z]{1,100})","params":null\}$/;
function deliver(line) {
	const plain = PLAIN_REQUEST.exec(line);
	if (plain !== null) {
		onMessage({ jsonrpc: '2.0', id: Number(plain[1]), method: plain[2], params: null });
		return;
	}
	let message;
	try {
		message = line.length <= MAX_MESSAGE_CHARS ? JSON.parse(line) : undefined;
	} catch {}
	if (message !== undefined) onMessage(message);
}
channel.on('data', (chunk) => {
	let start = 0;
	let newline = chunk.indexOf(0x0a);
	while (newline !== -1) {
		if (skipping) skipping = false;
		else if (partialBytes === 0) deliver(chunk.toString('utf8', start, newline));
		else {
			partial.push(chunk.subarray(0, newline));
			deliver(Buffer.concat(partial).toString('utf8'));
		}
		partial = [];
		partialBytes = 0;
		start = newline + 1;
		newline = chunk.indexOf(0x0a, start);
	}
	if (start < chunk.length && !skipping) {
		partial.push(Buffer.from(chunk.subarray(start)));
		partialBytes += chunk.length - start;
		// Over the limit: dropped, with the rest of the line when it comes.
		if (partialBytes > MAX_LINE_BYTES) {
			partial = [];
			partialBytes = 0;
			skipping = true;
		}
	}
});

// The host ends the process by closing the channel.
channel.on('end', () => process.exit(0));
channel.on('error', () => process.exit(0));

// The first code an isolated plugin process runs. It is plain JavaScript so that it starts
// without a TypeScript loader, and it is the only file outside the plugin the process may read.
// It speaks JSON-RPC 2.0 with the host, one JSON message per line on fd 3 (the host's
// plugin-channel.ts; not Node's IPC channel, whose reader cannot be bounded): the host calls `enable`,
// `disable` and `ping`; the plugin's `api` methods and `api.fetch` are calls back to the host.
import { Socket } from 'node:net';
import { StringDecoder } from 'node:string_decoder';
import { pathToFileURL } from 'node:url';

const MAX_MESSAGE_CHARS = 1_000_000;
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
	if (!channel.destroyed && channel.writable) channel.write(`${JSON.stringify(message)}\n`);
}

function callHost(method, params) {
	const id = nextId++;
	return new Promise((resolve, reject) => {
		const timer = setTimeout(() => {
			pending.delete(id);
			reject(new Error(`The host did not answer ${method} in time.`));
		}, CALL_TIMEOUT_MS);
		pending.set(id, { resolve, reject, timer });
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
	async ping() {
		return 'pong';
	},
};

async function onMessage(message) {
	if (typeof message !== 'object' || message === null || message.jsonrpc !== '2.0') return;
	if (typeof message.method === 'string') {
		const handler = Object.hasOwn(handlers, message.method) ? handlers[message.method] : undefined;
		if (handler === undefined) {
			send({ jsonrpc: '2.0', id: message.id, error: { code: -32601, message: 'no such method' } });
			return;
		}
		try {
			send({ jsonrpc: '2.0', id: message.id, result: (await handler(message.params)) ?? null });
		} catch (error) {
			const text = error instanceof Error ? error.message : String(error);
			send({ jsonrpc: '2.0', id: message.id, error: { code: 1, message: text.slice(0, 2000) } });
		}
		return;
	}
	const waiting = pending.get(message.id);
	if (waiting === undefined) return;
	pending.delete(message.id);
	clearTimeout(waiting.timer);
	if (message.error !== undefined) waiting.reject(new Error(String(message.error.message)));
	else waiting.resolve(message.result);
}

const decoder = new StringDecoder('utf8');
let buffered = '';
channel.on('data', (chunk) => {
	buffered += decoder.write(chunk);
	let newline = buffered.indexOf('\n');
	while (newline !== -1) {
		const line = buffered.slice(0, newline);
		buffered = buffered.slice(newline + 1);
		let message;
		try {
			message = line.length <= MAX_MESSAGE_CHARS ? JSON.parse(line) : undefined;
		} catch {}
		if (message !== undefined) void onMessage(message);
		newline = buffered.indexOf('\n');
	}
	if (buffered.length > MAX_MESSAGE_CHARS) buffered = '';
});

// The host ends the process by closing the channel.
channel.on('end', () => process.exit(0));
channel.on('error', () => process.exit(0));

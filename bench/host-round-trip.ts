/**
 * One round trip over an isolated plugin's channel (a `ping`), beside the floors under it,
 * all measured in the same run and interleaved round by round, so that a busy machine weighs
 * on each alike:
 * - a bare Node IPC echo: a child that sends each message back over `process.send`;
 * - a raw pipe echo on fd 3: the bytes of a ping line sent back as they came, no framing, no
 *   JSON, no checks; what the pipe and two wake-ups cost;
 * - a JSON line echo on fd 3: each line parsed and a JSON answer written, on both sides, but
 *   nothing checked and no timeout; what JSON framing adds to the raw pipe;
 * - an in-process async call.
 * The channel's own cost (checks, timeouts, call bookkeeping) is the ping less the JSON echo.
 */
import { type ChildProcess, fork, spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import type { Socket } from 'node:net';
import { loadavg } from 'node:os';
import { join } from 'node:path';

export interface RoundTripFigures {
	/** Median over the rounds of each one's mean round trip, in µs. */
	medianUs: Record<RoundTripKind, number>;
	/** The quickest round of each, in µs: the figure least disturbed by other work. */
	bestUs: Record<RoundTripKind, number>;
	rounds: number;
	perRound: number;
	/** The 1-minute load average before and after, on this many cores. */
	load: { before: number; after: number };
}

export type RoundTripKind = 'ping' | 'bareIpc' | 'rawPipe' | 'jsonLine' | 'inProcess';

const ROUNDS = 11;
const PER_ROUND = 500;
const WARM_UP = 300;
const PING_LINE = '{"jsonrpc":"2.0","id":1,"method":"ping","params":null}\n';

const IPC_ECHO = 'process.on("message", (m) => process.send(m));\n';
const RAW_ECHO = [
	'import { Socket } from "node:net";',
	'const channel = new Socket({ fd: 3, readable: true, writable: true });',
	'channel.on("data", (bytes) => channel.write(bytes));',
	'channel.on("end", () => process.exit(0));',
].join('\n');
const JSON_ECHO = [
	'import { Socket } from "node:net";',
	'const channel = new Socket({ fd: 3, readable: true, writable: true });',
	'channel.on("data", (bytes) => {',
	'  const message = JSON.parse(bytes.toString("utf8", 0, bytes.length - 1));',
	'  channel.write(JSON.stringify({ jsonrpc: "2.0", id: message.id, result: "pong" }) + "\\n");',
	'});',
	'channel.on("end", () => process.exit(0));',
].join('\n');

function median(values: number[]): number {
	const sorted = [...values].sort((a, b) => a - b);
	return sorted[Math.floor(sorted.length / 2)] as number;
}

function channelChild(file: string): { child: ChildProcess; channel: Socket } {
	const child = spawn(process.execPath, [file], {
		stdio: ['ignore', 'inherit', 'inherit', 'pipe'],
	});
	return { child, channel: child.stdio[3] as Socket };
}

/** A round trip over `channel` to a child that answers each line with one write. */
function lineRoundTrip(channel: Socket, parse: boolean): () => Promise<unknown> {
	let waiting: ((value: unknown) => void) | undefined;
	let expected = 0;
	let received = 0;
	channel.on('data', (bytes: Buffer) => {
		received += bytes.length;
		// The raw echo may come back in pieces; the JSON echo's answer is one short write.
		if (!parse && received < expected) return;
		const done = waiting;
		waiting = undefined;
		done?.(parse ? JSON.parse(bytes.toString('utf8', 0, bytes.length - 1)) : undefined);
	});
	let id = 0;
	const raw = Buffer.from(PING_LINE);
	return () =>
		new Promise((resolve) => {
			waiting = resolve;
			received = 0;
			if (parse) {
				id += 1;
				channel.write(`${JSON.stringify({ jsonrpc: '2.0', id, method: 'ping', params: null })}\n`);
			} else {
				expected = raw.length;
				channel.write(raw);
			}
		});
}

export async function measureRoundTrips(
	ping: () => Promise<unknown>,
	root: string,
): Promise<RoundTripFigures> {
	const before = loadavg()[0] as number;
	const files = {
		ipc: join(root, 'ipc-echo.mjs'),
		raw: join(root, 'raw-echo.mjs'),
		json: join(root, 'json-echo.mjs'),
	};
	writeFileSync(files.ipc, IPC_ECHO);
	writeFileSync(files.raw, RAW_ECHO);
	writeFileSync(files.json, JSON_ECHO);
	const ipc = fork(files.ipc, [], { serialization: 'json' });
	const raw = channelChild(files.raw);
	const json = channelChild(files.json);
	const local = async () => null;
	const kinds: Record<RoundTripKind, () => Promise<unknown>> = {
		ping,
		bareIpc: () =>
			new Promise((resolve) => {
				ipc.once('message', resolve);
				ipc.send({ jsonrpc: '2.0', id: 1, method: 'ping', params: null });
			}),
		rawPipe: lineRoundTrip(raw.channel, false),
		jsonLine: lineRoundTrip(json.channel, true),
		inProcess: () => local(),
	};
	const names = Object.keys(kinds) as RoundTripKind[];
	const times = Object.fromEntries(names.map((name) => [name, [] as number[]])) as Record<
		RoundTripKind,
		number[]
	>;
	try {
		for (const name of names) for (let i = 0; i < WARM_UP; i++) await kinds[name]();
		for (let round = 0; round < ROUNDS; round++) {
			// A different kind goes first each round, so none always follows the same one.
			for (let k = 0; k < names.length; k++) {
				const name = names[(round + k) % names.length] as RoundTripKind;
				const once = kinds[name];
				const began = process.hrtime.bigint();
				for (let i = 0; i < PER_ROUND; i++) await once();
				times[name].push(Number(process.hrtime.bigint() - began) / 1e3 / PER_ROUND);
			}
		}
	} finally {
		ipc.kill();
		for (const { child, channel } of [raw, json]) {
			channel.destroy();
			child.kill();
		}
	}
	const pick = (f: (values: number[]) => number) =>
		Object.fromEntries(names.map((name) => [name, f(times[name])])) as Record<
			RoundTripKind,
			number
		>;
	return {
		medianUs: pick(median),
		bestUs: pick((values) => Math.min(...values)),
		rounds: ROUNDS,
		perRound: PER_ROUND,
		load: { before, after: loadavg()[0] as number },
	};
}

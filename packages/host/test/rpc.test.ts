/**
 * The JSON-RPC layer's two guards: the closed message shape, checked against an independent
 * zod schema of the same rules on generated messages, and the call timeouts, which share one
 * timer but must still fail each call at its own deadline.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { z } from 'zod';
import {
	MAX_MESSAGE_CHARS,
	parseRpcMessage,
	RpcCaller,
	type RpcRequest,
	readPlainAnswer,
	requestText,
} from '../src/rpc.ts';
import { ManualTimers } from './helpers/world.ts';

/** The rules of `parseRpcMessage`, written as a schema: the oracle the hand-written code must match. */
const id = z.number().int().min(0).max(Number.MAX_SAFE_INTEGER);
const oracle = z.union([
	z.strictObject({
		jsonrpc: z.literal('2.0'),
		id,
		method: z.string().min(1).max(100),
		params: z.unknown().optional(),
	}),
	z.strictObject({
		jsonrpc: z.literal('2.0'),
		id,
		result: z.unknown().optional(),
		error: z.object({ code: z.number(), message: z.string() }).optional(),
	}),
]);
const oracleAccepts = (value: unknown) =>
	oracle.safeParse(value).success && JSON.stringify(value).length <= MAX_MESSAGE_CHARS;

/** Messages near the valid shapes, and plenty just off them, as a plugin could send. */
const jsonrpc = fc.oneof(
	{ arbitrary: fc.constant('2.0'), weight: 5 },
	fc.constantFrom('2', '1.0', 2, null),
);
const messageId = fc.oneof(
	{ arbitrary: fc.nat(), weight: 5 },
	fc.integer(),
	fc.double(),
	fc.constantFrom(0, -0, 2 ** 53, 2 ** 53 - 1, -1, 1.5),
	fc.string({ maxLength: 3 }),
);
const method = fc.oneof(
	{ arbitrary: fc.constantFrom('ping', 'api', 'fetch'), weight: 3 },
	fc.constantFrom('', 'm'.repeat(100), 'm'.repeat(101)),
	fc.string({ maxLength: 120 }),
	fc.integer(),
	fc.constant(null),
);
const rpcError = fc.oneof(
	{
		weight: 3,
		arbitrary: fc.record(
			{
				code: fc.oneof(
					{ arbitrary: fc.integer(), weight: 3 },
					fc.string({ maxLength: 2 }),
					fc.constant(null),
				),
				message: fc.oneof({ arbitrary: fc.string({ maxLength: 10 }), weight: 3 }, fc.integer()),
				data: fc.jsonValue({ maxDepth: 1 }),
			},
			{ requiredKeys: [] },
		),
	},
	fc.jsonValue({ maxDepth: 1 }),
);
const requestLike = fc.record(
	{ jsonrpc, id: messageId, method, params: fc.jsonValue({ maxDepth: 2 }) },
	{ requiredKeys: ['jsonrpc', 'id', 'method'] },
);
const responseLike = fc.record(
	{ jsonrpc, id: messageId, result: fc.jsonValue({ maxDepth: 2 }), error: rpcError },
	{ requiredKeys: ['jsonrpc', 'id'] },
);
/** Now and then one key more: a stray, one of the other shape's, or `__proto__` as JSON has it. */
const strayKey = fc.option(
	fc.constantFrom('extra', 'method', 'params', 'result', 'error', '__proto__', 'constructor'),
	{ freq: 3 },
);
const nearMessage = fc
	.tuple(fc.oneof(requestLike, responseLike), strayKey, fc.jsonValue({ maxDepth: 1 }))
	.map(([message, key, value]) => (key === null ? message : { ...message, [key]: value }))
	// What the host checks always came out of JSON.parse.
	.map((message) => JSON.parse(JSON.stringify(message)) as unknown);

const oddValues = fc.constantFrom(
	...[
		'null',
		'"text"',
		'[]',
		'[{"jsonrpc":"2.0","id":1,"result":1}]',
		'{"jsonrpc":"2.0","id":1,"method":"ping","__proto__":{}}',
		'{"jsonrpc":"2.0","id":1,"result":1,"__proto__":{"method":"x"}}',
		'{"jsonrpc":"2.0","id":1,"constructor":1,"result":1}',
		'{"jsonrpc":"2.0","id":1e3,"result":1}',
		'{"jsonrpc":"2.0","id":1,"error":{"code":1,"message":"x"},"result":2}',
	].map((text) => JSON.parse(text) as unknown),
);

describe('parseRpcMessage against the schema oracle', () => {
	it('accepts exactly what the schema accepts, with and without the size from the line', () => {
		fc.assert(
			fc.property(fc.oneof(nearMessage, oddValues, fc.jsonValue({ maxDepth: 3 })), (value) => {
				const expected = oracleAccepts(value);
				assert.equal(parseRpcMessage(value) !== undefined, expected);
				const chars = JSON.stringify(value).length;
				assert.equal(parseRpcMessage(value, chars) !== undefined, expected);
			}),
			{ numRuns: 5000 },
		);
	});

	it('keeps only the fields of the shape it accepted', () => {
		fc.assert(
			fc.property(nearMessage, (value) => {
				const message = parseRpcMessage(value);
				if (message === undefined) return;
				const source = value as Record<string, unknown>;
				assert.equal(message.id, source.id);
				if ('method' in message) {
					assert.deepEqual(message, {
						jsonrpc: '2.0',
						id: source.id,
						method: source.method,
						params: source.params,
					});
				} else if ('error' in source) {
					assert.deepEqual(Object.keys(message.error ?? {}), ['code', 'message']);
				} else {
					assert.deepEqual(message, { jsonrpc: '2.0', id: source.id, result: source.result });
				}
			}),
			{ numRuns: 2000 },
		);
	});

	it('the size bound holds both ways: measured here, or given by the line it came from', () => {
		const fits = { jsonrpc: '2.0', id: 1, method: 'api', params: 'x' };
		const chars = (value: unknown) => JSON.stringify(value).length;
		const padding = MAX_MESSAGE_CHARS - chars(fits);
		const atLimit = { ...fits, params: 'x'.repeat(padding + 1) };
		const overLimit = { ...fits, params: 'x'.repeat(padding + 2) };
		assert.equal(chars(atLimit), MAX_MESSAGE_CHARS);
		assert.notEqual(parseRpcMessage(atLimit), undefined);
		assert.notEqual(parseRpcMessage(atLimit, MAX_MESSAGE_CHARS), undefined);
		assert.equal(parseRpcMessage(overLimit), undefined);
		assert.equal(parseRpcMessage(overLimit, MAX_MESSAGE_CHARS + 1), undefined);
		// The line's length is what counts when given: a small value from an over-long line is refused.
		assert.equal(parseRpcMessage(fits, MAX_MESSAGE_CHARS + 1), undefined);
	});
});

describe('the quick paths for the commonest lines give what JSON gives', () => {
	it('requestText writes exactly what JSON.stringify writes', () => {
		const request = fc.record({
			jsonrpc: fc.constant('2.0' as const),
			id: fc.oneof(fc.nat(), fc.constantFrom(2 ** 53 - 1, 2 ** 53, 1e21)),
			method: fc.oneof(
				fc.constantFrom('ping', 'enable', 'disable', 'a'.repeat(101)),
				fc.string({ maxLength: 12 }),
				fc.string({ unit: fc.constantFrom('a', 'z', '"', '\\', '\n', 'é', 'A'), maxLength: 5 }),
			),
			params: fc.oneof(fc.constant(null), fc.jsonValue({ maxDepth: 1 })),
		});
		fc.assert(
			fc.property(request, (r) => assert.equal(requestText(r), JSON.stringify(r))),
			{ numRuns: 3000 },
		);
	});

	it('readPlainAnswer reads a plain answer as JSON.parse does, and leaves every other line alone', () => {
		const answer = fc.record(
			{
				jsonrpc: fc.constantFrom('2.0', '2'),
				id: fc.oneof(fc.nat(), fc.constantFrom(0, 999_999_999_999_999, 1e15, 2 ** 53, -1, 1.5)),
				result: fc.oneof(
					fc.constantFrom('pong', '', null, 'a'.repeat(20), 'a'.repeat(21), 'Pong', 'po"ng'),
					fc.jsonValue({ maxDepth: 1 }),
				),
				error: fc.constant({ code: 1, message: 'x' }),
			},
			{ requiredKeys: ['jsonrpc', 'id'] },
		);
		const line = fc.oneof(
			answer.map((value) => JSON.stringify(value)),
			// Plain answers with bytes changed, added or cut: near misses a reader could get wrong.
			fc
				.tuple(fc.nat(), fc.nat({ max: 60 }), fc.string({ maxLength: 3 }))
				.map(
					([id, at, insert]) =>
						`{"jsonrpc":"2.0","id":${id},"result":"pong"}`.slice(0, at) +
						insert +
						`{"jsonrpc":"2.0","id":${id},"result":"pong"}`.slice(at + (insert.length % 2)),
				),
			fc.constantFrom(
				'{"jsonrpc":"2.0","id":01,"result":"pong"}',
				'{"jsonrpc":"2.0","id":1,"result":"pong"} ',
				' {"jsonrpc":"2.0","id":1,"result":"pong"}',
				'{"jsonrpc":"2.0","id":1,"result":"pong"}\n',
				'{"jsonrpc":"2.0","id":1,"result":"pong","result":1}',
				'{"jsonrpc":"2.0","id":-0,"result":null}',
				'{"jsonrpc":"2.0","id":1,"result":"pong"}x',
				'{"jsonrpc":"2.0","id":1,"result":"pong"}}',
			),
		);
		fc.assert(
			fc.property(line, (text) => {
				const quick = readPlainAnswer(text);
				if (quick === undefined) return;
				assert.deepEqual(quick, JSON.parse(text));
			}),
			{ numRuns: 5000 },
		);
		// And it does read the heartbeat's answer, or it would only slow the reader down.
		assert.deepEqual(readPlainAnswer('{"jsonrpc":"2.0","id":42,"result":"pong"}'), {
			jsonrpc: '2.0',
			id: 42,
			result: 'pong',
		});
		assert.deepEqual(readPlainAnswer('{"jsonrpc":"2.0","id":0,"result":null}')?.result, null);
	});
});

/** A caller whose requests are kept, with its calls' outcomes observed as they settle. */
function callerWith(timers: ManualTimers, send?: (message: RpcRequest) => void) {
	const sent: RpcRequest[] = [];
	const caller = new RpcCaller(send ?? ((message) => sent.push(message)), timers);
	const outcomes = new Map<string, string>();
	const call = (name: string, timeoutMs: number) => {
		caller.call('ping', null, timeoutMs).then(
			(value) => outcomes.set(name, `answered ${String(value)}`),
			(error: { code?: string; message?: string }) =>
				outcomes.set(name, `${error.code}: ${error.message}`),
		);
		return sent.at(-1)?.id as number;
	};
	return { caller, sent, outcomes, call };
}

const settled = () => new Promise((resolve) => setImmediate(resolve));

describe('RpcCaller timeouts', () => {
	it('fails each call at its own deadline, whatever order they were made in', async () => {
		const timers = new ManualTimers();
		const { call, outcomes } = callerWith(timers);
		call('slow', 1000);
		call('quick', 500);
		call('slowest', 2000);
		assert.equal(timers.pending, 1, 'one timer for every waiting call');
		timers.advance(499);
		await settled();
		assert.equal(outcomes.size, 0, 'nothing before its deadline');
		timers.advance(1);
		await settled();
		assert.deepEqual(
			[...outcomes],
			[['quick', 'CALL_TIMEOUT: The plugin did not answer ping within 500 ms.']],
		);
		timers.advance(499);
		await settled();
		assert.equal(outcomes.has('slow'), false);
		timers.advance(1);
		await settled();
		assert.match(outcomes.get('slow') ?? '', /^CALL_TIMEOUT: .* within 1000 ms/);
		timers.advance(1000);
		await settled();
		assert.match(outcomes.get('slowest') ?? '', /^CALL_TIMEOUT: .* within 2000 ms/);
		assert.equal(timers.pending, 0, 'no timer once nothing waits');
	});

	it('an answered call never times out, and a thousand of them use one timer', async () => {
		const timers = new ManualTimers();
		const { caller, call, outcomes } = callerWith(timers);
		for (let i = 0; i < 1000; i++) {
			const id = call(`call ${i}`, 5000);
			assert.equal(caller.settle({ jsonrpc: '2.0', id, result: i }), true);
			assert.ok(timers.pending <= 1);
		}
		timers.advance(1_000_000);
		await settled();
		assert.equal(outcomes.size, 1000);
		assert.ok([...outcomes.values()].every((outcome) => outcome.startsWith('answered')));
		assert.equal(timers.pending, 0);
	});

	it('an answer after the deadline settles nothing; an error answer is the plugin failing', async () => {
		const timers = new ManualTimers();
		const { caller, call, outcomes } = callerWith(timers);
		const late = call('late', 100);
		const failing = call('failing', 1000);
		timers.advance(100);
		assert.equal(caller.settle({ jsonrpc: '2.0', id: late, result: 'pong' }), false);
		assert.equal(
			caller.settle({ jsonrpc: '2.0', id: failing, error: { code: 1, message: 'no' } }),
			true,
		);
		assert.equal(caller.settle({ jsonrpc: '2.0', id: failing, result: 'again' }), false);
		await settled();
		assert.match(outcomes.get('late') ?? '', /^CALL_TIMEOUT/);
		assert.equal(outcomes.get('failing'), 'PLUGIN_FAILED: no');
	});

	it('a shorter call made after a longer one still times out first', async () => {
		const timers = new ManualTimers();
		const { call, outcomes } = callerWith(timers);
		call('long', 60_000);
		call('short', 10);
		timers.advance(10);
		await settled();
		assert.deepEqual([...outcomes.keys()], ['short']);
	});

	it('failAll fails every waiting call and leaves no timer', async () => {
		const timers = new ManualTimers();
		const { caller, call, outcomes } = callerWith(timers);
		call('a', 100);
		call('b', 200);
		caller.failAll(Object.assign(new Error('gone'), { code: 'PLUGIN_EXITED' }));
		assert.equal(timers.pending, 0);
		timers.advance(1000);
		await settled();
		assert.deepEqual([...outcomes.values()], ['PLUGIN_EXITED: gone', 'PLUGIN_EXITED: gone']);
	});

	it('a call the channel cannot take fails at once and leaves no timer', async () => {
		const timers = new ManualTimers();
		const caller = new RpcCaller(() => {
			throw new Error('disconnected');
		}, timers);
		await assert.rejects(caller.call('enable', null, 1000), { code: 'PLUGIN_EXITED' });
		assert.equal(timers.pending, 0);
	});

	it('measures waiting on the clock that never jumps: a wall clock set forward fails nothing early', async () => {
		class WallClockJumps extends ManualTimers {
			wallOffset = 0;
			override now(): number {
				return super.now() + this.wallOffset;
			}
			monotonicNow(): number {
				return super.now();
			}
		}
		const timers = new WallClockJumps();
		const { call, outcomes } = callerWith(timers);
		call('ping', 1000);
		timers.wallOffset = 24 * 3600 * 1000;
		timers.advance(999);
		await settled();
		assert.equal(outcomes.size, 0);
		timers.advance(1);
		await settled();
		assert.match(outcomes.get('ping') ?? '', /^CALL_TIMEOUT/);
	});
});

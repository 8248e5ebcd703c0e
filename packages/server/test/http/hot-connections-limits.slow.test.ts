/**
 * The connection layer's own bounds over real sockets on 127.0.0.1: pipelining, a client that
 * does not read, heads that come slowly or never end, file reads that wait or fail, closing,
 * and the proxy's forwarded address. What it answers is checked against `node:http` alone in
 * `hot-connections.slow.test.ts`; here, that it answers at all, in order, and lets go.
 *
 * No database: the layer asks only the file cache, and an in-memory one stands in for it.
 */
import assert from 'node:assert/strict';
import type { Socket } from 'node:net';
import { describe, it } from 'node:test';
import { createRateLimiter } from '../../src/http/rate-limit.ts';
import { answeredBy, CLOSE_LAST, HOST } from './hot-answers.ts';
import {
	CHECKPOINT,
	hotRequest,
	memoryFiles,
	startStack,
	TIMESTAMP,
	TIMESTAMP_ETAG,
} from './hot-stack.ts';
import { exchange, until } from './raw-http.ts';

describe('the hot connection layer, reading', () => {
	it('answers pipelined requests in order, handing on at the first it does not take', async () => {
		const stack = await startStack();
		try {
			const bytes = [
				hotRequest(),
				hotRequest({ target: CHECKPOINT, headers: [HOST, ['If-None-Match', '"x"']] }),
				hotRequest({ target: `${TIMESTAMP}?q=1` }),
				hotRequest({ headers: [HOST, ['If-None-Match', TIMESTAMP_ETAG]] }),
			].join('');
			const { responses } = await exchange(stack.port, [Buffer.from(bytes)]);
			assert.deepEqual(responses.map(answeredBy), ['layer', 'layer', 'app', 'hot path']);
			assert.deepEqual(
				responses.map((r) => r.status),
				[200, 200, 200, 304],
			);
			assert.equal(responses[1]?.body.toString(), 'vouch\n12\nroot\n');
		} finally {
			await stack.close();
		}
	});

	it('reads a head a byte at a time, and across the 8 KiB bound', async () => {
		const stack = await startStack();
		try {
			const oneByOne = Buffer.from(hotRequest());
			const bytes = [...oneByOne].map((byte) => Buffer.from([byte]));
			const trickled = await exchange(stack.port, bytes);
			assert.deepEqual(trickled.responses.map(answeredBy), ['layer']);

			// A head of exactly 8 KiB (CRLF CRLF after it), cut just before and after the bound.
			const base = hotRequest({ headers: [HOST, ['X-Pad', '']] });
			const fits = Buffer.from(
				hotRequest({ headers: [HOST, ['X-Pad', 'p'.repeat(8 * 1024 + 4 - base.length)]] }),
			);
			assert.equal(fits.length, 8 * 1024 + 4);
			for (const cut of [8 * 1024 - 1, 8 * 1024, 8 * 1024 + 1, 8 * 1024 + 3]) {
				const split = await exchange(stack.port, [fits.subarray(0, cut), fits.subarray(cut)]);
				assert.deepEqual(split.responses.map(answeredBy), ['layer'], `cut at ${cut}`);
			}
			// One byte more: not the layer's; node:http parses it and the hot path answers.
			const over = Buffer.from(
				hotRequest({ headers: [HOST, ['X-Pad', 'p'.repeat(8 * 1024 + 5 - base.length)]] }),
			);
			const handed = await exchange(stack.port, [over.subarray(0, 8000), over.subarray(8000)]);
			assert.deepEqual(handed.responses.map(answeredBy), ['hot path']);

			// A head that never ends: handed on, and node:http's own limit answers.
			const endless = Buffer.from(
				`GET ${TIMESTAMP} HTTP/1.1\r\nHost: x\r\nX-Pad: ${'p'.repeat(20_000)}`,
			);
			const refused = await exchange(stack.port, [
				endless.subarray(0, 9000),
				endless.subarray(9000),
			]);
			assert.deepEqual(
				refused.responses.map((r) => r.status),
				[431],
			);
		} finally {
			await stack.close();
		}
	});

	it('answers thousands of pipelined requests from a client that reads only at the end', async () => {
		const stack = await startStack();
		try {
			// Enough answers (some 10 MiB) to fill both sides' socket buffers many times over.
			const count = 20_000;
			const requests: string[] = [];
			for (let i = 0; i < count; i++) {
				requests.push(
					i % 3 === 0
						? hotRequest({ headers: [HOST, ['If-None-Match', TIMESTAMP_ETAG]] })
						: hotRequest({ target: i % 3 === 1 ? TIMESTAMP : CHECKPOINT }),
				);
			}
			const result = await exchange(stack.port, [], {
				onSocket(socket) {
					socket.pause();
					// The last is not the layer's: handed on after the client's end was read.
					socket.end(requests.join('') + hotRequest({ target: '/other' }));
					// Reading starts once the server has had time to fill its side.
					setTimeout(() => socket.resume(), 100);
				},
			});
			assert.equal(result.responses.length, count + 1);
			assert.equal(answeredBy(result.responses.pop()), 'app');
			result.responses.forEach((response, i) => {
				assert.equal(response.status, i % 3 === 0 ? 304 : 200, `answer ${i}`);
				if (i % 3 === 2) assert.equal(response.body.toString(), 'vouch\n12\nroot\n');
			});
			assert.ok(result.responses.every((r) => answeredBy(r) === 'layer'));
		} finally {
			await stack.close();
		}
	});
});

describe('the hot connection layer, timing out and closing', () => {
	it('hands a slow head to node:http, whose header timeout closes it', async () => {
		const stack = await startStack({
			connectionsCheckingInterval: 20,
			configure(server) {
				server.keepAliveTimeout = 50;
				server.headersTimeout = 100;
				server.requestTimeout = 150;
			},
		});
		try {
			// A head begun and never finished.
			const partial = await exchange(stack.port, [Buffer.from(`GET ${TIMESTAMP} HTTP/1.1\r\nHo`)], {
				halfClose: false,
			});
			assert.deepEqual(
				partial.responses.map((r) => r.status),
				[408],
			);
			// A head trickled a byte at a time, slower than the timeout allows in all, faster
			// than it between bytes: it must still end.
			let sent = 0;
			const trickle = await exchange(stack.port, [], {
				halfClose: false,
				onSocket(socket) {
					const bytes = Buffer.from(`GET ${TIMESTAMP} HTTP/1.1\r\nX-Pad: ${'p'.repeat(10_000)}`);
					const drip = setInterval(() => {
						if (!socket.writable || sent >= bytes.length) clearInterval(drip);
						else socket.write(bytes.subarray(sent, ++sent));
					}, 5);
					socket.on('close', () => clearInterval(drip));
				},
			});
			assert.ok(sent < 10_000, 'closed before the head could end');
			assert.ok(trickle.responses.every((r) => r.status === 408));
		} finally {
			await stack.close();
		}
	});

	it('closes an idle keep-alive connection after the keep-alive timeout', async () => {
		const stack = await startStack({
			configure(server) {
				server.keepAliveTimeout = 50;
			},
		});
		try {
			const idle = await exchange(stack.port, [Buffer.from(hotRequest())], { halfClose: false });
			assert.deepEqual(idle.responses.map(answeredBy), ['layer']);
			assert.equal(idle.rest.length, 0);
			// The server's side of the close follows the client's.
			await until(() => stack.connections?.open === 0);
		} finally {
			await stack.close();
		}
	});

	it('closes its idle connections on closeIdle(), so the server can close', async () => {
		const stack = await startStack({
			configure(server) {
				// Longer than any test: only closeIdle() can end these connections.
				server.keepAliveTimeout = 3_600_000;
			},
		});
		const idle = exchange(stack.port, [Buffer.from(hotRequest())], { halfClose: false });
		const partial = exchange(stack.port, [Buffer.from(`GET ${TIMESTAMP} HTTP/1.1\r\n`)], {
			halfClose: false,
		});
		await until(() => stack.connections?.open === 2);
		const closed = new Promise<void>((resolve) => stack.server.close(() => resolve()));
		stack.connections?.closeIdle();
		await closed;
		assert.deepEqual((await idle).responses.map(answeredBy), ['layer']);
		assert.deepEqual((await partial).responses, []);
		await until(() => stack.connections?.open === 0);
	});

	it('lets a connection finish its answer on closeIdle(), and closes one that does not read', async () => {
		const files = memoryFiles('deferred');
		const stack = await startStack({
			files,
			configure(server) {
				// Long enough that a loaded machine cannot let a connection go quiet before its
				// first request arrives: the sweep would then hand it to node:http, which the
				// server's close would wait on while this client waits to be closed.
				server.keepAliveTimeout = 2_000;
			},
		});
		// One connection waits for its file; another's client never reads its many answers.
		const waiting = exchange(stack.port, [Buffer.from(hotRequest())], { halfClose: false });
		let unread: Socket | undefined;
		const flooding = exchange(stack.port, [], {
			halfClose: false,
			onSocket(socket) {
				unread = socket;
				socket.pause();
				// Far more answers than the sockets' buffers hold: its answers stop, unread.
				socket.write(hotRequest({ target: CHECKPOINT }).repeat(50_000));
			},
		});
		await until(() => files.held === 2);
		const closed = new Promise<void>((resolve) => stack.server.close(() => resolve()));
		stack.connections?.closeIdle();
		files.release();
		// The file's answer goes out whole before its connection closes; the server closes
		// although the other client never reads (every one of its requests waits for a file
		// read too, so it was busy at closeIdle(); the sweep ends it, instead of handing it to
		// node:http, which has closed its idle connections already and would wait on it).
		await closed;
		assert.deepEqual((await waiting).responses.map(answeredBy), ['layer']);
		// A paused socket never learns that it was closed: read, to see the end.
		unread?.resume();
		await flooding;
		await until(() => stack.connections?.open === 0);
	});
});

describe('the hot connection layer with files still to read', () => {
	it('answers requests pipelined behind a pending read in order', async () => {
		const files = memoryFiles('deferred');
		const stack = await startStack({ files });
		try {
			const bytes = [
				hotRequest(),
				hotRequest({ target: CHECKPOINT }),
				hotRequest({ headers: [HOST, ['If-None-Match', TIMESTAMP_ETAG]] }),
				hotRequest({ target: '/other' }),
				hotRequest({ target: CHECKPOINT }),
				CLOSE_LAST,
			].join('');
			// Not half-closed: `node:http` drops answers still being made when the client ends.
			const pending = exchange(stack.port, [Buffer.from(bytes)], { halfClose: false });
			await until(() => files.held > 0);
			files.release();
			const { responses } = await pending;
			assert.deepEqual(
				responses.map((r) => [answeredBy(r), r.status]),
				[
					['layer', 200],
					['layer', 200],
					['layer', 304],
					['app', 200],
					['hot path', 200],
					['app', 200],
				],
			);
			assert.equal(responses[1]?.body.toString(), 'vouch\n12\nroot\n');
		} finally {
			await stack.close();
		}
	});

	for (const outcome of ['missing', 'fail'] as const) {
		it(`hands the connection on when the read finds ${outcome === 'fail' ? 'an error' : 'no file'}`, async () => {
			const files = memoryFiles('deferred');
			files.outcome = outcome;
			const stack = await startStack({ files });
			try {
				const bytes = [hotRequest(), hotRequest({ target: CHECKPOINT }), CLOSE_LAST].join('');
				const pending = exchange(stack.port, [Buffer.from(bytes)], { halfClose: false });
				await until(() => files.held > 0);
				files.release();
				const { responses } = await pending;
				assert.deepEqual(
					responses.map((r) => r.body.toString()),
					[`GET ${TIMESTAMP} cl=- te=-`, `GET ${CHECKPOINT} cl=- te=-`, 'GET /last cl=- te=-'],
				);
				assert.ok(responses.every((r) => answeredBy(r) === 'app'));
			} finally {
				await stack.close();
			}
		});
	}

	it('answers what a client sent before its half-close, also behind a pending read', async () => {
		const files = memoryFiles('deferred');
		const stack = await startStack({ files });
		try {
			// `node:http` answers the second at once, before it handles the client's end.
			const bytes = [hotRequest(), hotRequest({ target: '/other' })].join('');
			// The client's end arrives with its requests, while the first waits for its file.
			const pending = exchange(stack.port, [Buffer.from(bytes)]);
			await until(() => files.held > 0);
			// Let the end of the stream be seen before the file is read.
			await new Promise((done) => setTimeout(done, 20));
			files.release();
			const { responses } = await pending;
			assert.deepEqual(responses.map(answeredBy), ['layer', 'app']);
		} finally {
			await stack.close();
		}
	});
});

describe('the hot connection layer behind a proxy', () => {
	it('takes the client from X-Forwarded-For behind a trusted proxy, and hands on a doubled one', async () => {
		const limiter = createRateLimiter({ read: { burst: 2, perSecond: 1e-9 }, now: () => 0 });
		const stack = await startStack({ rateLimiter: limiter, trustProxy: true });
		try {
			const from = (address: string) =>
				hotRequest({ headers: [HOST, ['X-Forwarded-For', address]] });
			const first = await exchange(stack.port, [Buffer.from(from('10.0.0.1').repeat(3))]);
			// Two from the budget; the third is over it, and the app answers (its 429, in the service).
			assert.deepEqual(first.responses.map(answeredBy), ['layer', 'layer', 'app']);
			// Another client behind the same proxy, on another connection, has its own budget.
			const second = await exchange(stack.port, [Buffer.from(from('10.0.0.2'))]);
			assert.deepEqual(second.responses.map(answeredBy), ['layer']);
			// The same proxy connection may carry several clients.
			const mixed = await exchange(stack.port, [Buffer.from(from('10.0.0.3') + from('10.0.0.1'))]);
			assert.deepEqual(mixed.responses.map(answeredBy), ['layer', 'app']);

			// Two X-Forwarded-For headers: node:http joins them, and the last address is the client.
			const doubled = hotRequest({
				headers: [HOST, ['X-Forwarded-For', '10.0.0.4'], ['X-Forwarded-For', '10.0.0.5']],
			});
			const handed = await exchange(stack.port, [Buffer.from(doubled)]);
			assert.deepEqual(handed.responses.map(answeredBy), ['hot path']);
			assert.equal(limiter.take('10.0.0.5', 'read'), 0, 'one token of two was taken');
			assert.ok(limiter.take('10.0.0.5', 'read') > 0);
			assert.equal(limiter.take('10.0.0.4', 'read'), 0, 'the first address was not charged');
		} finally {
			await stack.close();
		}
	});

	it('ignores X-Forwarded-For without a trusted proxy', async () => {
		const limiter = createRateLimiter({ read: { burst: 2, perSecond: 1e-9 }, now: () => 0 });
		const stack = await startStack({ rateLimiter: limiter, trustProxy: false });
		try {
			const bytes = ['10.0.0.1', '10.0.0.2', '10.0.0.3']
				.map((address) => hotRequest({ headers: [HOST, ['X-Forwarded-For', address]] }))
				.join('');
			const { responses } = await exchange(stack.port, [Buffer.from(bytes)]);
			assert.deepEqual(responses.map(answeredBy), ['layer', 'layer', 'app']);
		} finally {
			await stack.close();
		}
	});
});

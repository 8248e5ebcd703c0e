/**
 * The recogniser of the one request form the connection layer answers itself: what it takes,
 * what it leaves to `node:http`, and that it takes no more than linear time on hostile lines.
 * (Its agreement with `node:http` over real sockets is `hot-connections.slow.test.ts`.)
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { MAX_HOT_HEAD_BYTES, readHotRequestHead } from '../../src/http/hot-request-head.ts';

const TARGETS = new Set(['/tuf/metadata/timestamp.json']);
const LINE = 'GET /tuf/metadata/timestamp.json HTTP/1.1';
const read = (...headers: string[]) => readHotRequestHead([LINE, ...headers].join('\r\n'), TARGETS);

describe('the hot request head', () => {
	it('takes the strict form, with the header values node:http would see', () => {
		assert.deepEqual(read('Host: a', 'If-None-Match: \t"x" \t', 'X-Forwarded-For:10.0.0.1'), {
			method: 'GET',
			target: '/tuf/metadata/timestamp.json',
			ifNoneMatch: '"x"',
			forwardedFor: '10.0.0.1',
		});
		// Only spaces and tabs are trimmed: 0xA0 is an obs-text byte of the value.
		assert.equal(read('Host: a', 'If-None-Match: \xa0"x"\xa0')?.ifNoneMatch, '\xa0"x"\xa0');
		assert.equal(read('Host: a', 'Connection: Keep-Alive')?.method, 'GET');
	});

	it('leaves everything else to node:http', () => {
		const refused: string[][] = [
			[],
			['Host: a', 'Host: b'],
			['Host: a', 'Content-Length: 0'],
			['Host: a', 'transfer-encoding: chunked'],
			['Host: a', 'Expect: 100-continue'],
			['Host: a', 'Upgrade: websocket'],
			['Host: a', 'Connection: close'],
			['Host: a', 'Connection: keep-alive, upgrade'],
			['Host: a', 'If-None-Match: "a"', 'If-None-Match: "b"'],
			['Host: a', 'X-Forwarded-For: 1', 'X-Forwarded-For: 2'],
			['Host : a'],
			['Host: a', ' folded'],
			['Host: a', ': empty name'],
			['Host: a', 'no colon'],
			['Host: a', 'X: a\nb'],
			['Host: a', 'X: a\rb'],
			['Host: a', 'X: a\x00b'],
			['Host: a', 'X: a\x7fb'],
			['Host: a', 'X\x80: a'],
			['Host: a', `X: ${'p'.repeat(MAX_HOT_HEAD_BYTES)}`],
		];
		for (const headers of refused)
			assert.equal(read(...headers), undefined, JSON.stringify(headers));
		for (const line of [
			'GET /tuf/metadata/timestamp.json HTTP/1.0',
			'GET  /tuf/metadata/timestamp.json HTTP/1.1',
			'POST /tuf/metadata/timestamp.json HTTP/1.1',
			'GET /tuf/metadata/timestamp.json?x HTTP/1.1',
			'GET /tuf/metadata/timestamp.json HTTP/1.1 ',
		]) {
			assert.equal(readHotRequestHead(`${line}\r\nHost: a`, TARGETS), undefined, line);
		}
		// A smaller limit of the server's own.
		const head = `${LINE}\r\nHost: a\r\nX: ${'p'.repeat(100)}`;
		assert.notEqual(readHotRequestHead(head, TARGETS, head.length), undefined);
		assert.equal(readHotRequestHead(head, TARGETS, head.length - 1), undefined);
	});

	it('reads a hostile line in one pass', () => {
		// Cubic backtracking made each of these take minutes; now the whole loop is quick enough
		// that the test simply finishes.
		for (const bad of ['\x7f', '\x00', '\r', '\n']) {
			for (const run of [' ', '\t', ' \t']) {
				const line = `X:${run.repeat(Math.floor(7900 / run.length))}${bad}`;
				assert.equal(read('Host: a', line), undefined);
			}
		}
	});
});

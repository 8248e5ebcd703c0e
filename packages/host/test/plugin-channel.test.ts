/**
 * The channel reader works on bytes and decodes only complete lines: whatever way the pipe
 * cuts the bytes into chunks (inside a line, inside a multi-byte character), each message
 * comes out whole and once, and the size limit is counted in characters as before.
 */
import assert from 'node:assert/strict';
import { PassThrough } from 'node:stream';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { readJsonLines } from '../src/plugin-channel.ts';
import { readPlainAnswer } from '../src/rpc.ts';

interface Heard {
	messages: unknown[];
	chars: number[];
	violations: string[];
	feed(...chunks: (Buffer | string)[]): void;
}

function listen(maxChars: number, readCommon?: (line: string) => unknown): Heard {
	const stream = new PassThrough();
	const heard: Heard = {
		messages: [],
		chars: [],
		violations: [],
		// Straight to the listener, as the pipe's reads would come: no buffering in between.
		feed: (...chunks) => {
			for (const chunk of chunks) stream.emit('data', chunk);
		},
	};
	readJsonLines(stream, maxChars, {
		onMessage(value, chars) {
			heard.messages.push(value);
			heard.chars.push(chars);
		},
		onViolation: (what) => heard.violations.push(what),
		...(readCommon === undefined ? {} : { readCommon }),
	});
	return heard;
}

/** `bytes` cut at the given offsets. */
function cut(bytes: Buffer, offsets: number[]): Buffer[] {
	const points = [...new Set(offsets.map((o) => o % (bytes.length + 1)))].sort((a, b) => a - b);
	const pieces: Buffer[] = [];
	let from = 0;
	for (const point of [...points, bytes.length]) {
		if (point > from) pieces.push(bytes.subarray(from, point));
		from = point;
	}
	return pieces;
}

describe('readJsonLines', () => {
	it('gives every message whole, in order, however the bytes are cut', () => {
		fc.assert(
			fc.property(
				fc.array(fc.jsonValue({ maxDepth: 2, stringUnit: 'binary' }), { maxLength: 8 }),
				fc.array(fc.nat(), { maxLength: 12 }),
				(values, offsets) => {
					const lines = values.map((value) => JSON.stringify(value));
					const heard = listen(1000);
					heard.feed(...cut(Buffer.from(lines.map((line) => `${line}\n`).join('')), offsets));
					assert.deepEqual(heard.violations, []);
					assert.deepEqual(
						heard.messages,
						lines.map((line) => JSON.parse(line)),
					);
					assert.deepEqual(
						heard.chars,
						lines.map((line) => line.length),
					);
				},
			),
			{ numRuns: 1000 },
		);
	});

	it('with the quick reader of plain answers, gives the same values, and still refuses what is not JSON', () => {
		const lines = [
			'{"jsonrpc":"2.0","id":7,"result":"pong"}',
			'{"jsonrpc":"2.0","id":8,"result":null}',
			'{"jsonrpc":"2.0","id":9,"result":{"a":1}}',
		];
		const heard = listen(1000, readPlainAnswer);
		heard.feed(lines.map((line) => `${line}\n`).join(''));
		assert.deepEqual(
			heard.messages,
			lines.map((line) => JSON.parse(line)),
		);
		heard.feed('{"jsonrpc":"2.0","id":10,"result":"pong"\n');
		assert.deepEqual(heard.violations, ['a message that is not JSON']);
	});

	it('joins a character split between chunks, and takes chunks that are already text', () => {
		const heard = listen(100);
		const bytes = Buffer.from('"€😀"\n');
		heard.feed(
			bytes.subarray(0, 2),
			bytes.subarray(2, 6),
			bytes.subarray(6),
			'{"a":"é"}\n[1]',
			'\n',
		);
		assert.deepEqual(heard.messages, ['€😀', { a: 'é' }, [1]]);
		assert.deepEqual(heard.violations, []);
	});

	it('bytes that are not UTF-8 become replacement characters, as a decoder makes them', () => {
		const heard = listen(100);
		heard.feed(Buffer.from([0x22, 0xff, 0xe2, 0x82]), Buffer.from([0x22, 0x0a]));
		assert.deepEqual(heard.messages, ['\ufffd\ufffd']);
	});

	it('counts the limit in characters: many bytes of few characters pass, one character more does not', () => {
		const atLimit = listen(10);
		// 10 characters, 26 bytes.
		atLimit.feed('"€€€€€€€€"\n');
		assert.deepEqual(atLimit.messages, ['€€€€€€€€']);
		const over = listen(10);
		over.feed(Buffer.from('"€€€€'), Buffer.from('€€€€€"\n'));
		assert.deepEqual(over.messages, []);
		assert.deepEqual(over.violations, ['a message over the size limit']);
	});

	it('a line without end is refused once it cannot fit, before it ends', () => {
		const heard = listen(10);
		heard.feed('"', 'x'.repeat(28));
		assert.deepEqual(heard.violations, [], '29 bytes could still be 10 characters');
		heard.feed('xx');
		assert.deepEqual(heard.violations, ['a message over the size limit']);
		heard.feed('"\n1\n');
		assert.deepEqual(heard.messages, [], 'nothing is read after a violation');
	});

	it('a long line inside one chunk is refused without being decoded', () => {
		const heard = listen(10);
		heard.feed(`1\n${'1'.repeat(31)}\n2\n`);
		assert.deepEqual(heard.messages, [1]);
		assert.deepEqual(heard.violations, ['a message over the size limit']);
	});

	it('a line that is not JSON ends the reading, even with good lines after it in the chunk', () => {
		const heard = listen(100);
		heard.feed('{"ok":1}\nnot json\n{"ok":2}\n');
		heard.feed('{"ok":3}\n');
		assert.deepEqual(heard.messages, [{ ok: 1 }]);
		assert.deepEqual(heard.violations, ['a message that is not JSON']);
	});
});

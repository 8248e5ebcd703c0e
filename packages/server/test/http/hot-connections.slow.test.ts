/**
 * The connection layer in front of `node:http`, attacked over real sockets on 127.0.0.1 with
 * raw bytes. The main check is differential: whatever bytes a client sends, split however it
 * likes, the layered server must answer exactly as the same server without the layer does
 * (status, headers but the ones `node:http` adds per connection, body, in order); and the
 * attacks aimed at where two readers of HTTP/1.1 may disagree: smuggled bodies, hostile
 * header lines, heads near the size limits. The layer's own bounds (pipelining, slow heads,
 * pending reads, closing, the proxy's address) are `hot-connections-limits.slow.test.ts`.
 *
 * No database: the layer and the hot path ask only the file cache (`RepoFileCache`), so an
 * in-memory cache stands in for it (`hot-stack.ts`); the database side is the cache's tests'.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { SECURITY_HEADERS } from '../../src/http/security-headers.ts';
import { answeredBy, assertSameAnswers, CLOSE_LAST, HOST } from './hot-answers.ts';
import {
	CHECKPOINT,
	countingApp,
	hotRequest,
	memoryFiles,
	type Stack,
	startStack,
	TIMESTAMP,
	TIMESTAMP_ETAG,
	TIMESTAMP_TEXT,
} from './hot-stack.ts';
import { exchange, headerOf, type RawResponse } from './raw-http.ts';

/** A change to one request, named for the failure message. */
type Mutation = (request: Parts) => void;
interface Parts {
	method: string;
	target: string;
	version: string;
	headers: [string, string][];
	/** Raw header lines added as they are (folds, bad line ends). */
	rawLines: string[];
	body: string;
	leading: string;
}

const INNER = hotRequest({ target: CHECKPOINT });
const MUTATIONS: Record<string, Mutation> = {
	'upper-case name': (r) => {
		r.headers = r.headers.map(([n, v]) => [n.toUpperCase(), v]);
	},
	'space before colon': (r) => r.rawLines.push('X-Space : 1'),
	'obs-fold': (r) => r.rawLines.push('X-Fold: a\r\n folded'),
	'bare LF': (r) => r.rawLines.push('X-Lf: a\nX-After: b'),
	'bare LF ends the head': (r) => r.rawLines.push('X-Lf: a\n'),
	'bare CR': (r) => r.rawLines.push('X-Cr: a\rb'),
	NUL: (r) => r.rawLines.push('X-Nul: a\x00b'),
	DEL: (r) => r.rawLines.push('X-Del: a\x7fb'),
	'obs-text': (r) => r.rawLines.push('X-Text: caf\xe9'),
	'control in name': (r) => r.rawLines.push('X\x01Y: 1'),
	'empty name': (r) => r.rawLines.push(': 1'),
	'bad name': (r) => r.rawLines.push('X(Y): 1'),
	'tab in value': (r) => r.headers.push(['X-Tab', '\ta\tb\t']),
	'duplicate Host': (r) => r.headers.push(['Host', 'other.test']),
	'missing Host': (r) => {
		r.headers = r.headers.filter(([n]) => n.toLowerCase() !== 'host');
	},
	'empty Host': (r) => {
		r.headers = r.headers.map(([n, v]) => (n.toLowerCase() === 'host' ? [n, ''] : [n, v]));
	},
	'duplicate If-None-Match': (r) => {
		r.headers.push(['If-None-Match', TIMESTAMP_ETAG], ['If-None-Match', '"other"']);
	},
	'duplicate X-Forwarded-For': (r) => {
		r.headers.push(['X-Forwarded-For', '10.0.0.1'], ['X-Forwarded-For', '10.0.0.2']);
	},
	'Content-Length with a body': (r) => {
		r.headers.push(['Content-Length', String(INNER.length)]);
		r.body = INNER;
	},
	'Content-Length without its body': (r) => r.headers.push(['Content-Length', '7']),
	'Content-Length: 0': (r) => r.headers.push(['Content-Length', '0']),
	'two Content-Lengths': (r) => {
		r.headers.push(['Content-Length', '0'], ['Content-Length', String(INNER.length)]);
		r.body = INNER;
	},
	'chunked with a body': (r) => {
		r.headers.push(['Transfer-Encoding', 'chunked']);
		r.body = `${INNER.length.toString(16)}\r\n${INNER}\r\n0\r\n\r\n`;
	},
	'chunked without a body': (r) => r.headers.push(['Transfer-Encoding', 'chunked']),
	'chunked and Content-Length': (r) => {
		r.headers.push(['Transfer-Encoding', 'chunked'], ['Content-Length', '5']);
		r.body = '0\r\n\r\n';
	},
	'Connection: close': (r) => r.headers.push(['Connection', 'close']),
	'Connection: Keep-Alive': (r) => r.headers.push(['Connection', 'Keep-Alive']),
	'Connection: upgrade': (r) => r.headers.push(['Connection', 'upgrade'], ['Upgrade', 'websocket']),
	// Not `Expect: 100-continue`: behind a pipelined request still being answered, `node:http`
	// alone writes its `100 Continue` into the middle of that answer, so there is nothing
	// sound to compare with. The layer hands such a request on; see the test of it below.
	'Expect: other': (r) => r.headers.push(['Expect', 'something']),
	'a 9 KiB header': (r) => r.headers.push(['X-Pad', 'p'.repeat(9 * 1024)]),
	'a head near 8 KiB': (r) => r.headers.push(['X-Pad', 'p'.repeat(8 * 1024 - 90)]),
	'a 17 KiB header': (r) => r.headers.push(['X-Pad', 'p'.repeat(17 * 1024)]),
	'70 header lines': (r) => {
		for (let i = 0; i < 70; i++) r.headers.push([`X-N${i}`, String(i)]);
	},
	'leading CRLF': (r) => {
		r.leading = '\r\n';
	},
	'two leading CRLFs': (r) => {
		r.leading = '\r\n\r\n';
	},
	'trailing space in value': (r) => r.headers.push(['If-None-Match', `${TIMESTAMP_ETAG}  `]),
	'X-Forwarded-For': (r) => r.headers.push(['X-Forwarded-For', '192.0.2.1']),
	'a run of spaces before a DEL': (r) => r.rawLines.push(`X-Spaces:${' '.repeat(7800)}\x7f`),
	'a run of tabs and spaces, kept': (r) => r.headers.push(['X-Spaces', `${' \t'.repeat(3000)}v`]),
	'0xA0 around a value': (r) => r.rawLines.push('X-Nbsp: \xa0v\xa0'),
	Transfer_Encoding: (r) => {
		r.headers.push(['Transfer_Encoding', 'chunked']);
		r.body = '0\r\n\r\n';
	},
};

const requestArbitrary = (mutations: string[]) =>
	fc
		.record({
			method: fc.constantFrom(
				...['GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'HEAD'],
				...['POST', 'get', 'OPTIONS', 'GET '],
			),
			target: fc.constantFrom(
				...[TIMESTAMP, TIMESTAMP, TIMESTAMP, TIMESTAMP, CHECKPOINT, CHECKPOINT],
				`${TIMESTAMP}?x=1`,
				`http://registry.test${TIMESTAMP}`,
				'/tuf/metadata/%74imestamp.json',
				`${TIMESTAMP}/`,
				'/tuf/metadata/./timestamp.json',
				'/other',
				`${TIMESTAMP}#f`,
			),
			version: fc.constantFrom(...Array(6).fill('HTTP/1.1'), 'HTTP/1.0', 'HTTP/1.2', 'http/1.1'),
			ifNoneMatch: fc.option(
				fc.constantFrom(TIMESTAMP_ETAG, `W/${TIMESTAMP_ETAG}`, '"other"', '*'),
			),
			mutations: fc.array(fc.constantFrom(...mutations), { maxLength: 2 }),
		})
		.map((spec) => {
			const parts: Parts = {
				method: spec.method,
				target: spec.target,
				version: spec.version,
				headers: [HOST],
				rawLines: [],
				body: '',
				leading: '',
			};
			if (spec.ifNoneMatch !== null) parts.headers.push(['If-None-Match', spec.ifNoneMatch]);
			for (const name of spec.mutations) MUTATIONS[name]?.(parts);
			const lines = [
				...parts.headers.map(([name, value]) => `${name}: ${value}`),
				...parts.rawLines,
			].map((line) => `${line}\r\n`);
			const text = `${parts.leading}${parts.method} ${parts.target} ${parts.version}\r\n${lines.join('')}\r\n${parts.body}`;
			return { text, label: `${spec.method} ${spec.target} ${spec.version} [${spec.mutations}]` };
		});

/** Several requests, then `last` (a whole head), cut into writes at random points. */
const streamArbitrary = (last: string, mutations = Object.keys(MUTATIONS)) =>
	fc
		.record({
			requests: fc.array(requestArbitrary(mutations), { minLength: 1, maxLength: 5 }),
			cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
		})
		.map(({ requests, cuts }) => {
			const bytes = Buffer.from(requests.map((request) => request.text).join('') + last, 'latin1');
			const points = [...new Set(cuts.map((cut) => Math.floor(cut * bytes.length)))].sort(
				(a, b) => a - b,
			);
			const chunks: Buffer[] = [];
			let at = 0;
			for (const point of [...points, bytes.length]) {
				if (point > at) chunks.push(bytes.subarray(at, point));
				at = Math.max(at, point);
			}
			const labels = requests.map((request) => request.label);
			const shown = `${labels.join(' | ')} cut at ${points.join(',')}`;
			return { chunks, labels, [fc.toStringMethod]: () => shown };
		});

describe('the hot connection layer', () => {
	let layered: Stack;
	let reference: Stack;
	before(async () => {
		layered = await startStack({ settledClientErrors: true });
		reference = await startStack({ layered: false, settledClientErrors: true });
	});
	after(async () => {
		await layered.close();
		await reference.close();
	});

	it('answers any byte stream exactly as node:http alone does (differential fuzz)', async () => {
		await fc.assert(
			fc.asyncProperty(
				streamArbitrary(hotRequest({ target: CHECKPOINT })),
				async ({ chunks, labels }) => {
					const [withLayer, alone] = await Promise.all([
						exchange(layered.port, chunks),
						exchange(reference.port, chunks),
					]);
					assertSameAnswers(withLayer, alone, labels.join(' | '));
					assert.ok(alone.responses.length > 0 || alone.reset, 'the reference answered');
				},
			),
			{ numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
		);
	});

	it('answers as node:http alone does when every file must be read first (fuzz)', async () => {
		const files = memoryFiles('deferred');
		files.release();
		const withLayer = await startStack({ files, settledClientErrors: true });
		const alone = await startStack({ files, layered: false, settledClientErrors: true });
		// `node:http` drops answers still being made when the client ends, so nothing half-closes:
		// each stream ends in a request that closes the connection, and no request is left
		// waiting for a body that never comes (nor is an upgrade, after which `node:http` reads
		// nothing more and the connection waits for its keep-alive timeout).
		const waiting = [
			'Content-Length without its body',
			'chunked without a body',
			'Connection: upgrade',
		];
		const complete = Object.keys(MUTATIONS).filter((name) => !waiting.includes(name));
		try {
			await fc.assert(
				fc.asyncProperty(streamArbitrary(CLOSE_LAST, complete), async ({ chunks, labels }) => {
					const options = { halfClose: false };
					const [layered, reference] = await Promise.all([
						exchange(withLayer.port, chunks, options),
						exchange(alone.port, chunks, options),
					]);
					assertSameAnswers(layered, reference, labels.join(' | '));
				}),
				{ numRuns: Math.ceil(Number(process.env.FUZZ_RUNS ?? 150) / 2) },
			);
		} finally {
			await withLayer.close();
			await alone.close();
		}
	});

	it('answers a hot request itself, with the bytes and headers of node:http', async () => {
		const hot = hotRequest({ headers: [HOST, ['If-None-Match', '"other"']] });
		const [withLayer, alone] = await Promise.all([
			exchange(layered.port, [Buffer.from(hot)]),
			exchange(reference.port, [Buffer.from(hot)]),
		]);
		assertSameAnswers(withLayer, alone, 'a 200');
		const [answer] = withLayer.responses;
		assert.ok(answer !== undefined);
		assert.equal(answer.status, 200);
		assert.equal(answer.body.toString(), TIMESTAMP_TEXT);
		for (const [name, value] of Object.entries(SECURITY_HEADERS)) {
			assert.equal(headerOf(answer, name.toLowerCase()), value, name);
		}
		// `node:http` always says `Connection`; the layer never does: the layer answered.
		assert.equal(headerOf(answer, 'connection'), undefined);
		assert.equal(headerOf(alone.responses[0] as RawResponse, 'connection'), 'keep-alive');
	});
});

describe('the hot connection layer under attack', () => {
	it('never answers a request smuggled in a body', async () => {
		const layered = await startStack({ app: countingApp });
		const reference = await startStack({ layered: false, app: countingApp });
		try {
			const inner = hotRequest({ target: CHECKPOINT });
			const attempts = [
				hotRequest({ headers: [HOST, ['Content-Length', String(inner.length)]] }) + inner,
				`${hotRequest({ headers: [HOST, ['Transfer-Encoding', 'chunked']] })}${inner.length.toString(16)}\r\n${inner}\r\n0\r\n\r\n`,
				hotRequest({ headers: [HOST, ['Transfer-Encoding', 'chunked'], ['Content-Length', '3']] }) +
					`0\r\n\r\n${inner}`,
				hotRequest({ headers: [HOST, ['Content-Length', String(inner.length)], HOST] }) + inner,
			];
			for (const attempt of attempts) {
				const bytes = [Buffer.from(attempt + CLOSE_LAST, 'latin1')];
				const options = { halfClose: false };
				const [withLayer, alone] = await Promise.all([
					exchange(layered.port, bytes, options),
					exchange(reference.port, bytes, options),
				]);
				assertSameAnswers(withLayer, alone, attempt);
				assert.ok(
					withLayer.responses.every((response) => answeredBy(response) !== 'layer'),
					'nothing answered by the layer',
				);
				assert.ok(
					!withLayer.responses.some((r) => r.body.toString() === 'vouch\n12\nroot\n'),
					'the inner request is never answered',
				);
			}
			// The plain case, spelled out: the app read the inner request as the body.
			const smuggled = await exchange(layered.port, [Buffer.from(attempts[0] + CLOSE_LAST)], {
				halfClose: false,
			});
			assert.deepEqual(
				smuggled.responses.map((r) => r.body.toString()),
				[`GET ${TIMESTAMP} read=${inner.length}`, 'GET /last read=0'],
			);
		} finally {
			await layered.close();
			await reference.close();
		}
	});

	it('refuses at once a header line of spaces that ends in a bad byte', async () => {
		// Before the header check was linear, this one request held the event loop for minutes
		// (the test would not finish); node:http refuses it as fast as any other.
		const layered = await startStack({ settledClientErrors: true });
		const reference = await startStack({ layered: false, settledClientErrors: true });
		try {
			for (const bad of ['\x7f', '\x00', '\r']) {
				const head = hotRequest({ headers: [HOST, ['X-Spaces', `${' '.repeat(8000)}${bad}x`]] });
				const bytes = [Buffer.from(head + hotRequest(), 'latin1')];
				const [withLayer, alone] = await Promise.all([
					exchange(layered.port, bytes),
					exchange(reference.port, bytes),
				]);
				assertSameAnswers(withLayer, alone, JSON.stringify(bad));
				assert.ok(withLayer.responses.every((r) => r.status === 400));
			}
		} finally {
			await layered.close();
			await reference.close();
		}
	});

	it('answers no head longer than the server itself takes (its maxHeaderSize)', async () => {
		const layered = await startStack({ maxHeaderSize: 1024, settledClientErrors: true });
		const reference = await startStack({
			layered: false,
			maxHeaderSize: 1024,
			settledClientErrors: true,
		});
		try {
			const base = hotRequest({ headers: [HOST, ['X-Pad', '']] }).length;
			for (const size of [900, 1000, 1019, 1020, 1024, 1100, 2000]) {
				const head = hotRequest({ headers: [HOST, ['X-Pad', 'p'.repeat(size - base)]] });
				const bytes = [Buffer.from(head)];
				const [withLayer, alone] = await Promise.all([
					exchange(layered.port, bytes),
					exchange(reference.port, bytes),
				]);
				assertSameAnswers(withLayer, alone, `a head of ${size} bytes`);
				assert.equal(withLayer.responses.length, alone.responses.length, `${size}: as many`);
				if (size > 1100)
					assert.deepEqual(
						alone.responses.map((r) => r.status),
						[431],
					);
			}
		} finally {
			await layered.close();
			await reference.close();
		}
	});

	it('answers Expect: 100-continue as node:http does, by handing it on', async () => {
		const layered = await startStack({ app: countingApp });
		const reference = await startStack({ layered: false, app: countingApp });
		try {
			const bytes = [
				Buffer.from(
					hotRequest({ headers: [HOST, ['Expect', '100-continue'], ['Content-Length', '2']] }),
				),
				Buffer.from('ok'),
			];
			const [withLayer, alone] = await Promise.all([
				exchange(layered.port, bytes),
				exchange(reference.port, bytes),
			]);
			assertSameAnswers(withLayer, alone, '100-continue');
			assert.deepEqual(
				withLayer.responses.map((r) => r.status),
				[100, 200],
			);
		} finally {
			await layered.close();
			await reference.close();
		}
	});
});

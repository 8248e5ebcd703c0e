/**
 * The connection layer in front of `node:http`, attacked over real sockets on 127.0.0.1 with
 * raw bytes. The main check is differential: whatever bytes a client sends, split however it
 * likes, the layered server must answer exactly as the same server without the layer does
 * (status, headers but the ones `node:http` adds per connection, body, in order). Then the
 * layer's own bounds: pipelining, a client that does not read, slow and partial heads, file
 * reads that wait or fail, closing, and the proxy's forwarded address.
 *
 * No database: the layer and the hot path ask only the file cache (`RepoFileCache`), so an
 * in-memory cache stands in for it (`hot-stack.ts`); the database side is the cache's tests'.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import fc from 'fast-check';
import { SECURITY_HEADERS } from '../../src/http/security-headers.ts';
import {
	CHECKPOINT,
	hotRequest,
	type Stack,
	startStack,
	TIMESTAMP,
	TIMESTAMP_ETAG,
	TIMESTAMP_TEXT,
} from './hot-stack.ts';
import { type Exchange, exchange, headerOf, type RawResponse } from './raw-http.ts';

/** What must match: everything but what `node:http` adds per connection. */
function comparable(response: RawResponse) {
	return {
		status: response.status,
		headers: response.headers
			.filter(([name]) => !['date', 'connection', 'keep-alive'].includes(name))
			.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)),
		body: response.body.toString('latin1'),
	};
}

/**
 * Whether `node:http` says its closing error (a 400, 417 or 431 it writes itself, never through
 * the listener) depends on whether an answer of its own is still in flight when it meets the
 * bad bytes, which depends on how the bytes reached its parser: a connection handed on by the
 * layer feeds it through the socket's stream, one `node:http` took itself feeds it natively. So
 * a last bodiless error with `Connection: close` is not compared; every answer before it is.
 */
function withoutClosingError(responses: RawResponse[]): RawResponse[] {
	const last = responses.at(-1);
	const closingError =
		last !== undefined &&
		last.status >= 400 &&
		headerOf(last, 'connection') === 'close' &&
		headerOf(last, 'x-answered-by') === undefined &&
		last.body.length === 0;
	return closingError ? responses.slice(0, -1) : responses;
}

function assertSameAnswers(withLayer: Exchange, alone: Exchange, what: string): void {
	const layered = { ...withLayer, responses: withoutClosingError(withLayer.responses) };
	const reference = { ...alone, responses: withoutClosingError(alone.responses) };
	if (layered.reset || reference.reset) {
		// A server that closes with unread bytes resets the connection, and the last answer may
		// be lost on either side: compare what both got.
		const common = Math.min(layered.responses.length, reference.responses.length);
		assert.deepEqual(
			layered.responses.slice(0, common).map(comparable),
			reference.responses.slice(0, common).map(comparable),
			what,
		);
		return;
	}
	assert.equal(layered.rest.length, 0, `${what}: a partial response`);
	assert.equal(reference.rest.length, 0, `${what}: a partial response (reference)`);
	assert.deepEqual(layered.responses.map(comparable), reference.responses.map(comparable), what);
}

const HOST: [string, string] = ['Host', 'registry.test'];

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
};

const requestArbitrary = fc
	.record({
		method: fc.constantFrom(...['GET', 'GET', 'GET', 'GET', 'GET', 'GET', 'HEAD', 'HEAD'], ...['POST', 'get', 'OPTIONS', 'GET ']),
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
		ifNoneMatch: fc.option(fc.constantFrom(TIMESTAMP_ETAG, `W/${TIMESTAMP_ETAG}`, '"other"', '*')),
		mutations: fc.array(fc.constantFrom(...Object.keys(MUTATIONS)), { maxLength: 2 }),
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

/** Several requests, the last one always a whole head, cut into writes at random points. */
const streamArbitrary = fc
	.record({
		requests: fc.array(requestArbitrary, { minLength: 1, maxLength: 5 }),
		cuts: fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 4 }),
	})
	.map(({ requests, cuts }) => {
		const bytes = Buffer.from(
			requests.map((request) => request.text).join('') + hotRequest({ target: CHECKPOINT }),
			'latin1',
		);
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
			fc.asyncProperty(streamArbitrary, async ({ chunks, labels }) => {
				const [withLayer, alone] = await Promise.all([
					exchange(layered.port, chunks),
					exchange(reference.port, chunks),
				]);
				assertSameAnswers(withLayer, alone, labels.join(' | '));
				assert.ok(alone.responses.length > 0 || alone.reset, 'the reference answered');
			}),
			{ numRuns: Number(process.env.FUZZ_RUNS ?? 150) },
		);
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

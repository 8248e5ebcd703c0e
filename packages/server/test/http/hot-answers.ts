/**
 * How the tests of the connection layer compare answers and tell who gave them: the layer,
 * the hot path behind `node:http`, the app, or `node:http` itself.
 */
import assert from 'node:assert/strict';
import { hotRequest } from './hot-stack.ts';
import { type Exchange, headerOf, type RawResponse } from './raw-http.ts';

export const HOST: [string, string] = ['Host', 'registry.test'];
/** A last request that closes the connection once everything before it is answered. */
export const CLOSE_LAST = hotRequest({ target: '/last', headers: [HOST, ['Connection', 'close']] });

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

export function assertSameAnswers(withLayer: Exchange, alone: Exchange, what: string): void {
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

/** Who answered: the layer never says `Connection`; `node:http` always does. */
export function answeredBy(
	response: RawResponse | undefined,
): 'layer' | 'hot path' | 'app' | 'node' {
	assert.ok(response !== undefined, 'an answer');
	if (headerOf(response, 'x-answered-by') === 'app') return 'app';
	if (headerOf(response, 'etag') === undefined) return 'node';
	return headerOf(response, 'connection') === undefined ? 'layer' : 'hot path';
}

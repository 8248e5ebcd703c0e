import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { describeNetworkFailure } from '../../src/core/network-failure.ts';

/** The shape undici gives: TypeError('fetch failed') with the system error as its cause. */
function fetchFailed(cause: unknown): TypeError {
	return new TypeError('fetch failed', { cause });
}

function systemError(code: string): Error {
	return Object.assign(new Error(`${code} something`), { code });
}

const context = { url: 'https://registry.example.org/plugins.toml', what: 'the registry' };

describe('describeNetworkFailure', () => {
	it('unwraps the system error behind "fetch failed"', () => {
		const cases: [string, string, RegExp][] = [
			['ECONNREFUSED', 'connection-refused', /connection refused/],
			['ENOTFOUND', 'host-not-found', /no such host/],
			['EAI_AGAIN', 'host-not-found', /no such host/],
			['ETIMEDOUT', 'timed-out', /no answer in time/],
			['UND_ERR_CONNECT_TIMEOUT', 'timed-out', /no answer in time/],
			['ECONNRESET', 'connection-reset', /cut/],
			['EHOSTUNREACH', 'unreachable', /cannot reach/],
			['CERT_HAS_EXPIRED', 'certificate', /certificate .*CERT_HAS_EXPIRED/],
			['DEPTH_ZERO_SELF_SIGNED_CERT', 'certificate', /certificate/],
			['ERR_TLS_CERT_ALTNAME_INVALID', 'certificate', /certificate/],
		];
		for (const [code, cause, reason] of cases) {
			const failure = describeNetworkFailure(fetchFailed(systemError(code)), context);
			assert.equal(failure.cause, cause, code);
			assert.match(failure.reason, /^could not reach registry\.example\.org: /, code);
			assert.match(failure.reason, reason, code);
			assert.equal(failure.systemCode, code);
		}
	});

	it('reads the first error of an AggregateError (one per address tried)', () => {
		const aggregate = new AggregateError([
			systemError('ECONNREFUSED'),
			systemError('ECONNREFUSED'),
		]);
		assert.equal(
			describeNetworkFailure(fetchFailed(aggregate), context).cause,
			'connection-refused',
		);
	});

	it('a stop by the time bound is a timeout whatever the error says', () => {
		const failure = describeNetworkFailure(new DOMException('aborted', 'AbortError'), {
			...context,
			timedOut: true,
		});
		assert.equal(failure.cause, 'timed-out');
	});

	it('hints go to the person who can act', () => {
		const user = describeNetworkFailure(fetchFailed(systemError('ENOTFOUND')), context);
		assert.match(user.hint, /Check the address/);
		assert.doesNotMatch(user.hint, /maintainer/);
		const server = describeNetworkFailure(fetchFailed(systemError('CERT_HAS_EXPIRED')), context);
		assert.match(server.hint, /the registry's maintainer/);
		assert.match(describeNetworkFailure(undefined, { ...context, status: 500 }).hint, /maintainer/);
		assert.match(
			describeNetworkFailure(undefined, { ...context, status: 404 }).hint,
			/Check the address/,
		);
	});

	it('an unknown failure keeps its innermost message, sanitised', () => {
		const failure = describeNetworkFailure(fetchFailed(new Error('odd \u001b[31mthing')), context);
		assert.equal(failure.cause, 'other');
		assert.match(failure.reason, /odd/);
		assert.ok(!failure.reason.includes('\u001b'));
	});

	it('never shows credentials from the URL', () => {
		const failure = describeNetworkFailure(fetchFailed(systemError('ECONNREFUSED')), {
			url: 'https://user:secret@registry.example.org/x',
			what: 'the registry',
		});
		assert.doesNotMatch(`${failure.reason} ${failure.hint}`, /secret/);
	});
});

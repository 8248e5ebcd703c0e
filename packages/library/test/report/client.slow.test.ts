/**
 * The report client against a real HTTP server on 127.0.0.1 that parses reports with the
 * library's own contract. A well-behaved service gives a receipt and a status; a hostile or
 * broken one (huge answers, markup and escapes in its message, silence, redirects, HTML pages,
 * wrong shapes) gives a closed error code, never a hang, a crash or raw text on a terminal.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
	hasCode,
	isVouchError,
	reportStatus,
	sendReport,
	type VouchError,
} from '../../src/index.ts';
import { MAX_ANSWER_BYTES } from '../../src/report/exchange.ts';
import type { ReportRequest } from '../../src/report/report-schema.ts';
import { json, type ReportService, startReportService } from '../helpers/report-service.ts';

const REPORT: ReportRequest = {
	plugin: { id: 'alpha', uuid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d', trust: 'community' },
	host: { profile: 'picard', version: 'vouch 0.1.0' },
	kind: 'malware',
	details: 'It uploads ~/.ssh on start.\nSee the evidence.',
	evidence: [{ commit: 'a'.repeat(40), path: 'plugin/__init__.py', line: 12 }],
};

let service: ReportService;
const deps = { fetch: globalThis.fetch };

async function failure(promise: Promise<unknown>): Promise<VouchError> {
	try {
		await promise;
	} catch (error) {
		assert.ok(isVouchError(error), `expected a VouchError, got ${String(error)}`);
		return error;
	}
	assert.fail('expected the call to fail');
}

describe('sendReport and reportStatus', () => {
	before(async () => {
		service = await startReportService();
	});
	after(() => service?.close());
	beforeEach(() => {
		service.requests.length = 0;
		service.misbehave = undefined;
	});

	it('posts the report, which the service parses with the same contract, and returns the receipt', async () => {
		const receipt = await sendReport(service.url, REPORT, deps);
		assert.equal(service.requests.length, 1);
		const [request] = service.requests;
		assert.equal(request?.method, 'POST');
		assert.equal(request?.path, '/api/v1/reports');
		assert.equal(request?.authorization, undefined, 'anonymous unless a token is given');
		assert.deepEqual(request?.report, REPORT);
		assert.match(receipt.token, /^[A-Za-z0-9_-]{43}$/);
		assert.equal(service.tokens.get(receipt.token), receipt.reportId);

		const status = await reportStatus(service.url, receipt.token, deps);
		assert.equal(status.reportId, receipt.reportId);
		assert.equal(status.incident.state, 'investigating');
		assert.equal(service.requests[1]?.authorization, `Bearer ${receipt.token}`);
	});

	it('keeps the service base path and sends an account token only when given one', async () => {
		const seen: string[] = [];
		service.misbehave = (request) => {
			seen.push(`${request.path} ${request.authorization}`);
			return false;
		};
		await assert.rejects(
			sendReport(`${service.url}prefix`, REPORT, {
				...deps,
				accountToken: 'acct-token-0123456789',
			}),
			(error) => hasCode(error, 'REPORT_REJECTED'),
		);
		assert.deepEqual(seen, ['/prefix/api/v1/reports Bearer acct-token-0123456789']);
		const header = await failure(
			sendReport(service.url, REPORT, { ...deps, accountToken: 'bad\r\nX-Injected: 1' }),
		);
		assert.equal(header.code, 'REPORT_INVALID');
	});

	it('refuses a report that fails the contract before sending anything', async () => {
		for (const bad of [
			{ ...REPORT, details: 'hidden \u001b[2J escape' },
			{ ...REPORT, plugin: {} },
			{ ...REPORT, evidence: [{ path: '../../etc/passwd' }] },
			{ ...REPORT, evidence: [{ url: 'http://example.com/x' }] },
			{ ...REPORT, details: 'x'.repeat(5000) },
			{ ...REPORT, kind: 'spam' as never },
		]) {
			const error = await failure(sendReport(service.url, bad, deps));
			assert.equal(error.code, 'REPORT_INVALID', JSON.stringify(bad).slice(0, 200));
		}
		assert.equal(service.requests.length, 0);
	});

	it('refuses a service address that is not https or loopback http, sending nothing', async () => {
		for (const url of [
			'http://example.com/',
			'http://127.0.0.1.nip.io/',
			'http://localhost.evil.test/',
			'file:///tmp/service',
			'ftp://example.com/',
			'https://user:secret@example.com/',
			'not a url',
		]) {
			const error = await failure(sendReport(url, REPORT, deps));
			assert.equal(error.code, 'REPORT_SERVICE_URL_INVALID', url);
			assert.doesNotMatch(error.message, /secret/);
		}
		assert.equal((await failure(sendReport(undefined, REPORT, deps))).code, 'REPORT_NO_SERVICE');
		assert.equal((await failure(sendReport('  ', REPORT, deps))).code, 'REPORT_NO_SERVICE');
		assert.equal(service.requests.length, 0);
	});

	it('reads at most 64 KiB of an answer, with or without a declared length', async () => {
		const huge = `{"reportId":1,"pad":"${'x'.repeat(MAX_ANSWER_BYTES)}"}`;
		service.misbehave = (_request, response) => {
			response.writeHead(201, { 'content-type': 'application/json' });
			response.end(huge);
			return true;
		};
		assert.equal((await failure(sendReport(service.url, REPORT, deps))).code, 'REPORT_BAD_ANSWER');
		service.misbehave = (_request, response) => {
			// No content-length: the body arrives in chunks and is cut off while read.
			response.writeHead(201, { 'content-type': 'application/json' });
			for (let i = 0; i < 40; i++) response.write('x'.repeat(4096));
			response.end();
			return true;
		};
		assert.equal((await failure(sendReport(service.url, REPORT, deps))).code, 'REPORT_BAD_ANSWER');
	});

	it('shows the service’s refusal without markup, escapes or control characters', async () => {
		service.misbehave = (_request, response) => {
			json(response, 422, {
				error: {
					code: 'INVALID\u001b[31m',
					message:
						'<script>alert(1)</script>Bad \u001b]8;;https://evil.test\u0007link\u001b]8;;\u0007 field\r\nX: y\u202e',
					hint: '<b>Fix</b> the \u0007details',
				},
			});
			return true;
		};
		const error = await failure(sendReport(service.url, REPORT, deps));
		assert.equal(error.code, 'REPORT_REJECTED');
		for (const text of [error.message, error.hint ?? '']) {
			// biome-ignore lint/suspicious/noControlCharactersInRegex: what must not survive.
			assert.doesNotMatch(text, /[\u0000-\u001f\u007f-\u009f\u202e]|<|>/);
		}
		assert.match(error.message, /\(HTTP 422\): alert\(1\) Bad link field X: y\ufffd\.$/);
		assert.match(error.hint ?? '', /^Fix the details$/);
	});

	it('does not show an HTML error page, only its status', async () => {
		service.misbehave = (_request, response) => {
			response.writeHead(403, { 'content-type': 'text/html' });
			response.end('<html><body><h1>Forbidden by \u001b[5mproxy</h1></body></html>');
			return true;
		};
		const error = await failure(sendReport(service.url, REPORT, deps));
		assert.equal(error.code, 'REPORT_REJECTED');
		assert.doesNotMatch(error.message, /html|proxy|Forbidden/i);
		assert.match(error.message, /HTTP 403/);
	});

	it('says when to try again after a 429, and names a server failure', async () => {
		service.misbehave = (_request, response) => {
			response.setHeader('retry-after', '30');
			json(response, 429, { error: { code: 'RATE_LIMITED', message: 'Too many reports.' } });
			return true;
		};
		const limited = await failure(sendReport(service.url, REPORT, deps));
		assert.equal(limited.code, 'REPORT_RATE_LIMITED');
		assert.match(limited.hint ?? '', /30 seconds/);
		service.misbehave = (_request, response) => {
			response.writeHead(503).end('down');
			return true;
		};
		assert.equal(
			(await failure(sendReport(service.url, REPORT, deps))).code,
			'REPORT_SERVICE_ERROR',
		);
	});

	it('never follows a redirect: the report reaches only the address given', async () => {
		const elsewhere = await startReportService();
		try {
			service.misbehave = (_request, response) => {
				response.writeHead(307, { location: `${elsewhere.url}api/v1/reports` }).end();
				return true;
			};
			const error = await failure(sendReport(service.url, REPORT, deps));
			assert.equal(error.code, 'REPORT_REDIRECTED');
			assert.equal(service.requests.length, 1);
			assert.equal(elsewhere.requests.length, 0, 'the redirect target got nothing');
		} finally {
			await elsewhere.close();
		}
	});

	it('refuses an answer that is not JSON, not UTF-8 or not a receipt', async () => {
		const answers: Array<[string | Buffer, string]> = [
			['<html>ok</html>', 'text/html'],
			[Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'application/json'],
			[
				JSON.stringify({ reportId: 1, incidentId: 1, token: 'short', statusUrl: 'x' }),
				'application/json',
			],
			[
				JSON.stringify({
					reportId: 1,
					incidentId: 1,
					token: 'a'.repeat(43),
					statusUrl: 'x',
					extra: 1,
				}),
				'application/json',
			],
			['', 'application/json'],
		];
		for (const [body, type] of answers) {
			service.misbehave = (_request, response) => {
				response.writeHead(201, { 'content-type': type });
				response.end(body);
				return true;
			};
			const error = await failure(sendReport(service.url, REPORT, deps));
			assert.equal(error.code, 'REPORT_BAD_ANSWER', String(body).slice(0, 80));
		}
	});

	it('gives up on a service that does not answer in time, headers or body', async () => {
		service.misbehave = () => true; // never answers
		const silent = await failure(sendReport(service.url, REPORT, { ...deps, timeoutMs: 300 }));
		assert.equal(silent.code, 'REPORT_TIMEOUT');
		service.misbehave = (_request, response) => {
			response.writeHead(201, { 'content-type': 'application/json' });
			response.write('{"reportId":');
			return true; // the body never ends
		};
		const stalled = await failure(sendReport(service.url, REPORT, { ...deps, timeoutMs: 300 }));
		assert.equal(stalled.code, 'REPORT_TIMEOUT');
	});

	it('names a service that is not there', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		const error = await failure(sendReport(`http://127.0.0.1:${port}/`, REPORT, deps));
		assert.equal(error.code, 'REPORT_NETWORK');
		assert.match(error.message, /connection refused/);
	});

	it('status: refuses a malformed token before sending, and names an unknown one', async () => {
		for (const token of [
			'',
			'short',
			`${'a'.repeat(42)}\n`,
			`${'a'.repeat(42)}!`,
			'a'.repeat(44),
		]) {
			assert.equal((await failure(reportStatus(service.url, token, deps))).code, 'REPORT_INVALID');
		}
		assert.equal(service.requests.length, 0);
		const unknown = await failure(reportStatus(service.url, 'b'.repeat(43), deps));
		assert.equal(unknown.code, 'REPORT_TOKEN_UNKNOWN');
	});
});

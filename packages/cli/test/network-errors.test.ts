/**
 * Network failures name their cause and a hint for whoever can act, instead of "fetch failed".
 * Real servers on 127.0.0.1: one that answers 503, and a port nobody listens on.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { type CliRun, parseJson, runVouch } from './helpers/cli.ts';

interface JsonError {
	code: string;
	message: string;
	hint?: string;
	details?: { failures?: { code: string; message: string }[] };
}

const jsonError = (run: CliRun) => parseJson(run).error as JsonError;

function listen(server: Server): Promise<number> {
	return new Promise((resolve) => {
		server.listen(0, '127.0.0.1', () => resolve((server.address() as AddressInfo).port));
	});
}

/** A port that was free a moment ago: nothing listens there. */
async function closedPort(): Promise<number> {
	const server = createServer();
	const port = await listen(server);
	await new Promise((resolve) => server.close(resolve));
	return port;
}

describe('network errors', () => {
	let failing: Server;
	let failingPort: number;
	before(async () => {
		failing = createServer((_request, response) => {
			response.writeHead(503).end('down for maintenance');
		});
		failingPort = await listen(failing);
	});
	after(() => new Promise<void>((resolve) => failing.close(() => resolve())));

	const vouch = (args: string[]) => runVouch(args, { fetch: globalThis.fetch });

	it('a refused connection says so, and the hint speaks to the user', async () => {
		const port = await closedPort();
		const run = await vouch([
			'browse',
			'--registry',
			`http://127.0.0.1:${port}/plugins.toml`,
			'--json',
		]);
		assert.equal(run.code, 1);
		const error = jsonError(run);
		assert.equal(error.code, 'NO_REGISTRY_AVAILABLE');
		assert.match(
			error.message,
			new RegExp(`could not reach 127\\.0\\.0\\.1:${port}: connection refused`),
		);
		assert.doesNotMatch(error.message, /fetch failed/);
		assert.match(error.hint ?? '', /Nothing is listening at 127\.0\.0\.1/);
		assert.equal(error.details?.failures?.[0]?.code, 'REGISTRY_FETCH_FAILED');
	});

	it('a server error names the status and sends the user to the maintainer if it lasts', async () => {
		const run = await vouch([
			'refresh',
			'--registry',
			`http://127.0.0.1:${failingPort}/plugins.toml`,
			'--json',
		]);
		assert.equal(run.code, 1);
		const error = jsonError(run);
		assert.match(error.message, /answered HTTP 503 \(server error\)/);
		assert.match(error.hint ?? '', /try again later.*maintainer/);
	});

	it('the human output is one cause line and one hint, without a stack', async () => {
		const port = await closedPort();
		const run = await vouch(['search', 'x', '--registry', `http://127.0.0.1:${port}/p.toml`]);
		assert.equal(run.code, 1);
		const lines = run.stderr.trim().split('\n');
		assert.equal(lines.length, 2, run.stderr);
		assert.match(lines[0] ?? '', /connection refused/);
		assert.match(lines[1] ?? '', /^\s+hint: /);
	});
});

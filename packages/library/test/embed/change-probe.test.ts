/**
 * The change probe leans towards "changed" whenever its answer is not a real comparison: a
 * server (or a cache in front of it) that answers 304 to every request, a redirect, a body too
 * large to compare. A change hidden by the probe would keep a block away from hosts until the
 * next full round.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { changeProbeFor } from '../../src/embed/change-probe.ts';

type Answer = (headers: IncomingHttpHeaders) => {
	status: number;
	headers?: Record<string, string>;
	body?: string;
};

async function serve(answer: Answer) {
	const seen: IncomingHttpHeaders[] = [];
	const server = createServer((request, response) => {
		seen.push(request.headers);
		const reply = answer(request.headers);
		response.writeHead(reply.status, reply.headers ?? {});
		response.end(reply.body ?? '');
	});
	await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
	const { port } = server.address() as AddressInfo;
	return {
		url: `http://127.0.0.1:${port}/registry.toml`,
		seen,
		close: () =>
			new Promise<void>((resolve) => {
				server.closeAllConnections();
				server.close(() => resolve());
			}),
	};
}

function probeOf(url: string) {
	const probe = changeProbeFor({ source: url, signed: false, fetch, cwd: process.cwd() });
	assert.ok(probe !== undefined);
	return probe;
}

describe('change probe', () => {
	it('a 304 to a request that sent no ETag is not "unchanged"', async () => {
		const server = await serve(() => ({ status: 304 }));
		try {
			const probe = probeOf(server.url);
			const first = await probe.check();
			assert.equal(server.seen[0]?.['if-none-match'], undefined);
			assert.equal(first.changed, true);
			first.accept();
			// Still nothing was compared: every poll asks for the refresh.
			assert.equal((await probe.check()).changed, true);
		} finally {
			await server.close();
		}
	});

	it('a 304 against the ETag sent is unchanged; a redirect is changed', async () => {
		let redirect = false;
		const server = await serve((headers) =>
			redirect
				? { status: 302, headers: { location: 'http://127.0.0.1:1/elsewhere' } }
				: headers['if-none-match'] === '"v1"'
					? { status: 304 }
					: { status: 200, headers: { etag: '"v1"' }, body: 'x' },
		);
		try {
			const probe = probeOf(server.url);
			const first = await probe.check();
			assert.equal(first.changed, true);
			first.accept();
			const second = await probe.check();
			assert.equal(server.seen[1]?.['if-none-match'], '"v1"');
			assert.equal(second.changed, false);
			redirect = true;
			assert.equal((await probe.check()).changed, true);
		} finally {
			await server.close();
		}
	});
});

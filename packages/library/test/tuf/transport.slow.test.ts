/**
 * The client's transport: which URLs it will read, what a missing file, a server error, a
 * silent server or an oversized answer become, and the trusted root it starts from.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { createTufVerifier, type TufVerifierOptions } from '../../src/tuf/client/verifier.ts';
import { makeFixture, rejectsCode, type TufFixture } from './helpers.ts';

let fixture: TufFixture;
beforeEach(async () => {
	fixture = await makeFixture();
});
afterEach(async () => {
	await fixture.close();
});

/** A fetch that records every URL it is asked for, then does the real request. */
function recordingFetch(seen: string[]): typeof fetch {
	return (input, init) => {
		seen.push(String(input));
		return fetch(input, init);
	};
}

function verifier(overrides: Partial<TufVerifierOptions>) {
	return createTufVerifier({
		trustedRootPath: join(fixture.repoDir, 'metadata', '1.root.json'),
		metadataDir: join(fixture.dir, 'transport', 'metadata'),
		targetsDir: join(fixture.dir, 'transport', 'targets'),
		repositoryUrl: fixture.server.base,
		...overrides,
	});
}

describe('URLs', () => {
	it('refuses plain http off the loopback before sending anything', async () => {
		const seen: string[] = [];
		const client = verifier({
			repositoryUrl: 'http://registry.example/',
			fetch: recordingFetch(seen),
		});
		await rejectsCode(client.refresh(), 'TUF_INSECURE_URL');
		assert.deepEqual(seen, []);
	});

	it('refuses schemes other than https, loopback http and file://', async () => {
		await rejectsCode(
			verifier({ repositoryUrl: 'ftp://registry.example/' }).refresh(),
			'TUF_UNSUPPORTED_URL',
		);
	});

	it('follows a redirect on the loopback', async () => {
		const timestamp = fixture.file('metadata/timestamp.json');
		fixture.server.override('/metadata/timestamp.json', { redirect: '/moved/timestamp.json' });
		fixture.server.override('/moved/timestamp.json', { body: timestamp });
		assert.equal((await verifier({}).refresh()).versions.timestamp, 1);
		assert.ok(fixture.server.requests.includes('/moved/timestamp.json'));
	});

	it('refuses a redirect to plain http off the loopback without following it', async () => {
		const seen: string[] = [];
		fixture.server.override('/metadata/timestamp.json', {
			redirect: 'http://mirror.example/metadata/timestamp.json',
		});
		await rejectsCode(verifier({ fetch: recordingFetch(seen) }).refresh(), 'TUF_INSECURE_URL');
		assert.ok(seen.every((url) => url.startsWith(fixture.server.base)));
	});
});

describe('failures', () => {
	it('reports a missing timestamp as not found', async () => {
		fixture.server.override('/metadata/timestamp.json', { status: 404 });
		await rejectsCode(verifier({}).refresh(), 'TUF_NOT_FOUND');
	});

	it('reports a server error as a fetch failure with its status', async () => {
		fixture.server.override('/metadata/timestamp.json', { status: 500 });
		const error = (await rejectsCode(verifier({}).refresh(), 'TUF_FETCH_FAILED')) as Error & {
			details?: Record<string, unknown>;
		};
		assert.equal(error.details?.status, 500);
	});

	it('reports a server error on a snapshot, which tuf-js wraps, as a fetch failure', async () => {
		fixture.server.override('/metadata/1.snapshot.json', { status: 503 });
		await rejectsCode(verifier({}).refresh(), 'TUF_FETCH_FAILED');
	});

	it('gives up on a server that never answers', async () => {
		fixture.server.override('/metadata/timestamp.json', { hang: true });
		await rejectsCode(verifier({ timeoutMs: 300 }).refresh(), 'TUF_TIMEOUT');
	});

	it('gives up on a server that drips every file, each well within the per-request limit', async () => {
		// A mirror in front of the repository that sends each answer a few bytes at a time: no
		// single request is slow enough to time out, but together they would hold a startup
		// check for as long as the server likes.
		const drip = createServer((req, res) => {
			fetch(new URL(req.url ?? '/', fixture.server.base)).then(
				async (upstream) => {
					const bytes = Buffer.from(await upstream.arrayBuffer());
					res.writeHead(upstream.status, { 'content-type': 'application/json' });
					for (let at = 0; at < bytes.length && !res.destroyed; at += 64) {
						res.write(bytes.subarray(at, at + 64));
						await new Promise((resolve) => setTimeout(resolve, 10));
					}
					res.end();
				},
				() => res.writeHead(502).end(),
			);
		});
		await new Promise<void>((resolve) => drip.listen(0, '127.0.0.1', resolve));
		const base = `http://127.0.0.1:${(drip.address() as AddressInfo).port}/`;
		try {
			const error = await rejectsCode(
				verifier({ repositoryUrl: base, refreshTimeoutMs: 200 }).refresh(),
				'TUF_TIMEOUT',
			);
			assert.match(error.message, /refresh/);
		} finally {
			drip.closeAllConnections();
			await new Promise<void>((resolve) => drip.close(() => resolve()));
		}
	});

	it('reports a refused connection as a fetch failure', async () => {
		const server = createServer();
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		const port = (server.address() as AddressInfo).port;
		await new Promise<void>((resolve) => server.close(() => resolve()));
		await rejectsCode(
			verifier({ repositoryUrl: `http://127.0.0.1:${port}/` }).refresh(),
			'TUF_FETCH_FAILED',
		);
	});

	it('refuses a timestamp larger than a client accepts', async () => {
		fixture.server.override('/metadata/timestamp.json', { body: ' '.repeat(64 * 1024) });
		await rejectsCode(verifier({}).refresh(), 'TUF_TOO_LARGE');
	});
});

describe('trusted root', () => {
	it('refuses to start without the shipped root', async () => {
		await rejectsCode(
			verifier({ trustedRootPath: join(fixture.dir, 'missing.json') }).refresh(),
			'TUF_TRUSTED_ROOT_INVALID',
		);
	});

	it('refuses a shipped root that is not a self-signed root', async () => {
		const root = JSON.parse(fixture.file('metadata/1.root.json').toString('utf8'));
		root.signatures = [];
		const path = join(fixture.dir, 'unsigned-root.json');
		writeFileSync(path, JSON.stringify(root));
		await rejectsCode(verifier({ trustedRootPath: path }).refresh(), 'TUF_TRUSTED_ROOT_INVALID');
		await rejectsCode(verifier({ trustedRootPath: path }).loadCached(), 'TUF_TRUSTED_ROOT_INVALID');
	});
});

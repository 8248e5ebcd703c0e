import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { isVouchError } from '../../src/core/errors.ts';
import { readRegistrySource } from '../../src/registry/load.ts';
import { parseRegistryText } from '../../src/registry/parse.ts';
import { UNREACHABLE_MS } from '../helpers/bounds.ts';

async function rejectsCode(promise: Promise<unknown>, code: string): Promise<void> {
	await assert.rejects(promise, (error: unknown) => {
		assert.ok(isVouchError(error), String(error));
		assert.equal(error.code, code);
		return true;
	});
}

describe('readRegistrySource: local files', () => {
	let dir: string;
	before(() => {
		dir = mkdtempSync(join(tmpdir(), 'vouch-'));
		mkdirSync(join(dir, 'sub'));
		writeFileSync(join(dir, 'plugins.toml'), 'api_version = "3.0"\n');
		writeFileSync(join(dir, 'registry.json'), '{"api_version": "3.0"}');
		writeFileSync(join(dir, 'registry'), '{"plugins": []}');
		writeFileSync(join(dir, 'big.toml'), `# ${'x'.repeat(200)}\n`);
		writeFileSync(join(dir, 'latin1.toml'), Buffer.from([0x23, 0x20, 0xe9, 0x0a]));
	});
	after(() => rmSync(dir, { recursive: true, force: true }));

	it('reads a path relative to cwd, with the format from the extension', async () => {
		const source = await readRegistrySource('plugins.toml', { cwd: dir });
		assert.equal(source.text, 'api_version = "3.0"\n');
		assert.equal(source.format, 'toml');
		assert.equal(source.label, join(dir, 'plugins.toml'));
		assert.equal((await readRegistrySource(join(dir, 'registry.json'))).format, 'json');
	});

	it('reads a file:// URL, and leaves the format to sniffing without an extension', async () => {
		const source = await readRegistrySource(pathToFileURL(join(dir, 'registry')).href);
		assert.equal(source.format, undefined);
		assert.equal(parseRegistryText(source.text, { label: source.label }).format, 'json');
	});

	it('always reads a local file in full, whatever validators are given', async () => {
		const source = await readRegistrySource(join(dir, 'plugins.toml'), {
			validators: { etag: '"v1"' },
		});
		assert.equal(source.notModified, undefined);
		assert.equal('text' in source && source.text, 'api_version = "3.0"\n');
	});

	it('expands ~ with the given home', async () => {
		const source = await readRegistrySource('~/plugins.toml', { home: dir });
		assert.equal(source.text, 'api_version = "3.0"\n');
	});

	it('refuses missing files, directories, oversize files and non-UTF-8 text', async () => {
		await rejectsCode(readRegistrySource(join(dir, 'missing.toml')), 'REGISTRY_NOT_FOUND');
		await rejectsCode(readRegistrySource(join(dir, 'sub')), 'REGISTRY_NOT_FOUND');
		await rejectsCode(
			readRegistrySource(join(dir, 'big.toml'), { maxBytes: 100 }),
			'REGISTRY_TOO_LARGE',
		);
		await rejectsCode(readRegistrySource(join(dir, 'latin1.toml')), 'REGISTRY_PARSE_ERROR');
	});

	it('refuses other URL schemes', async () => {
		await rejectsCode(
			readRegistrySource('ftp://example.org/plugins.toml'),
			'UNSUPPORTED_REGISTRY_URL',
		);
	});
});

describe('readRegistrySource: http', () => {
	let server: Server;
	let base: string;
	const routes = new Map<string, (req: IncomingMessage, res: ServerResponse) => void>();
	const conditionalSeen: IncomingMessage['headers'][] = [];

	before(async () => {
		server = createServer((req, res) => {
			const route = routes.get(req.url ?? '');
			if (route) route(req, res);
			else res.writeHead(404).end('not found');
		});
		await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
		base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

		routes.set('/plugins.toml', (_req, res) => {
			res.writeHead(200, { 'content-type': 'text/plain' }).end('api_version = "3.0"\n');
		});
		routes.set('/api/registry', (_req, res) => {
			res
				.writeHead(200, { 'content-type': 'application/json; charset=utf-8' })
				.end('{"plugins": []}');
		});
		routes.set('/unknown-type', (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/octet-stream' }).end('{"plugins": []}');
		});
		routes.set('/broken', (_req, res) => res.writeHead(503).end('down'));
		routes.set('/moved', (_req, res) => res.writeHead(302, { location: '/plugins.toml' }).end());
		routes.set('/to-plain-http', (_req, res) => {
			res.writeHead(302, { location: 'http://registry.example.org/plugins.toml' }).end();
		});
		routes.set('/loop', (_req, res) => res.writeHead(302, { location: '/loop' }).end());
		routes.set('/endless', (_req, res) => {
			// No content-length and no end: only a limit enforced while streaming stops this.
			res.writeHead(200, { 'content-type': 'application/toml' });
			const chunk = `# ${'x'.repeat(1022)}\n`;
			const pump = () => {
				while (!res.destroyed) {
					if (!res.write(chunk)) {
						res.once('drain', pump);
						return;
					}
				}
			};
			res.on('error', () => undefined);
			pump();
		});
		routes.set('/declared-huge', (_req, res) => {
			res.writeHead(200, { 'content-length': String(10 * 1024 * 1024) });
			res.write('# start\n');
			res.on('error', () => undefined);
		});
		routes.set('/slow', (_req, res) => {
			res.writeHead(200, { 'content-type': 'application/toml' });
			res.write('# the rest never comes\n');
			res.on('error', () => undefined);
		});
		routes.set('/silent', () => {
			// Never answers.
		});
		routes.set('/conditional.toml', (req, res) => {
			conditionalSeen.push(req.headers);
			const validators = { etag: '"v2"', 'last-modified': 'Wed, 21 Oct 2026 07:28:00 GMT' };
			if (req.headers['if-none-match'] === '"v1"' || req.headers['if-none-match'] === '"v2"') {
				res.writeHead(304, validators).end();
			} else if (req.headers['if-modified-since'] === validators['last-modified']) {
				res.writeHead(304).end();
			} else {
				res.writeHead(200, validators).end('api_version = "3.0"\n');
			}
		});
		routes.set('/always-304', (_req, res) => res.writeHead(304).end());
	});

	after(async () => {
		server.closeAllConnections();
		await new Promise<void>((resolve) => server.close(() => resolve()));
	});

	it('reads over loopback http, with the format from the path or the content type', async () => {
		const toml = await readRegistrySource(`${base}/plugins.toml`);
		assert.equal(toml.text, 'api_version = "3.0"\n');
		assert.equal(toml.format, 'toml');
		const json = await readRegistrySource(`${base}/api/registry`);
		assert.equal(json.format, 'json');
		const unknown = await readRegistrySource(`${base}/unknown-type`);
		assert.equal(unknown.format, undefined);
	});

	it('follows redirects on allowed transports', async () => {
		const source = await readRegistrySource(`${base}/moved`);
		assert.equal(source.text, 'api_version = "3.0"\n');
	});

	it('refuses a redirect to plain http on another host before connecting', async () => {
		let called = 0;
		const countingFetch: typeof fetch = (input, init) => {
			called++;
			return fetch(input, init);
		};
		await rejectsCode(
			readRegistrySource(`${base}/to-plain-http`, { fetch: countingFetch }),
			'INSECURE_REGISTRY_URL',
		);
		assert.equal(called, 1);
	});

	it('gives up on redirect loops', async () => {
		await rejectsCode(readRegistrySource(`${base}/loop`), 'REGISTRY_FETCH_FAILED');
	});

	it('reports a non-2xx status', async () => {
		await assert.rejects(readRegistrySource(`${base}/broken`), (error: unknown) => {
			assert.ok(isVouchError(error));
			assert.equal(error.code, 'REGISTRY_FETCH_FAILED');
			assert.equal(error.details?.status, 503);
			return true;
		});
	});

	it('stops reading an oversize body while it streams', async () => {
		// A reader that buffered the whole body first would end in a timeout here instead.
		await rejectsCode(
			readRegistrySource(`${base}/endless`, { maxBytes: 64 * 1024, timeoutMs: UNREACHABLE_MS }),
			'REGISTRY_TOO_LARGE',
		);
		await rejectsCode(
			readRegistrySource(`${base}/declared-huge`, { maxBytes: 64 * 1024 }),
			'REGISTRY_TOO_LARGE',
		);
	});

	it('times out on a server that stalls, before or during the body', async () => {
		await rejectsCode(readRegistrySource(`${base}/silent`, { timeoutMs: 200 }), 'REGISTRY_TIMEOUT');
		await rejectsCode(readRegistrySource(`${base}/slow`, { timeoutMs: 200 }), 'REGISTRY_TIMEOUT');
	});

	it('reports a refused connection as a fetch failure', async () => {
		const closed = createServer();
		await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
		const port = (closed.address() as AddressInfo).port;
		await new Promise<void>((resolve) => closed.close(() => resolve()));
		await rejectsCode(
			readRegistrySource(`http://127.0.0.1:${port}/x.toml`),
			'REGISTRY_FETCH_FAILED',
		);
	});

	it('refuses plain http to anything but loopback, without any request', async () => {
		const noFetch: typeof fetch = () => {
			throw new Error('must not be called');
		};
		await rejectsCode(
			readRegistrySource('http://plugins.example.org/plugins.toml', { fetch: noFetch }),
			'INSECURE_REGISTRY_URL',
		);
		await rejectsCode(
			readRegistrySource('http://127.0.0.2/plugins.toml', { fetch: noFetch }),
			'INSECURE_REGISTRY_URL',
		);
	});

	it('reports the validators of a full answer', async () => {
		const source = await readRegistrySource(`${base}/conditional.toml`);
		assert.equal(source.etag, '"v2"');
		assert.equal(source.lastModified, 'Wed, 21 Oct 2026 07:28:00 GMT');
		assert.equal(conditionalSeen.at(-1)?.['if-none-match'], undefined);
	});

	it('sends If-None-Match and If-Modified-Since, and reports a 304 as not modified', async () => {
		const byTag = await readRegistrySource(`${base}/conditional.toml`, {
			validators: { etag: '"v1"', lastModified: 'Tue, 20 Oct 2026 07:28:00 GMT' },
		});
		const sent = conditionalSeen.at(-1);
		assert.equal(sent?.['if-none-match'], '"v1"');
		assert.equal(sent?.['if-modified-since'], 'Tue, 20 Oct 2026 07:28:00 GMT');
		assert.equal(byTag.notModified, true);
		// The server's fresher validators replace the ones sent.
		assert.equal(byTag.etag, '"v2"');
		assert.equal(byTag.lastModified, 'Wed, 21 Oct 2026 07:28:00 GMT');

		// A 304 without validators keeps the ones that were sent.
		const byDate = await readRegistrySource(`${base}/conditional.toml`, {
			validators: { lastModified: 'Wed, 21 Oct 2026 07:28:00 GMT' },
		});
		assert.deepEqual(byDate, {
			notModified: true,
			label: `${base}/conditional.toml`,
			lastModified: 'Wed, 21 Oct 2026 07:28:00 GMT',
		});

		const changed = await readRegistrySource(`${base}/conditional.toml`, {
			validators: { etag: '"v0"' },
		});
		assert.equal(changed.notModified, undefined);
		assert.equal('text' in changed && changed.text, 'api_version = "3.0"\n');
	});

	it('drops validators that are not plain header values instead of sending them', async () => {
		const read = await readRegistrySource(`${base}/conditional.toml`, {
			validators: { etag: '"v1"\r\nx-injected: 1', lastModified: 'x'.repeat(2000) },
		});
		const sent = conditionalSeen.at(-1);
		assert.equal(sent?.['if-none-match'], undefined);
		assert.equal(sent?.['if-modified-since'], undefined);
		assert.equal(sent?.['x-injected'], undefined);
		assert.equal(read.notModified, undefined);
	});

	it('treats a 304 to an unconditional request as a failure', async () => {
		await rejectsCode(readRegistrySource(`${base}/always-304`), 'REGISTRY_FETCH_FAILED');
		await rejectsCode(
			readRegistrySource(`${base}/always-304`, { validators: {} }),
			'REGISTRY_FETCH_FAILED',
		);
	});

	it('redacts credentials from the label', async () => {
		const seen: string[] = [];
		const recording: typeof fetch = async (input) => {
			seen.push(String(input));
			return new Response('api_version = "3.0"', { status: 200 });
		};
		const source = await readRegistrySource(
			'https://user:secret@registry.example.org/plugins.toml',
			{ fetch: recording },
		);
		assert.ok(!source.label.includes('secret'));
		assert.equal(seen.length, 1);
	});
});

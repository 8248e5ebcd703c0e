import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { describe, it } from 'node:test';
import { startService } from '../../src/service.ts';
import { runServer } from '../cli/run-server-cli.ts';
import { forEachEngine } from '../engines.ts';
import { REAL_REGISTRY } from './helpers.ts';

/** A raw request, so the path reaches the server exactly as written (no URL normalisation). */
function rawGet(
	url: string,
	path: string,
): Promise<{ status: number; headers: Record<string, unknown> }> {
	const { hostname, port } = new URL(url);
	return new Promise((resolve, reject) => {
		const req = httpRequest({ host: hostname, port, path, method: 'GET' }, (res) => {
			res.resume();
			res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers }));
		});
		req.on('error', reject);
		req.end();
	});
}

describe('the service on a real socket', () => {
	it('serves the API, Picard files and signed files on 127.0.0.1 and closes cleanly', async (t) => {
		await forEachEngine(t, async ({ options, dir }) => {
			const service = await startService({
				dataDir: options.dataDir ?? dir,
				...(options.url === undefined ? {} : { database: options.url }),
				clock: () => new Date('2026-06-01T12:00:00Z'),
			});
			try {
				assert.match(service.url, /^http:\/\/127\.0\.0\.1:\d+$/);
				await service.store.importText(REAL_REGISTRY, { name: 'setup', role: 'admin' }, 'import');
				const account = await service.accounts.create('ann', 'maintainer');
				const token = await service.accounts.issueToken(account, 'test');

				const list = await fetch(`${service.url}/api/v1/plugins?per_page=5`);
				assert.equal(list.status, 200);
				assert.equal(((await list.json()) as { total: number }).total, 26);
				assert.equal(list.headers.get('x-content-type-options'), 'nosniff');

				const toml = await fetch(`${service.url}/picard/plugins.toml`);
				assert.equal(await toml.text(), REAL_REGISTRY);

				const edit = await fetch(`${service.url}/api/v1/admin/plugins/add-to-collection`, {
					method: 'PATCH',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: JSON.stringify({ trust: 'trusted', reason: 'reviewed' }),
				});
				assert.equal(edit.status, 200);

				const huge = await fetch(`${service.url}/api/v1/admin/plugins/add-to-collection`, {
					method: 'PATCH',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: JSON.stringify({ trust: 'official', reason: 'x'.repeat(200_000) }),
				});
				assert.equal(huge.status, 413);

				for (const path of [
					'/tuf/..%2f..%2fetc%2fpasswd',
					'/tuf/../../etc/passwd',
					'/tuf/a/../../../etc/passwd',
					'/tuf/..\\..\\etc\\passwd',
					'/tuf/%00',
				]) {
					const response = await rawGet(service.url, path);
					// Node's own parser refuses a raw backslash with a 400 before the app sees it.
					if (path.includes('\\')) assert.ok([400, 404].includes(response.status), path);
					else {
						assert.equal(response.status, 404, `${path}: ${response.status}`);
						assert.equal(response.headers['x-frame-options'], 'DENY');
					}
				}
			} finally {
				await service.close();
			}
			// Closed: the port no longer answers.
			await assert.rejects(fetch(`${service.url}/api/v1/health`));
		});
	});

	it('`vouch-server serve` prints its address and stops when told', async () => {
		const { mkdtemp, rm } = await import('node:fs/promises');
		const { tmpdir } = await import('node:os');
		const { join } = await import('node:path');
		const dir = await mkdtemp(join(tmpdir(), 'vouch-serve-'));
		try {
			let stop: () => void = () => {};
			const stopped = new Promise<void>((resolve) => {
				stop = resolve;
			});
			let announced: (url: string) => void = () => {};
			const address = new Promise<string>((resolve) => {
				announced = resolve;
			});
			const running = runServer(['serve', '--port', '0', '--json'], {
				cwd: dir,
				untilStopped: () => stopped,
				onStdout: (text) => announced((JSON.parse(text) as { url: string }).url),
			});
			const url = await address;
			const health = await fetch(`${url}/api/v1/health`);
			assert.equal(health.status, 200);
			assert.equal(((await health.json()) as { registry: unknown }).registry, null);
			stop();
			const result = await running;
			assert.equal(result.code, 0, result.stderr);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});

/**
 * `vouch-server serve --workers 2`, as the real executable in its own process: two workers
 * answer on one port, a killed worker is replaced, a publish made through one worker is what
 * every worker serves next, and SIGTERM stops the primary and every worker.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { describe, it } from 'node:test';
import { createAccounts } from '../../src/admin/accounts.ts';
import { openServiceDb } from '../../src/db/open.ts';
import { createRegistryStore } from '../../src/store/registry-store.ts';
import { forEachEngine } from '../engines.ts';
import { REPO_ROOT, serverArgv } from '../helpers/built-server.ts';
import { REAL_REGISTRY } from '../http/helpers.ts';
import { makeKeys } from '../publish/helpers/world.ts';

const TIMESTAMP = '/tuf/metadata/timestamp.json';

interface Primary {
	process: ChildProcess;
	url: string;
	pids: number[];
	stderr: () => string;
	/** Resolves with the first stderr match of `pattern`. */
	waitForStderr(pattern: RegExp): Promise<RegExpExecArray>;
	exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

async function startPrimary(args: string[]): Promise<Primary> {
	// The built bin when it is current: the primary and every worker it forks load the service.
	const [node, ...bin] = serverArgv() as [string, ...string[]];
	const child = spawn(node, [...bin, 'serve', ...args], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	let stderr = '';
	const watchers: { pattern: RegExp; resolve: (match: RegExpExecArray) => void }[] = [];
	child.stderr?.setEncoding('utf8');
	child.stderr?.on('data', (chunk: string) => {
		stderr += chunk;
		for (const watcher of [...watchers]) {
			const match = watcher.pattern.exec(stderr);
			if (match !== null) {
				watchers.splice(watchers.indexOf(watcher), 1);
				watcher.resolve(match);
			}
		}
	});
	const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((done) =>
		child.once('exit', (code, signal) => done({ code, signal })),
	);
	const first = await new Promise<string>((resolveLine, reject) => {
		createInterface({ input: child.stdout as NodeJS.ReadableStream }).once('line', resolveLine);
		child.once('exit', (code) => reject(new Error(`serve ended (${code}) first: ${stderr}`)));
	});
	const started = JSON.parse(first) as {
		url: string;
		pids: number[];
		error?: { code: string; message: string };
	};
	if (started.error !== undefined) {
		await exited;
		throw new Error(`serve failed: ${started.error.code}: ${started.error.message}`);
	}
	return {
		process: child,
		url: started.url,
		pids: started.pids,
		stderr: () => stderr,
		waitForStderr: (pattern) =>
			new Promise((found) => {
				const match = pattern.exec(stderr);
				if (match !== null) found(match);
				else watchers.push({ pattern, resolve: found });
			}),
		exited,
	};
}

/** One request on its own connection: the primary hands each new connection to a worker in turn. */
function fresh(
	url: string,
	path: string,
	init: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<{ status: number; etag: string | undefined; body: string }> {
	const { hostname, port } = new URL(url);
	return new Promise((resolveAnswer, reject) => {
		const req = httpRequest(
			{
				host: hostname,
				port,
				path,
				method: init.method ?? 'GET',
				agent: false,
				headers: { connection: 'close', ...init.headers },
			},
			(res) => {
				let body = '';
				res.setEncoding('utf8');
				res.on('data', (chunk: string) => {
					body += chunk;
				});
				res.on('end', () =>
					resolveAnswer({ status: res.statusCode ?? 0, etag: res.headers.etag, body }),
				);
			},
		);
		req.on('error', reject);
		req.end(init.body);
	});
}

async function processesServing(url: string): Promise<number> {
	const health = await fresh(url, '/api/v1/health');
	return (JSON.parse(health.body) as { processes: number }).processes;
}

function alive(pid: number): boolean {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
}

const pause = () => new Promise((done) => setTimeout(done, 50));

describe('serve --workers', () => {
	it('runs workers on one port, replaces a dead one, shares publishes, stops on SIGTERM', async (t) => {
		await forEachEngine(t, async ({ options, dir }) => {
			const keysDir = await makeKeys(dir);
			const dataDir = options.dataDir ?? join(dir, 'data');
			// The registry and an admin token, written before any worker opens the database.
			const setup = await openServiceDb(options.url === undefined ? { dataDir } : options);
			let token: string;
			try {
				const clock = () => new Date();
				const store = createRegistryStore({ database: setup, clock });
				// Official entries must be pinned to a reviewed release (D19b) before a publish.
				const registry = REAL_REGISTRY.replaceAll(
					'trust_level = "official"',
					'trust_level = "trusted"',
				);
				await store.importText(registry, { name: 'setup', role: 'admin' }, 'import');
				const accounts = createAccounts({ db: setup.db, clock });
				token = await accounts.issueToken(await accounts.create('root', 'admin'), 'test');
			} finally {
				await setup.close();
			}
			const database =
				options.url === undefined ? ['--data-dir', dataDir] : ['--database', options.url];
			const primary = await startPrimary([
				...database,
				'--keys',
				keysDir,
				'--port',
				'0',
				'--workers',
				'2',
				'--json',
			]);
			try {
				assert.equal(primary.pids.length, 2);
				assert.ok(!primary.pids.includes(primary.process.pid ?? -1));
				// Every worker answers with the count the primary gave them all.
				for (let i = 0; i < 4; i++) assert.equal(await processesServing(primary.url), 2);

				// The first publish (the import) comes from whichever worker holds the lease.
				let before = await fresh(primary.url, TIMESTAMP);
				while (before.status !== 200) {
					await pause();
					before = await fresh(primary.url, TIMESTAMP);
				}
				const edit = await fresh(primary.url, '/api/v1/admin/plugins/add-to-collection', {
					method: 'PATCH',
					headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
					body: JSON.stringify({ trust: 'trusted', reason: 'reviewed' }),
				});
				assert.equal(edit.status, 200, edit.body);
				// The edit answers once it is published; the other worker hears of it, and from then
				// on every connection, to either worker, gets the new timestamp and never the old.
				let newer = 0;
				while (newer < 6) {
					const seen = await fresh(primary.url, TIMESTAMP);
					assert.equal(seen.status, 200);
					newer = seen.etag === before.etag ? 0 : newer + 1;
					if (newer === 0) await pause();
				}
				const latest = await fresh(primary.url, TIMESTAMP);
				const version = (body: string) =>
					(JSON.parse(body) as { signed: { version: number } }).signed.version;
				assert.ok(version(latest.body) > version(before.body));
				for (let i = 0; i < 6; i++) {
					const again = await fresh(primary.url, TIMESTAMP, {
						headers: { 'if-none-match': latest.etag ?? '' },
					});
					assert.equal(again.status, 304);
				}

				// A killed worker is replaced, and the count is back to two once it listens.
				const [victim, survivor] = primary.pids as [number, number];
				process.kill(victim, 'SIGKILL');
				const replaced = await primary.waitForStderr(
					new RegExp(`worker ${victim} ended \\(signal SIGKILL\\); started worker (\\d+)`),
				);
				const replacement = Number(replaced[1]);
				assert.ok(alive(replacement));
				while ((await processesServing(primary.url)) !== 2) await pause();
				for (let i = 0; i < 4; i++) {
					assert.equal((await fresh(primary.url, TIMESTAMP)).etag, latest.etag);
				}

				// The spam bounds hold across workers (last: the reports' log steps publish anew): every worker hashes a client's address with the
				// one key the primary gave them, so the fourth report of one client about one plugin
				// is refused although the connections alternate between the workers.
				const report = () =>
					fresh(primary.url, '/api/v1/reports', {
						method: 'POST',
						headers: { 'content-type': 'application/json' },
						body: JSON.stringify({
							plugin: { url: 'https://github.com/someone/spammed' },
							kind: 'broken',
							details: 'It does not start.',
							evidence: [],
						}),
					});
				for (let i = 0; i < 3; i++) {
					const filed = await report();
					assert.equal(filed.status, 201, filed.body);
				}
				const fourth = await report();
				assert.equal(fourth.status, 429, fourth.body);
				assert.equal(
					(JSON.parse(fourth.body) as { error: { code: string } }).error.code,
					'RATE_LIMITED',
				);

				primary.process.kill('SIGTERM');
				const ended = await primary.exited;
				assert.equal(ended.code, 0, primary.stderr());
				for (const pid of [survivor, replacement]) {
					while (alive(pid)) await pause();
				}
			} finally {
				if (primary.process.exitCode === null) primary.process.kill('SIGKILL');
				await primary.exited;
			}
		});
	});

	it('fails when a worker cannot start, and stops the others', async (t) => {
		await forEachEngine(t, async ({ options, dir }) => {
			if (options.url !== undefined) return;
			// The port is taken: every worker fails while starting, before it listens.
			const taken = createServer();
			await new Promise<void>((done) => taken.listen(0, '127.0.0.1', done));
			try {
				const { port } = taken.address() as AddressInfo;
				await assert.rejects(
					startPrimary([
						'--data-dir',
						join(dir, 'data'),
						'--port',
						String(port),
						'--workers',
						'2',
						'--json',
					]),
					// A worker's own error comes first (workers share the primary's output), then the
					// primary's WORKERS_FAILED; startPrimary waits for the primary to end either way.
					/serve failed: (INVALID_OPTIONS|WORKERS_FAILED): .*EADDRINUSE|serve failed: WORKERS_FAILED/,
				);
			} finally {
				await new Promise((done) => taken.close(done));
			}
		});
	});
});

/**
 * The README's first command: `npm start` brings the whole system up, a browser shows its web
 * page, Ctrl+C stops it, and a second `npm start` on the same data directory reuses what the
 * first made (same keys, same TUF root) and serves again.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { browserSkipReason, launchBrowser, newPage } from '../helpers/browser.ts';

const ROOT = join(import.meta.dirname, '../../../..');

function freePort(): Promise<number> {
	return new Promise((resolve, reject) => {
		const server = createServer();
		server.once('error', reject);
		server.listen(0, '127.0.0.1', () => {
			const address = server.address();
			server.close(() =>
				resolve(typeof address === 'object' && address !== null ? address.port : 0),
			);
		});
	});
}

interface Started {
	child: ChildProcess;
	url: string;
	output: () => string;
}

/** `npm start` in the repository, until it prints the registry's address. */
function npmStart(dataDir: string, port: number): Promise<Started> {
	const child = spawn(
		'npm',
		['start', '--silent', '--', '--data-dir', dataDir, '--port', String(port)],
		{
			cwd: ROOT,
			detached: true,
			stdio: ['ignore', 'pipe', 'pipe'],
			env: { ...process.env, NO_COLOR: '1' },
		},
	);
	let text = '';
	return new Promise((resolve, reject) => {
		const onData = (chunk: Buffer) => {
			text += chunk.toString('utf8');
			const url = /Vouch demo registry: (http:\/\/127\.0\.0\.1:\d+\/)/.exec(text)?.[1];
			if (url !== undefined && text.includes('Press Ctrl+C'))
				resolve({ child, url, output: () => text });
		};
		child.stdout?.on('data', onData);
		child.stderr?.on('data', onData);
		child.once('exit', (code) => reject(new Error(`npm start exited ${code}:\n${text}`)));
	});
}

/** Ctrl+C, as a terminal sends it to the whole process group; resolves with all it printed. */
async function stop(started: Started): Promise<string> {
	started.child.removeAllListeners('exit');
	const exited = new Promise<void>((resolve) => started.child.once('exit', () => resolve()));
	if (started.child.pid !== undefined) process.kill(-started.child.pid, 'SIGINT');
	await exited;
	return started.output();
}

describe('npm start', { skip: browserSkipReason() }, () => {
	it('serves the registry web page a browser shows, and a second start reuses the data', async () => {
		const dataDir = await mkdtemp(join(tmpdir(), 'vouch-npm-start-'));
		const port = await freePort();
		const browser = await launchBrowser();
		try {
			const first = await npmStart(dataDir, port);
			let root: string;
			try {
				const page = await newPage(browser);
				const response = await page.goto(first.url);
				assert.equal(response?.status(), 200);
				assert.match(await page.title(), /Vouch/);
				// The demo registry's plugins, each with its trust badge.
				const text = (await page.locator('main').textContent()) ?? '';
				for (const name of ['Title Case', 'Disc Numbers', 'Genre Tidy'])
					assert.ok(text.includes(name), `${name} missing`);
				await page.goto(`${first.url}plugins/title-case`);
				assert.match((await page.locator('main').textContent()) ?? '', /official/i);
				root = await readFile(join(dataDir, 'host', 'trusted-root.json'), 'utf8');
				assert.match(first.output(), /npx vouch install title-case --profile/);
			} finally {
				assert.match(await stop(first), /Stopping/);
			}

			const second = await npmStart(dataDir, port);
			try {
				const page = await newPage(browser);
				const response = await page.goto(`${second.url}blacklist`);
				assert.equal(response?.status(), 200);
				assert.match(
					(await page.locator('main').textContent()) ?? '',
					/Stream Ripper|stream-ripper|Sent the paths/,
				);
				// Reused: the same keys, so the same root the demo host trusts.
				assert.equal(await readFile(join(dataDir, 'host', 'trusted-root.json'), 'utf8'), root);
			} finally {
				assert.match(await stop(second), /Stopping/);
			}
		} finally {
			await browser.close();
			await rm(dataDir, { recursive: true, force: true });
		}
	});
});

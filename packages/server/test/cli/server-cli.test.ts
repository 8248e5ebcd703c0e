import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createAccounts } from '../../src/admin/accounts.ts';
import { openServiceDb } from '../../src/db/open.ts';
import { REAL_REGISTRY } from '../http/helpers.ts';
import { runServer } from './run-server-cli.ts';

describe('vouch-server commands', () => {
	it('prints its version, the one its package.json gives', async () => {
		const manifest = JSON.parse(
			await readFile(new URL('../../package.json', import.meta.url), 'utf8'),
		) as { version: string };
		for (const flag of ['--version', '-V']) {
			const run = await runServer([flag], { cwd: tmpdir() });
			assert.equal(run.code, 0, run.stderr);
			assert.equal(run.stdout, `${manifest.version}\n`);
		}
		const help = await runServer(['--help'], { cwd: tmpdir() });
		assert.match(help.stdout, /-V, --version/);
	});

	it('imports, exports atomically, adds accounts and creates and revokes tokens', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'vouch-server-cli-'));
		try {
			await writeFile(join(dir, 'plugins.toml'), REAL_REGISTRY);
			const cwd = dir;
			const imported = await runServer(['import', 'plugins.toml', '--reason', 'first', '--json'], {
				cwd,
			});
			assert.equal(imported.code, 0, imported.stderr);
			assert.deepEqual(JSON.parse(imported.stdout).revision, 1);
			const again = await runServer(['import', 'plugins.toml', '--reason', 'again'], { cwd });
			assert.match(again.stdout, /Unchanged/);

			const exported = await runServer(['export', 'out.toml'], { cwd });
			assert.equal(exported.code, 0, exported.stderr);
			assert.equal(await readFile(join(dir, 'out.toml'), 'utf8'), REAL_REGISTRY);
			const toStdout = await runServer(['export'], { cwd });
			assert.equal(toStdout.stdout, REAL_REGISTRY);

			const added = await runServer(
				['account', 'add', 'ann', '--role', 'admin', '--password-stdin'],
				{
					cwd,
					stdin: 'a long enough password\n',
				},
			);
			assert.equal(added.code, 0, added.stderr);
			const token = await runServer(['token', 'create', 'ann', '--label', 'ci', '--days', '30'], {
				cwd,
			});
			assert.equal(token.code, 0, token.stderr);
			const secret = token.stdout.trim();
			assert.match(secret, /^vouch_/);

			const database = await openServiceDb({ dataDir: join(dir, 'vouch-server-data') });
			try {
				const accounts = createAccounts({
					db: database.db,
					clock: () => new Date('2026-06-01T12:00:00Z'),
				});
				assert.equal((await accounts.authenticateToken(secret)).name, 'ann');
				assert.equal((await accounts.signIn('ann', 'a long enough password'))?.name, 'ann');
			} finally {
				await database.close();
			}
			const revoked = await runServer(['token', 'revoke', '-'], { cwd, stdin: `${secret}\n` });
			assert.equal(revoked.code, 0, revoked.stderr);
			const twice = await runServer(['token', 'revoke', 'vouch_never-issued'], { cwd });
			assert.equal(twice.code, 1);
			assert.match(twice.stderr, /No such token/);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});

	it('reports user mistakes with a message and a hint, no stack trace', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'vouch-server-cli-'));
		try {
			const cwd = dir;
			const noFile = await runServer(['import', 'missing.toml', '--reason', 'x'], { cwd });
			assert.equal(noFile.code, 1);
			assert.doesNotMatch(noFile.stderr, /\n\s+at /);
			const empty = await runServer(['export'], { cwd });
			assert.equal(empty.code, 1);
			assert.match(empty.stderr, /holds no registry/);
			assert.match(empty.stderr, /hint:/);
			const noReason = await runServer(['import', 'x.toml'], { cwd });
			assert.equal(noReason.code, 2);
			const role = await runServer(['account', 'add', 'bob', '--role', 'root'], { cwd });
			assert.equal(role.code, 2);
			const reporter = await runServer(['account', 'add', 'rita', '--role', 'reporter', '--json'], {
				cwd,
			});
			assert.equal(reporter.code, 0, reporter.stderr);
			assert.deepEqual(JSON.parse(reporter.stdout), { name: 'rita', role: 'reporter' });
			await writeFile(join(dir, 'bad.toml'), '[[plugins]\n');
			const bad = await runServer(['import', 'bad.toml', '--reason', 'x', '--json'], { cwd });
			assert.equal(bad.code, 1);
			assert.equal(JSON.parse(bad.stdout).error.code, 'REGISTRY_PARSE_ERROR');
			const unknownAccount = await runServer(['token', 'create', 'nobody'], { cwd });
			assert.equal(unknownAccount.code, 1);
			assert.match(unknownAccount.stderr, /hint: Add it/);
			const publicHost = await runServer(['serve', '--host', '0.0.0.0'], { cwd });
			assert.equal(publicHost.code, 1);
			assert.match(publicHost.stderr, /--public/);
			const port = await runServer(['serve', '--port', '99999'], { cwd });
			assert.equal(port.code, 1);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});

import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createRepo, testGitEnv } from '../../../library/test/helpers/git-repos.ts';
import { fileAt, LISTED_ID, REAL_TOML, scanReportText, withFirstTrust } from '../sync/fixtures.ts';
import { runServer } from './run-server-cli.ts';

describe('vouch-server and the registry repository', () => {
	it('serve --follow imports the repository, and export-repo commits the service’s registry back', async () => {
		const dir = await mkdtemp(join(tmpdir(), 'vouch-server-sync-'));
		try {
			const upstream = createRepo({
				dir: join(dir, 'upstream'),
				files: { 'plugins.toml': REAL_TOML },
			});
			let url = '';
			let served = '';
			const serve = await runServer(
				['serve', '--port', '0', '--json', '--follow', upstream.dir, '--follow-every', '5'],
				{
					cwd: dir,
					env: testGitEnv() as Record<string, string>,
					onStdout: (text) => {
						const match = /"url": "([^"]+)"/.exec(text);
						if (match?.[1] !== undefined) url = match[1];
					},
					untilStopped: async () => {
						// Stop once the followed registry is served as Picard's file.
						for (let i = 0; i < 600; i++) {
							if (url !== '') {
								const response = await fetch(`${url}/picard/plugins.toml`);
								if (response.ok) {
									served = await response.text();
									return;
								}
								await response.arrayBuffer();
							}
							await new Promise((resolve) => setTimeout(resolve, 100));
						}
					},
				},
			);
			assert.equal(serve.code, 0, serve.stderr);
			assert.equal(served, REAL_TOML);
			assert.match(serve.stderr, /follow: .*"status":"imported"/);

			// The service becomes the source of truth: a new registry text and a scan report, then
			// an export into a clone of the repository.
			const changed = withFirstTrust(REAL_TOML, 'trusted');
			await writeFile(join(dir, 'changed.toml'), changed);
			const reportCommit = 'c'.repeat(40);
			await mkdir(join(dir, 'scan-reports', LISTED_ID), { recursive: true });
			await writeFile(
				join(dir, 'scan-reports', LISTED_ID, `${reportCommit}.json`),
				scanReportText(LISTED_ID, reportCommit),
			);
			const imported = await runServer(
				['import', 'changed.toml', '--reason', 'raise trust', '--scan-reports', 'scan-reports'],
				{ cwd: dir },
			);
			assert.equal(imported.code, 0, imported.stderr);
			assert.match(imported.stdout, /Imported: revision 2/);
			assert.match(imported.stdout, /"stored":1/);

			execFileSync('git', ['clone', '-q', upstream.dir, join(dir, 'work')], { env: testGitEnv() });
			const exported = await runServer(['export-repo', 'work', '--json'], {
				cwd: dir,
				env: testGitEnv() as Record<string, string>,
			});
			assert.equal(exported.code, 0, exported.stderr);
			const outcome = JSON.parse(exported.stdout) as { commit?: string; reportsWritten: number };
			assert.ok(outcome.commit !== undefined);
			assert.equal(outcome.reportsWritten, 1);
			assert.equal(fileAt(join(dir, 'work'), 'HEAD', 'plugins.toml'), changed);
			const again = await runServer(['export-repo', 'work'], {
				cwd: dir,
				env: testGitEnv() as Record<string, string>,
			});
			assert.equal(again.code, 0, again.stderr);
			assert.match(again.stdout, /Nothing to export/);
		} finally {
			await rm(dir, { recursive: true, force: true });
		}
	});
});

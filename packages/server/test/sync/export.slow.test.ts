import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { isVouchError } from '@vouch/library';
import { planBlacklistAdd } from '@vouch/library/internal/registry/edit/blacklist-plans';
import { planPluginEdit } from '@vouch/library/internal/registry/edit/plugin-plans';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import { validateRegistry } from '@vouch/library/internal/registry/validate/validate';
import { bareClone, createRepo, runTestGit } from '../../../library/test/helpers/git-repos.ts';
import { openServiceDb } from '../../src/db/open.ts';
import { createRegistryStore } from '../../src/store/registry-store.ts';
import { exportToRepository } from '../../src/sync/export.ts';
import { storeScanReport } from '../../src/sync/scan-reports.ts';
import { forEachEngine } from '../engines.ts';
import {
	AUTHOR,
	clock,
	fileAt,
	LISTED_ID,
	REAL_TOML,
	SYNC_ACTOR,
	scanReportText,
	testGit,
} from './fixtures.ts';

const git = testGit();
const ALICE = { name: 'alice', role: 'maintainer' as const };

describe('exporting to a registry repository', () => {
	it('commits the document byte for byte with its scan reports, lists the changes, pushes, and is idempotent', async (t) => {
		await forEachEngine(t, async ({ options, dir }) => {
			const source = createRepo({
				dir: join(dir, 'source'),
				files: { 'plugins.toml': 'api_version = "3.0"\n' },
			});
			const remote = bareClone(source, dir, 'registry.git');
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				await store.importText(REAL_TOML, SYNC_ACTOR, 'first import');
				await store.edit(
					(context) =>
						planPluginEdit(context, LISTED_ID, { trust: 'trusted', reason: 'reviewed\nby two' }),
					ALICE,
				);
				const reportCommit = 'd'.repeat(40);
				const report = JSON.parse(scanReportText(LISTED_ID, reportCommit));
				const reportName = await storeScanReport(database, LISTED_ID, reportCommit, report, clock);
				const exportOptions = {
					store,
					database,
					git,
					workdir: join(dir, 'work'),
					url: remote,
					branch: 'main',
					author: AUTHOR,
					clock,
				};

				const first = await exportToRepository(exportOptions);
				assert.ok(first.commit !== undefined);
				assert.equal(first.pushed, true);
				assert.equal(first.changes, 2);
				assert.equal(first.reportsWritten, 1);
				assert.equal(runTestGit(remote, ['rev-parse', 'main']), first.commit);
				const text = (await store.document())?.text ?? '';
				assert.equal(fileAt(remote, 'main', 'plugins.toml'), text);
				assert.equal(fileAt(remote, 'main', reportName), scanReportText(LISTED_ID, reportCommit));
				const message = runTestGit(remote, ['log', '-1', '--format=%B', 'main']);
				const lines = message.split('\n');
				assert.equal(lines[0], 'Registry export');
				assert.equal(lines.filter((line) => line.startsWith('- #')).length, 2);
				assert.match(message, /- #2 trust_change add-to-collection: reviewed by two \(alice,/);
				assert.equal(
					runTestGit(remote, ['log', '-1', '--format=%an <%ae>', 'main']),
					'Vouch Registry <registry@example.invalid>',
				);

				// The maintainers' tooling accepts what was exported.
				const exported = parseRegistryText(fileAt(remote, 'main', 'plugins.toml'), {
					label: 'exported',
				});
				const validation = await validateRegistry(exported);
				assert.deepEqual(validation.errors, []);
				assert.equal(validation.offline, true);

				// Nothing changed: no commit, nothing pushed.
				const again = await exportToRepository(exportOptions);
				assert.equal(again.commit, undefined);
				assert.equal(again.pushed, false);
				assert.equal(runTestGit(remote, ['rev-parse', 'main']), first.commit);

				// The next export lists only what happened since the last one.
				await store.edit(
					(context) =>
						planBlacklistAdd(context, {
							url: 'https://github.com/evil/thing',
							reason: 'steals tokens',
						}),
					ALICE,
				);
				// A temp file left by a write that a crash cut short is never committed.
				const leftover = join(
					dir,
					'work',
					'scan-reports',
					LISTED_ID,
					`.${reportCommit}.json.0a1b.vouch-tmp`,
				);
				writeFileSync(leftover, 'half a report');
				const third = await exportToRepository(exportOptions);
				assert.equal(existsSync(leftover), false);
				assert.doesNotMatch(
					runTestGit(remote, ['ls-tree', '-r', '--name-only', 'main']),
					/vouch-tmp/,
				);
				assert.ok(third.commit !== undefined && third.commit !== first.commit);
				assert.equal(third.changes, 1);
				const thirdMessage = runTestGit(remote, ['log', '-1', '--format=%B', 'main']);
				assert.equal(thirdMessage.split('\n').filter((line) => line.startsWith('- #')).length, 1);
				assert.match(thirdMessage, /blacklist/);
				assert.equal(runTestGit(remote, ['rev-parse', 'main~1']), first.commit);

				// Without a remote: committed in the working copy only.
				const local = createRepo({ dir: join(dir, 'local'), files: { 'README.md': 'registry\n' } });
				const { url: _remote, ...withoutRemote } = exportOptions;
				const localExport = await exportToRepository({
					...withoutRemote,
					workdir: local.dir,
					path: 'registry/plugins.toml',
				});
				assert.equal(localExport.pushed, false);
				assert.equal(local.commitOf(), localExport.commit);
				assert.equal(
					readFileSync(join(local.dir, 'registry', 'plugins.toml'), 'utf8'),
					(await store.document())?.text,
				);
				assert.ok(existsSync(join(local.dir, 'registry', reportName)));
			} finally {
				await database.close();
			}
		});
	});

	it('never writes through a link committed in the repository, and needs a working copy or a remote', async (t) => {
		await forEachEngine(t, async ({ options, dir }) => {
			const outside = join(dir, 'outside');
			mkdirSync(outside);
			const hostile = createRepo({
				dir: join(dir, 'hostile'),
				files: { 'plugins.toml': 'api_version = "3.0"\n' },
			});
			symlinkSync(outside, join(hostile.dir, 'scan-reports'));
			hostile.commit({}, 'link the reports elsewhere');
			const remote = bareClone(hostile, dir, 'hostile.git');
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				const base = { store, database, git, branch: 'main', author: AUTHOR, clock };
				await assert.rejects(
					exportToRepository({ ...base, workdir: join(dir, 'w0'), url: remote }),
					(error: unknown) => isVouchError(error) && error.code === 'NOT_FOUND',
				);
				await store.importText(REAL_TOML, SYNC_ACTOR, 'first import');
				await storeScanReport(
					database,
					LISTED_ID,
					'e'.repeat(40),
					JSON.parse(scanReportText(LISTED_ID, 'e'.repeat(40))),
					clock,
				);
				await assert.rejects(
					exportToRepository({ ...base, workdir: join(dir, 'w1'), url: remote }),
					(error: unknown) => isVouchError(error) && error.code === 'SYNC_REFUSED',
				);
				assert.equal(
					existsSync(join(outside, LISTED_ID)),
					false,
					'nothing written outside the repository',
				);
				assert.equal(runTestGit(remote, ['rev-parse', 'main']), hostile.commitOf());

				await assert.rejects(
					exportToRepository({ ...base, workdir: join(dir, 'not-a-copy') }),
					(error: unknown) => isVouchError(error) && error.code === 'INVALID_OPTIONS',
				);
				for (const path of ['../plugins.toml', '/etc/passwd', '.git/config', 'a//b']) {
					await assert.rejects(
						exportToRepository({ ...base, workdir: join(dir, 'w2'), url: remote, path }),
						(error: unknown) => isVouchError(error) && error.code === 'INVALID_OPTIONS',
					);
				}
			} finally {
				await database.close();
			}
		});
	});
});

import assert from 'node:assert/strict';
import { symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createRepo } from '../../../library/test/helpers/git-repos.ts';
import { openServiceDb } from '../../src/db/open.ts';
import { scanReportsOf } from '../../src/store/plugin-queries.ts';
import { createRegistryStore } from '../../src/store/registry-store.ts';
import { followRegistryRepository, type SyncOutcome } from '../../src/sync/follow.ts';
import { forEachEngine } from '../engines.ts';
import {
	clock,
	LISTED_ID,
	REAL_TOML,
	SYNC_ACTOR,
	scanReportText,
	testGit,
	withFirstTrust,
} from './fixtures.ts';

const git = testGit();

function expectStatus<S extends SyncOutcome['status']>(
	outcome: SyncOutcome,
	status: S,
): Extract<SyncOutcome, { status: S }> {
	assert.equal(outcome.status, status, JSON.stringify(outcome));
	return outcome as Extract<SyncOutcome, { status: S }>;
}

describe('following a registry repository', () => {
	it('imports new commits once, survives a restart, flags a force-push, refuses a malformed registry', async (t) => {
		await forEachEngine(t, async ({ options, dir }) => {
			const upstream = createRepo({
				dir: join(dir, 'upstream'),
				files: { 'plugins.toml': REAL_TOML },
			});
			const commitA = upstream.commitOf();
			let database = await openServiceDb(options);
			try {
				let store = createRegistryStore({ database, clock });
				const follow = (workdir: string) =>
					followRegistryRepository({
						store,
						database,
						git,
						url: upstream.dir,
						workdir: join(dir, workdir),
						clock,
						actor: SYNC_ACTOR,
					});
				let follower = follow('work');

				const first = expectStatus(await follower.syncOnce(), 'imported');
				assert.equal(first.commit, commitA);
				assert.equal(first.rewritten, false);
				assert.equal(first.documentChanged, true);
				assert.equal((await store.document())?.text, REAL_TOML);
				assert.equal(expectStatus(await follower.syncOnce(), 'unchanged').commit, commitA);

				// Commit B changes a trust level and adds a scan report for a listed plugin.
				const reportCommit = 'a'.repeat(40);
				const textB = withFirstTrust(REAL_TOML, 'trusted');
				const commitB = upstream.commit(
					{
						'plugins.toml': textB,
						[`scan-reports/${LISTED_ID}/${reportCommit}.json`]: scanReportText(
							LISTED_ID,
							reportCommit,
						),
						// Neither is stored: an unlisted plugin's report, and one that is not a report.
						[`scan-reports/not-listed/${'b'.repeat(40)}.json`]: scanReportText(
							'not-listed',
							'b'.repeat(40),
						),
						[`scan-reports/${LISTED_ID}/${'c'.repeat(40)}.json`]: '{"reportVersion": 1',
					},
					'Trust add-to-collection\n\nreviewed twice',
				);
				const second = expectStatus(await follower.syncOnce(), 'imported');
				assert.equal(second.commit, commitB);
				assert.equal(second.previous, commitA);
				assert.equal(second.rewritten, false);
				assert.equal(second.reason, `follow ${upstream.dir}@${commitB}: Trust add-to-collection`);
				assert.equal((await store.document())?.text, textB);
				assert.equal(second.reports.stored, 1);
				assert.equal(second.reports.skipped.length, 2, second.reports.skipped.join('\n'));
				const reports = await scanReportsOf(database.db, LISTED_ID);
				assert.deepEqual(
					reports.map((report) => [report.commit, report.ref]),
					[[reportCommit, reportCommit]],
				);
				const change = await database.db
					.selectFrom('changes')
					.selectAll()
					.where('seq', '=', second.changeSeq ?? -1)
					.executeTakeFirstOrThrow();
				assert.equal(change.reason, second.reason);
				assert.equal(change.actor_name, SYNC_ACTOR.name);

				// A restart (a new database handle, a new follower, even a fresh working copy) does not re-import.
				await database.close();
				database = await openServiceDb(options);
				store = createRegistryStore({ database, clock });
				follower = follow('work-after-restart');
				assert.equal(expectStatus(await follower.syncOnce(), 'unchanged').commit, commitB);
				const revision = (await store.document())?.revision;

				// Force-push: B is replaced by B', which does not descend from it.
				upstream.git(['reset', '-q', '--hard', commitA]);
				const textB2 = withFirstTrust(REAL_TOML, 'official');
				const commitB2 = upstream.commit({ 'plugins.toml': textB2 }, 'Make it official');
				const rewritten = expectStatus(await follower.syncOnce(), 'imported');
				assert.equal(rewritten.commit, commitB2);
				assert.equal(rewritten.previous, commitB);
				assert.equal(rewritten.rewritten, true);
				assert.match(rewritten.reason, /history rewritten/);
				assert.equal((await store.document())?.text, textB2);
				assert.equal((await store.document())?.revision, (revision ?? 0) + 1);

				// A malformed registry at C is refused; the document stays at B'.
				const commitC = upstream.commit({ 'plugins.toml': '[[plugins]\nid = "broken' }, 'Oops');
				const refused = expectStatus(await follower.syncOnce(), 'failed');
				assert.equal(refused.failure, 'malformed');
				assert.equal(refused.commit, commitC);
				assert.ok(refused.message.length > 0);
				assert.equal((await store.document())?.text, textB2);
				// Still refused on the next poll, not silently skipped.
				assert.equal(expectStatus(await follower.syncOnce(), 'failed').failure, 'malformed');

				// A commit that only touches another file is imported without a new revision.
				upstream.commit({ 'plugins.toml': textB2, 'README.md': 'hello\n' }, 'Docs');
				const docsOnly = expectStatus(await follower.syncOnce(), 'imported');
				assert.equal(docsOnly.documentChanged, false);
				assert.equal(docsOnly.previous, commitB2);
				assert.equal(docsOnly.rewritten, false);
			} finally {
				await database.close();
			}
		});
	});

	it('reports an unreachable repository, a missing or linked registry file, and keeps polling', async (t) => {
		await forEachEngine(t, async ({ options, dir }) => {
			const database = await openServiceDb(options);
			try {
				const store = createRegistryStore({ database, clock });
				await store.importText(REAL_TOML, SYNC_ACTOR, 'first import');
				const base = { store, database, git, clock, actor: SYNC_ACTOR };

				const gone = followRegistryRepository({
					...base,
					url: join(dir, 'no-such-repository'),
					workdir: join(dir, 'gone'),
				});
				const unreachable = expectStatus(await gone.syncOnce(), 'failed');
				assert.equal(unreachable.failure, 'unreachable');
				const refusedUrl = followRegistryRepository({
					...base,
					url: 'ext::sh -c touch% /tmp/pwned',
					workdir: join(dir, 'ext'),
				});
				assert.equal(expectStatus(await refusedUrl.syncOnce(), 'failed').failure, 'unreachable');

				// plugins.toml committed as a link to a file outside the repository is never read.
				const secret = join(dir, 'secret.toml');
				writeFileSync(secret, REAL_TOML.replace('Add to Collection', 'Stolen'));
				const linked = createRepo({ dir: join(dir, 'linked'), files: { 'README.md': 'x\n' } });
				symlinkSync(secret, join(linked.dir, 'plugins.toml'));
				linked.commit({}, 'link');
				const follower = followRegistryRepository({
					...base,
					url: linked.dir,
					workdir: join(dir, 'w1'),
				});
				const outcome = expectStatus(await follower.syncOnce(), 'failed');
				assert.equal(outcome.failure, 'malformed');
				assert.match(outcome.message, /symbolic link/);
				assert.equal((await store.document())?.text, REAL_TOML);

				const empty = createRepo({ dir: join(dir, 'empty'), files: { 'README.md': 'x\n' } });
				const missing = followRegistryRepository({
					...base,
					url: empty.dir,
					workdir: join(dir, 'w2'),
				});
				assert.equal(expectStatus(await missing.syncOnce(), 'failed').failure, 'malformed');

				// The loop reports every outcome and stops cleanly; failures never end it.
				const seen: SyncOutcome[] = [];
				let notify: () => void = () => undefined;
				const twoSeen = new Promise<void>((resolve) => {
					notify = resolve;
				});
				const looping = followRegistryRepository({
					...base,
					url: join(dir, 'no-such-repository'),
					workdir: join(dir, 'loop'),
					onOutcome: (outcome) => {
						seen.push(outcome);
						if (seen.length === 2) notify();
					},
				});
				looping.start(1);
				await twoSeen;
				await looping.stop();
				const count = seen.length;
				assert.ok(seen.every((outcome) => outcome.status === 'failed'));
				await new Promise((resolve) => setTimeout(resolve, 20));
				assert.equal(seen.length, count, 'no sync after stop');
			} finally {
				await database.close();
			}
		});
	});
});

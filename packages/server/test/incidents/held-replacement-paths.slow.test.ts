/**
 * The three ways to replace the whole registry refuse one that drops or weakens a block an
 * incident holds, each in its own terms: the admin API on a real socket answers 409
 * `HELD_BY_INCIDENT` naming the entry, its action and incident; the git sync reports the
 * commit as `held-by-incident`, keeps the document and its recorded commit, and imports the
 * next commit that keeps the block; `vouch-server import` says why and how to lift it, exits
 * 1, and prints no stack. Once the block is lifted through its incident, the drop goes through.
 */
import assert from 'node:assert/strict';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { createRepo } from '../../../library/test/helpers/git-repos.ts';
import { type RunningService, startService } from '../../src/service.ts';
import { followRegistryRepository, type SyncOutcome } from '../../src/sync/follow.ts';
import { runServer } from '../cli/run-server-cli.ts';
import { type EngineFixture, forEachEngine } from '../engines.ts';
import { SYNC_ACTOR, testGit } from '../sync/fixtures.ts';
import { ALICE, BOB, CAROL, malwareReport, PLUGINS, ROOT, registryText } from './world.ts';

const clock = () => new Date('2026-06-01T12:00:00Z');

async function startHeld(fixture: EngineFixture) {
	const service = await startService({
		dataDir: fixture.options.dataDir ?? fixture.dir,
		...(fixture.options.url === undefined ? {} : { database: fixture.options.url }),
		clock,
		web: false,
		incidents: { publicBaseUrl: 'https://registry.example.org' },
	});
	const incidents = service.incidents;
	assert.ok(incidents);
	await service.store.importText(registryText(), ROOT, 'The test registry');
	const { incidentId } = await incidents.submitReport(malwareReport(PLUGINS.trusted.id), {
		clientAddress: '198.51.100.7',
	});
	await incidents.transition(incidentId, 'investigating', ALICE, 'Reading');
	const { actionId } = await incidents.requestAction(
		incidentId,
		'hard_blacklist',
		{},
		ALICE,
		'Payload in the release',
	);
	await incidents.approveAction(actionId, BOB, 'Saw it too');
	const row = await service.database.db
		.selectFrom('incident_actions')
		.select('blacklist_entry_id')
		.where('id', '=', actionId)
		.executeTakeFirstOrThrow();
	const entry = String(row.blacklist_entry_id);
	const admin = await service.accounts.create('root', 'admin');
	const token = await service.accounts.issueToken(admin, 'test');
	const kept = (await service.store.document())?.text as string;
	return { service, incidents, incidentId, actionId, entry, token, kept };
}

/** The document without its blacklist (the held entry is its only one). */
function withoutBlacklist(text: string): string {
	return `${text.slice(0, text.indexOf('\n[[blacklist]]'))}\n`;
}

function put(service: RunningService, token: string, text: string) {
	return fetch(`${service.url}/api/v1/admin/registry`, {
		method: 'PUT',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
		body: JSON.stringify({ text, reason: 'replace' }),
	});
}

function databaseFlags(fixture: EngineFixture): string[] {
	return fixture.options.url === undefined
		? ['--data-dir', fixture.options.dataDir ?? fixture.dir]
		: ['--database', fixture.options.url];
}

function failed(outcome: SyncOutcome): Extract<SyncOutcome, { status: 'failed' }> {
	assert.equal(outcome.status, 'failed', JSON.stringify(outcome));
	return outcome as Extract<SyncOutcome, { status: 'failed' }>;
}

describe('whole-registry replacement on every path', () => {
	it('the admin API and vouch-server import refuse a drop or a weakening, then allow it once lifted', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const held = await startHeld(fixture);
			const { service, entry } = held;
			try {
				const revision = (await service.store.document())?.revision;
				const dropped = withoutBlacklist(held.kept);
				const answer = await put(service, held.token, dropped);
				assert.equal(answer.status, 409);
				const body = (await answer.json()) as {
					error: { code: string; message: string; hint: string; details: { held: unknown[] } };
				};
				assert.equal(body.error.code, 'HELD_BY_INCIDENT');
				assert.deepEqual(body.error.details.held, [
					{
						entry,
						action: held.actionId,
						incident: held.incidentId,
						problem: 'missing',
						what: 'no entry has this id any more',
					},
				]);
				assert.ok(body.error.message.includes(entry), body.error.message);
				assert.match(
					body.error.message,
					new RegExp(`action ${held.actionId}, incident ${held.incidentId}`),
				);
				assert.match(body.error.hint, new RegExp(`/api/v1/admin/actions/${held.actionId}/revert`));
				assert.match(body.error.hint, /second maintainer/);
				const weakened = await put(
					service,
					held.token,
					held.kept.replace('severity = "hard"', 'severity = "soft"'),
				);
				assert.equal(weakened.status, 409);
				assert.equal(
					((await weakened.json()) as { error: { code: string } }).error.code,
					'HELD_BY_INCIDENT',
				);
				assert.equal((await service.store.document())?.revision, revision);

				await writeFile(join(fixture.dir, 'dropped.toml'), dropped);
				const cli = await runServer(
					['import', 'dropped.toml', '--reason', 'from the repository', ...databaseFlags(fixture)],
					{ cwd: fixture.dir },
				);
				assert.equal(cli.code, 1, cli.stdout);
				assert.match(cli.stderr, /^error: The new registry drops or weakens a blacklist entry/);
				assert.ok(
					cli.stderr.includes(`${entry} (action ${held.actionId}, incident ${held.incidentId})`),
					cli.stderr,
				);
				assert.match(cli.stderr, /\nhint: .*revert/);
				assert.doesNotMatch(cli.stderr, /\n\s+at /);
				const json = await runServer(
					['import', 'dropped.toml', '--reason', 'again', '--json', ...databaseFlags(fixture)],
					{ cwd: fixture.dir },
				);
				assert.equal(json.code, 1);
				assert.equal(JSON.parse(json.stdout).error.code, 'HELD_BY_INCIDENT');
				await writeFile(
					join(fixture.dir, 'softened.toml'),
					held.kept.replace('severity = "hard"', 'severity = "soft"'),
				);
				const softened = await runServer(
					['import', 'softened.toml', '--reason', 'softer', ...databaseFlags(fixture)],
					{ cwd: fixture.dir },
				);
				assert.equal(softened.code, 1);
				assert.match(softened.stderr, /severity went from hard to soft/);
				assert.equal((await service.store.document())?.revision, revision);

				// Keeping the block, both paths import.
				const kept = held.kept.replace('description = "A official plugin"', 'description = "Ours"');
				assert.equal((await put(service, held.token, kept)).status, 200);
				await writeFile(join(fixture.dir, 'kept.toml'), `${kept}# and a comment\n`);
				const keptCli = await runServer(
					['import', 'kept.toml', '--reason', 'kept', ...databaseFlags(fixture)],
					{ cwd: fixture.dir },
				);
				assert.equal(keptCli.code, 0, keptCli.stderr);

				// Lifted by two maintainers, the entry may go: put the repository's text back first.
				const asked = await held.incidents.revertAction(held.actionId, ALICE, 'False alarm');
				assert.equal(asked.state, 'lift_requested');
				await held.incidents.approveLift(
					asked.state === 'lift_requested' ? asked.liftId : -1,
					CAROL,
					'Agreed',
				);
				assert.equal((await put(service, held.token, held.kept)).status, 200);
				assert.equal((await put(service, held.token, dropped)).status, 200);
				assert.equal((await put(service, held.token, held.kept)).status, 200);
				const droppedAgain = await runServer(
					['import', 'dropped.toml', '--reason', 'lifted', ...databaseFlags(fixture)],
					{ cwd: fixture.dir },
				);
				assert.equal(droppedAgain.code, 0, droppedAgain.stderr);
			} finally {
				await service.close();
			}
		});
	});

	it('the git sync refuses the commit as held-by-incident, keeps its place, and imports the next good one', async (t) => {
		await forEachEngine(t, async (fixture) => {
			const held = await startHeld(fixture);
			const { service, entry } = held;
			try {
				const upstream = createRepo({
					dir: join(fixture.dir, 'upstream'),
					files: { 'plugins.toml': held.kept },
				});
				const first = upstream.commitOf();
				const follower = followRegistryRepository({
					store: service.store,
					database: service.database,
					git: testGit(),
					url: upstream.dir,
					workdir: join(fixture.dir, 'work'),
					clock,
					actor: SYNC_ACTOR,
				});
				assert.equal((await follower.syncOnce()).status, 'imported');
				const document = await service.store.document();

				const bad = upstream.commit(
					{ 'plugins.toml': withoutBlacklist(held.kept) },
					'Drop the block',
				);
				const refusal = failed(await follower.syncOnce());
				assert.equal(refusal.failure, 'held-by-incident');
				assert.equal(refusal.commit, bad);
				assert.deepEqual(
					refusal.held?.map((p) => [p.entry, p.action, p.incident, p.problem]),
					[[entry, held.actionId, held.incidentId, 'missing']],
				);
				assert.match(refusal.message, /incident actions hold/);
				assert.deepEqual(await service.store.document(), document);
				// Not remembered: the next poll tries the same commit again, and refuses it again.
				const states = await service.database.db
					.selectFrom('sync_state')
					.select('commit_sha')
					.execute();
				assert.deepEqual(
					states.map((row) => row.commit_sha),
					[first],
				);
				assert.equal(failed(await follower.syncOnce()).failure, 'held-by-incident');

				// A weakened block is refused the same way.
				upstream.commit(
					{ 'plugins.toml': held.kept.replace('severity = "hard"', 'severity = "soft"') },
					'Soften it',
				);
				const soft = failed(await follower.syncOnce());
				assert.equal(soft.failure, 'held-by-incident');
				assert.equal(soft.held?.[0]?.problem, 'weakened');

				// The next commit restores the block (and changes something else): imported.
				const restoring = held.kept.replace(
					'description = "A official plugin"',
					'description = "Ours"',
				);
				const good = upstream.commit({ 'plugins.toml': restoring }, 'Restore the block');
				const imported = await follower.syncOnce();
				assert.equal(imported.status, 'imported', JSON.stringify(imported));
				assert.equal((await service.store.document())?.text, restoring);
				const after = await service.database.db
					.selectFrom('sync_state')
					.select('commit_sha')
					.execute();
				assert.deepEqual(
					after.map((row) => row.commit_sha),
					[good],
				);

				// Lifted through the incident, a commit without the entry imports.
				const asked = await held.incidents.revertAction(held.actionId, ALICE, 'False alarm');
				await held.incidents.approveLift(
					asked.state === 'lift_requested' ? asked.liftId : -1,
					CAROL,
					'Agreed',
				);
				upstream.commit({ 'plugins.toml': withoutBlacklist(restoring) }, 'Drop the lifted block');
				assert.equal((await follower.syncOnce()).status, 'imported');
			} finally {
				await service.close();
			}
		});
	});
});

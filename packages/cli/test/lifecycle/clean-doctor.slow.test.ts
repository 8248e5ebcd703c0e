/**
 * `vouch doctor` and `vouch clean` agree on leftovers (issue: doctor sent the user to clean,
 * which then found "Nothing to clean" because the leftovers were young). Through the CLI, with
 * a real lock held by a live child process, then by that process once SIGKILLed, and by a
 * dead pid: what a killed run left is cleaned whatever its age; what a live process is using
 * is named with its pid; what cannot be judged yet is given the time from which it can be.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { hostname } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import {
	BACKUP_DIR,
	STAGING_DIR,
	stagingName,
} from '@vouch/library/internal/lifecycle/store/index';
import {
	DEAD_PID,
	startWorker,
	waitForFile,
} from '../../../library/test/lifecycle/store/helpers.ts';
import { CLI_TEST_NOW, parseJson } from '../helpers/cli.ts';
import { createWorld, type World } from './world.ts';

interface Finding {
	kind: string;
	message: string;
	pid?: number;
	cleanableAt?: string;
	files?: string[];
}

const worlds: World[] = [];
after(async () => {
	for (const world of worlds) await world.close();
});

async function freshWorld(): Promise<World> {
	const world = await createWorld();
	worlds.push(world);
	mkdirSync(world.profile.pluginsDir, { recursive: true });
	return world;
}

/** A directory in the plugins folder, dated `ageMs` before the CLI's clock (whole seconds). */
function leftover(world: World, folder: string, name: string, ageMs = 0): Date {
	const path = join(world.profile.pluginsDir, folder, name);
	mkdirSync(path, { recursive: true });
	writeFileSync(join(path, 'half.py'), 'x = 1\n');
	const at = new Date(Math.floor((CLI_TEST_NOW.getTime() - ageMs) / 1000) * 1000);
	utimesSync(path, at, at);
	return at;
}

async function doctor(world: World): Promise<Finding[]> {
	const run = await world.vouch(['doctor', '--registry', world.registryFile, '--json']);
	return (parseJson(run).findings as Finding[]).filter(
		(finding) => finding.kind.startsWith('leftover') || finding.kind === 'store-busy',
	);
}

async function clean(world: World): Promise<{ removed: string[]; kept: unknown[] }> {
	const run = await world.vouch(['clean', '--json']);
	assert.equal(run.code, 0, run.stdout + run.stderr);
	return parseJson(run) as never;
}

function staging(world: World): string[] {
	const dir = join(world.profile.pluginsDir, STAGING_DIR);
	return existsSync(dir) ? readdirSync(dir).sort() : [];
}

describe('doctor and clean on leftovers of interrupted work', () => {
	it('a lock left by a dead pid: young leftovers of the killed run are cleaned at once', async () => {
		const world = await freshWorld();
		mkdirSync(world.profile.dataDir, { recursive: true });
		writeFileSync(
			join(world.profile.dataDir, 'lock'),
			JSON.stringify({ pid: DEAD_PID, host: hostname(), token: 't', startedAt: '' }),
		);
		const killed = stagingName(DEAD_PID);
		leftover(world, STAGING_DIR, killed);
		leftover(world, BACKUP_DIR, 'plugin_x-1234');

		const findings = await doctor(world);
		assert.deepEqual(
			findings.map((finding) => finding.kind),
			['leftover'],
		);
		assert.deepEqual(findings[0]?.files?.sort(), [
			join(BACKUP_DIR, 'plugin_x-1234'),
			join(STAGING_DIR, killed),
		]);

		const report = await clean(world);
		assert.deepEqual(report.removed.sort(), findings[0]?.files);
		assert.deepEqual(report.kept, []);
		assert.deepEqual(staging(world), []);
		assert.equal(existsSync(join(world.profile.dataDir, 'lock')), false);
		assert.deepEqual(await doctor(world), []);
	});

	it('a live process holding the lock is named; once it is killed its leftovers go', async (t) => {
		const world = await freshWorld();
		const readyFile = join(world.root, 'holding');
		const holder = startWorker({ kind: 'hold', dataDir: world.profile.dataDir, readyFile });
		t.after(() => holder.kill('SIGKILL'));
		await waitForFile(readyFile, holder);
		const its = stagingName(holder.pid);
		leftover(world, STAGING_DIR, its, 24 * 60 * 60 * 1000);

		const busy = await doctor(world);
		assert.deepEqual(
			busy.map(({ kind, pid }) => ({ kind, pid })),
			[{ kind: 'store-busy', pid: holder.pid }],
		);
		assert.match(busy[0]?.message ?? '', new RegExp(`process ${holder.pid}\\b`));

		holder.kill('SIGKILL');
		assert.equal((await holder.exit).signal, 'SIGKILL');
		const findings = await doctor(world);
		assert.deepEqual(
			findings.map((finding) => [finding.kind, finding.files]),
			[['leftover', [join(STAGING_DIR, its)]]],
		);
		const report = await clean(world);
		assert.deepEqual(report.removed, [join(STAGING_DIR, its)]);
		assert.deepEqual(staging(world), []);
	});

	it("keeps a live process's staging, and says when unattributed young staging can go", async () => {
		const world = await freshWorld();
		// This test process is alive: its staging is a download in progress.
		const live = stagingName(process.pid);
		leftover(world, STAGING_DIR, live, 30 * 24 * 60 * 60 * 1000);
		const stamped = leftover(world, STAGING_DIR, 'made-by-hand', 60 * 1000);
		const cleanableAt = new Date(stamped.getTime() + 10 * 60 * 1000).toISOString();

		const findings = await doctor(world);
		assert.deepEqual(
			findings.map(({ kind, pid, cleanableAt }) => ({ kind, pid, cleanableAt })),
			[
				{ kind: 'leftover-young', pid: undefined, cleanableAt },
				{ kind: 'leftover-in-use', pid: process.pid, cleanableAt: undefined },
			],
		);
		const report = await clean(world);
		assert.deepEqual(report.removed, []);
		assert.deepEqual(report.kept, [
			{ path: join(STAGING_DIR, 'made-by-hand'), removableAt: cleanableAt },
			{ path: join(STAGING_DIR, live), pid: process.pid },
		]);
		assert.deepEqual(staging(world), ['made-by-hand', live].sort());

		// At the time doctor gave, clean takes it; the live process's staging still stays.
		const later = await world.vouch(['clean', '--json'], { now: () => new Date(cleanableAt) });
		assert.equal(later.code, 0, later.stdout + later.stderr);
		assert.deepEqual((parseJson(later) as { removed: string[] }).removed, [
			join(STAGING_DIR, 'made-by-hand'),
		]);
		assert.deepEqual(staging(world), [live]);
	});
});

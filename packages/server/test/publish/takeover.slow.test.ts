/**
 * The test: two real service processes publish from one database. The one holding the
 * lease is killed (SIGKILL) in the middle of a publish, after signing and before its commit;
 * the other takes over once the lease expires and publishes the changes. Afterwards nothing
 * is lost (every change has a publish, the published registry is the document) and nothing
 * is published twice (versions unique and contiguous, one log entry per change).
 *
 * It runs on PostgreSQL, the engine for several service processes, and on SQLite too: two
 * processes on one machine can share its file, and the same guarantees must hold there.
 */
import assert from 'node:assert/strict';
import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { performance } from 'node:perf_hooks';
import { createInterface } from 'node:readline';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { openServiceDb } from '../../src/db/open.ts';
import { createPublisher } from '../../src/publish/index.ts';
import { forEachEngine } from '../engines.ts';
import type { ProcessConfig } from './helpers/publisher-process.ts';
import {
	changeRows,
	editDocument,
	publishRows,
	registryText,
	seedDocument,
} from './helpers/registry.ts';
import {
	exportRepository,
	logEntries,
	publishedRegistryTarget,
	registryTargetOf,
	verifyRepository,
} from './helpers/repository.ts';
import { makeKeys } from './helpers/world.ts';

const HERE = fileURLToPath(new URL('.', import.meta.url));
const REPO_ROOT = resolve(HERE, '../../../..');
/**
 * The child as plain JavaScript where the suite runs from its transpiled mirror (the mirror
 * holds it because this file imports its config type), else its source through tsx. tsx would
 * cost each child about three times the CPU of loading the publisher.
 */
const CHILD_JS = join(HERE, 'helpers', 'publisher-process.js');
const CHILD_ARGV = existsSync(CHILD_JS)
	? ['--conditions=vouch-source', CHILD_JS]
	: ['--conditions=vouch-source', '--import', 'tsx', join(HERE, 'helpers', 'publisher-process.ts')];
const LEASE_MS = 3000;
/** Far beyond the lease: only a takeover that never comes runs into it. */
const TAKEOVER_DEADLINE_MS = LEASE_MS + 60_000;

interface Child {
	process: ChildProcess;
	events: Record<string, unknown>[];
	waitFor(event: string): Promise<Record<string, unknown>>;
}

function startPublisherProcess(config: ProcessConfig): Child {
	const child = spawn(process.execPath, [...CHILD_ARGV, JSON.stringify(config)], {
		cwd: REPO_ROOT,
		stdio: ['ignore', 'pipe', 'inherit'],
	});
	const events: Record<string, unknown>[] = [];
	const waiters: { event: string; resolve: (value: Record<string, unknown>) => void }[] = [];
	createInterface({ input: child.stdout as NodeJS.ReadableStream }).on('line', (line) => {
		const event = JSON.parse(line) as Record<string, unknown>;
		events.push(event);
		for (const waiter of waiters.filter((w) => w.event === event.event)) {
			waiters.splice(waiters.indexOf(waiter), 1);
			waiter.resolve(event);
		}
	});
	return {
		process: child,
		events,
		waitFor: (event) =>
			new Promise((resolveEvent, reject) => {
				const seen = events.find((e) => e.event === event);
				if (seen !== undefined) return resolveEvent(seen);
				waiters.push({ event, resolve: resolveEvent });
				child.once('exit', (code, signal) =>
					reject(new Error(`the publisher process ended (${code ?? signal}) before "${event}"`)),
				);
			}),
	};
}

function exited(child: ChildProcess): Promise<void> {
	if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
	return new Promise((resolveExit) => child.once('exit', () => resolveExit()));
}

test('a publisher killed mid-publish: another process takes over, nothing lost or doubled', async (t) => {
	await forEachEngine(t, async ({ options, dir, engine }, st) => {
		const service = await openServiceDb(options);
		const keysDir = await makeKeys(dir);
		const children: Child[] = [];
		try {
			await seedDocument(service.db, registryText(2));
			const setup = createPublisher({ db: service.db, keysDir, holder: 'setup' });
			assert.equal((await setup.publishNow()).status, 'published');
			await setup.stop();
			let revision = 1;
			for (let i = 1; i <= 3; i++) revision = await editDocument(service.db, registryText(2, i));

			const database: ProcessConfig['database'] =
				options.url !== undefined
					? { url: options.url }
					: options.dataDir === undefined
						? {}
						: { dataDir: options.dataDir };
			// Both processes start together; whichever takes the lease first pauses in its
			// publish (the pause file exists until then) and is the one killed.
			const pauseFile = join(dir, 'pause');
			await writeFile(pauseFile, '');
			const config = { database, keysDir, leaseMs: LEASE_MS, intervalMs: 100, pauseFile };
			const started = ['one', 'two'].map((holder) => startPublisherProcess({ ...config, holder }));
			children.push(...started);
			const [doomed, survivor] = await Promise.race(
				started.map(async (child, i) => {
					await child.waitFor('paused');
					return [child, started[1 - i] as Child] as const;
				}),
			);
			await rm(pauseFile);
			await survivor.waitFor('ready');

			doomed.process.kill('SIGKILL');
			const killedAt = performance.now();
			await exited(doomed.process);
			for (;;) {
				const pending = (await changeRows(service.db)).filter((c) => c.publish_id === null);
				if (pending.length === 0) break;
				assert.ok(
					performance.now() - killedAt < TAKEOVER_DEADLINE_MS,
					'the survivor took over within the lease and a generous margin',
				);
				await new Promise((resolveWait) => setTimeout(resolveWait, 50));
			}
			const takeoverMs = Math.round(performance.now() - killedAt);
			st.diagnostic(
				`${engine}: published by the survivor ${takeoverMs} ms after the kill (lease ${LEASE_MS} ms)`,
			);
			const survivorName = survivor === started[0] ? 'one' : 'two';

			// The survivor goes on publishing as the holder.
			revision = await editDocument(service.db, registryText(3));
			const waiter = createPublisher({ db: service.db, keysDir, holder: 'waiter' });
			await waiter.waitForRevision(revision, { timeoutMs: TAKEOVER_DEADLINE_MS });
			survivor.process.kill('SIGTERM');
			await survivor.waitFor('stopped');
			await exited(survivor.process);

			const publishes = await publishRows(service.db);
			assert.deepEqual(
				publishes.map((row) => row.holder),
				['setup', ...publishes.slice(1).map(() => survivorName)],
				'the killed process committed nothing',
			);
			const versions = publishes.map((row) => row.targets_version);
			assert.deepEqual(
				versions,
				versions.map((_, i) => i + 1),
				'versions unique and contiguous',
			);
			assert.deepEqual(
				publishes.map((row) => row.timestamp_version),
				versions,
			);
			const epochs = publishes.map((row) => row.lease_epoch);
			assert.ok((epochs.at(-1) ?? 0) >= 3, 'setup, the killed holder, then the survivor');

			const changes = await changeRows(service.db);
			const ids = new Set(publishes.map((row) => row.id));
			for (const change of changes)
				assert.ok(change.publish_id !== null && ids.has(change.publish_id));
			const document = await service.db
				.selectFrom('registry_document')
				.select('text')
				.executeTakeFirstOrThrow();
			assert.deepEqual(await publishedRegistryTarget(service.db), registryTargetOf(document.text));

			const repoDir = join(dir, 'served');
			await exportRepository(service.db, repoDir);
			const verified = await verifyRepository(
				repoDir,
				join(dir, 'client'),
				join(repoDir, 'metadata', '1.root.json'),
				() => new Date(),
			);
			assert.equal(verified.versions.targets, versions.length);
			const entries = await logEntries(repoDir, keysDir);
			assert.equal(entries.length, 1 + changes.length + publishes.length);
			assert.deepEqual(
				entries.filter((e) => e.action === 'plugin_update').map((e) => e.reason),
				changes.map((change) => change.reason),
				'each change in the log once',
			);
		} finally {
			for (const child of children) {
				if (child.process.exitCode === null && child.process.signalCode === null) {
					child.process.kill('SIGKILL');
					await exited(child.process);
				}
			}
			await service.close();
		}
	});
});

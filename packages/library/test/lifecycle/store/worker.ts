/**
 * Runs store operations in a separate `node` process for the tests: concurrent writers, a
 * process that holds the lock, and changes that SIGKILL their own process at a chosen step.
 * The job comes as JSON in argv[2] (see `WorkerJob` in helpers.ts).
 */
import { appendFileSync, existsSync, writeFileSync } from 'node:fs';
import { setTimeout as sleep } from 'node:timers/promises';
import {
	createPluginFiles,
	type InstalledPlugin,
	openStore,
	type StoreState,
} from '../../../src/lifecycle/store/index.ts';
import { FIXED_NOW, pluginRecord, type WorkerJob } from './helpers.ts';

const job = JSON.parse(process.argv[2] ?? '{}') as WorkerJob;

// A test that failed before stopping this worker must not leave it running (and waiting).
const parent = process.ppid;
setInterval(() => {
	if (process.ppid !== parent) process.exit(1);
}, 200).unref();

async function waitFor(path: string): Promise<void> {
	while (!existsSync(path)) await sleep(5);
}

/** The process ends here, as it would on a power cut or an OOM kill: nothing else runs. */
function crashIfAt(crashAt: string, step: string): void {
	if (step === crashAt) process.kill(process.pid, 'SIGKILL');
}

function plugin(state: StoreState, uuid: string): InstalledPlugin {
	const found = state.plugins[uuid];
	if (found === undefined) throw new Error(`${uuid} is not installed`);
	return found;
}

async function main(): Promise<void> {
	const store = openStore({ dataDir: job.dataDir });
	switch (job.kind) {
		case 'add-plugins': {
			for (let i = 0; i < job.count; i++) {
				await store.transaction(async (state) => {
					const uuid = `${job.prefix}-${i}`;
					state.plugins[uuid] = pluginRecord(uuid);
					state.enabled.push(uuid);
				});
			}
			break;
		}
		case 'hold': {
			await store.transaction(async () => {
				writeFileSync(job.readyFile, String(process.pid));
				// Held until the test kills this process.
				await new Promise(() => setInterval(() => undefined, 1000));
			});
			break;
		}
		case 'log-turns': {
			for (const round of job.rounds) {
				writeFileSync(round.readyFile, String(process.pid));
				await waitFor(round.goFile);
				for (let turn = 0; turn < job.turns; turn++) {
					await store.transaction(async () => {
						appendFileSync(round.log, `enter ${process.pid}\n`);
						// Long enough for a second holder, if there were one, to write its own line.
						await sleep(15);
						appendFileSync(round.log, `leave ${process.pid}\n`);
					});
				}
			}
			break;
		}
		case 'place':
		case 'remove':
		case 'quarantine':
		case 'release': {
			const files = createPluginFiles({
				pluginsDir: job.pluginsDir,
				dataDir: job.dataDir,
				now: () => FIXED_NOW,
				checkpoint: (step) => crashIfAt(job.crashAt, step),
			});
			await store.transaction(async (state, tx) => {
				if (job.kind === 'place') {
					// A reinstall under a new directory name also removes the old directory. Its
					// removal is journaled first, so that no crash can leave it behind unnamed.
					if (job.replaces !== undefined) await files.remove(tx, job.replaces);
					await files.place(state, tx, {
						staged: job.staged,
						record: job.record,
						enabled: job.enabled,
					});
					state.plugins[job.record.uuid] = job.record;
					state.enabled = state.enabled.filter((uuid) => uuid !== job.record.uuid);
					if (job.enabled) state.enabled.push(job.record.uuid);
				} else if (job.kind === 'remove') {
					await files.remove(tx, plugin(state, job.uuid));
					delete state.plugins[job.uuid];
					state.enabled = state.enabled.filter((uuid) => uuid !== job.uuid);
				} else if (job.kind === 'release') {
					await files.release(state, tx, plugin(state, job.uuid));
				} else {
					const target = plugin(state, job.uuid);
					target.disabledReason = {
						kind: 'blacklist',
						reason: 'test',
						at: FIXED_NOW.toISOString(),
					};
					await files.quarantine(state, tx, target);
				}
			});
			break;
		}
	}
	process.stdout.write('done\n');
}

await main();

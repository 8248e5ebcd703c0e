/**
 * Crash safety of install and update: a real child process runs the pipeline as the CLI wires
 * it and is SIGKILLed at each stage. Afterwards, and after `vouch clean`, the plugin must be
 * exactly the old one or exactly the new one: state and files agree, nothing half-done stays.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, readdirSync, readFileSync, utimesSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { compareTrees, digestTree } from '../../src/lifecycle/store/index.ts';
import { parseJson } from '../helpers/cli.ts';
import { createWorld, registryEntry, type ServedPlugin, type World } from './world.ts';

const SPEC = { name: 'crashy', uuid: 'e1f2a3b4-c5d6-4e7f-8a9b-0c1d2e3f4a5b' };
const DIR = `crashy_${SPEC.uuid}`;
const INSTALL_STAGES = [
	'after-ls-remote',
	'after-clone',
	'after-manifest',
	'in-transaction',
	'after-place',
	'after-state-write',
];
const UPDATE_STAGES = INSTALL_STAGES;
const CHILD = new URL('./crash-child.ts', import.meta.url).pathname;

let world: World;
let plugin: ServedPlugin;

/** Async: the git server lives in this process, and a blocked event loop would starve it. */
async function runChild(op: 'install' | 'update', stage: string): Promise<string[]> {
	const marker = join(world.root, `marker-${op}-${stage}`);
	const job = {
		env: world.env,
		cwd: world.root,
		registryFile: world.registryFile,
		op,
		target: op === 'install' ? SPEC.name : SPEC.uuid,
		stage,
		marker,
	};
	const child = spawn(process.execPath, ['--import', 'tsx', CHILD, JSON.stringify(job)], {
		env: { ...process.env, ...world.env },
		stdio: ['ignore', 'ignore', 'pipe'],
	});
	let stderr = '';
	child.stderr.on('data', (chunk) => {
		stderr += chunk;
	});
	const [, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
	assert.equal(signal, 'SIGKILL', `${op} ${stage}: ${stderr}`);
	return readFileSync(marker, 'utf8').trim().split('\n');
}

/** Makes young staging directories look old, so `clean` may take them (they are a dead run's). */
function ageStaging(): void {
	const staging = join(world.profile.pluginsDir, '.vouch-staging');
	if (!existsSync(staging)) return;
	const past = new Date(Date.now() - 24 * 60 * 60 * 1000);
	for (const name of readdirSync(staging)) utimesSync(join(staging, name), past, past);
}

/** After recovery: the state's word and the files agree, and nothing half-done remains. */
async function assertConsistent(expectedCommits: string[]): Promise<string | undefined> {
	ageStaging();
	const clean = await world.vouch(['clean', '--json']);
	assert.equal(clean.code, 0, clean.stdout + clean.stderr);
	const state = await world.state();
	const record = state.plugins[SPEC.uuid];
	const dir = join(world.profile.pluginsDir, DIR);
	for (const folder of ['.vouch-staging', '.vouch-old']) {
		const path = join(world.profile.pluginsDir, folder);
		if (existsSync(path)) assert.deepEqual(readdirSync(path), [], folder);
	}
	const journal = join(world.profile.dataDir, 'journal');
	if (existsSync(journal)) assert.deepEqual(readdirSync(journal), []);
	if (record === undefined) {
		assert.equal(existsSync(dir), false, 'no directory without a record');
		assert.equal(state.enabled.includes(SPEC.uuid), false);
		return undefined;
	}
	assert.ok(expectedCommits.includes(record.source.commit as string), 'old or new commit');
	const diff = compareTrees(record.files, (await digestTree(dir)).files);
	assert.deepEqual(diff, { changed: [], added: [], removed: [] }, 'files match the record');
	return record.source.commit;
}

describe('crash safety', () => {
	before(async () => {
		world = await createWorld();
		plugin = world.serve(SPEC);
		world.writeRegistry([registryEntry(plugin, SPEC, { trust_level: 'trusted' })]);
	});
	after(() => world.close());

	for (const stage of INSTALL_STAGES) {
		it(`install killed ${stage} leaves nothing or the whole plugin`, async () => {
			assert.deepEqual(await runChild('install', stage), [stage]);
			const commit = await assertConsistent([plugin.repo.commitOf()]);
			// Killed after the state write, the install is complete; before it, nothing stays.
			assert.equal(commit !== undefined, stage === 'after-state-write' || stage === 'after-place');
			if (commit !== undefined) {
				assert.equal((await world.vouch(['uninstall', SPEC.uuid, '--json'])).code, 0);
			}
		});
	}

	it('a later run after a crash installs normally', async () => {
		await runChild('install', 'after-place');
		const run = await world.vouch([
			'install',
			SPEC.name,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		// The next run settles the interrupted install first: the plugin is then there already.
		assert.equal(run.code, 1);
		assert.equal((parseJson(run).error as { code: string }).code, 'ALREADY_INSTALLED');
		await assertConsistent([plugin.repo.commitOf()]);
	});

	for (const stage of UPDATE_STAGES) {
		it(`update killed ${stage} leaves the old version or the new one`, async () => {
			if ((await world.state()).plugins[SPEC.uuid] === undefined) {
				const run = await world.vouch([
					'install',
					SPEC.name,
					'--registry',
					world.registryFile,
					'--yes',
				]);
				assert.equal(run.code, 0, run.stderr);
			}
			const old = (await world.state()).plugins[SPEC.uuid]?.source.commit as string;
			const next = plugin.repo.commit({
				[`change-${stage}.py`]: `stage = ${JSON.stringify(stage)}\n`,
			});
			world.publish(plugin);
			assert.deepEqual(await runChild('update', stage), [stage]);
			const commit = await assertConsistent([old, next]);
			const expectNew = stage === 'after-state-write' || stage === 'after-place';
			assert.equal(commit, expectNew ? next : old, stage);
		});
	}
});

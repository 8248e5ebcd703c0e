/**
 * The Python adapter against the real `vouch`:
 * - vectors made from real `vouch startup-check --json` runs (installed plugins served over git
 *   on 127.0.0.1, one of them blacklisted) go through the Python vector tests, so the shared
 *   vectors cannot drift from what Vouch really prints;
 * - the adapter runs the built command (`packages/cli/bin/vouch.js`) end to end, and a fake
 *   `vouch` that hangs, to see the timeout load nothing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { assertJsonOutput } from '../../packages/cli/test/json/schema-check.ts';
import type { StartupCheckVector } from '../../packages/cli/test/json/startup-check-vectors.test.ts';
import {
	createWorld,
	type PluginSpec,
	registryEntry,
	type ServedPlugin,
	type World,
} from '../../packages/cli/test/lifecycle/world.ts';
import { makeTempDir } from '../../packages/library/test/helpers/temp.ts';
import { describeRun, runPython, VOUCH_BIN } from './python.ts';

const TAGGY: PluginSpec = { name: 'taggy', uuid: '4d6e8f0a-1b2c-4d3e-9f4a-5b6c7d8e9f01' };
const BRANCHY: PluginSpec = { name: 'branchy', uuid: '5e7f9a1b-2c3d-4e4f-8a5b-6c7d8e9f0a12' };
const DOOMED: PluginSpec = { name: 'doomed', uuid: '6f8a0b2c-3d4e-4f5a-9b6c-7d8e9f0a1b23' };

const NO_BLOCKS = { disabled: [], quarantined: [], 'held-back': [], removed: [], refused: [] };

interface Served {
	entries: Record<string, unknown>[];
	doomed: ServedPlugin;
}

function serveThree(world: World): Served {
	const taggy = world.serve(TAGGY);
	const branchy = world.serve(BRANCHY);
	const doomed = world.serve(DOOMED);
	const entries = [
		registryEntry(taggy, TAGGY, { trust_level: 'trusted' }),
		registryEntry(branchy, BRANCHY, { trust_level: 'community' }),
		registryEntry(doomed, DOOMED, { trust_level: 'community' }),
	];
	world.writeRegistry(entries);
	return { entries, doomed };
}

describe('vectors from real startup-check runs', () => {
	let world: World;
	let served: Served;
	const vectorDir = makeTempDir('vouch-real-vectors-');

	before(async () => {
		world = await createWorld();
		served = serveThree(world);
	});
	after(() => world.close());

	function record(
		name: string,
		run: { code: number; stdout: string },
		vector: Omit<StartupCheckVector, 'run'>,
	): void {
		const full: StartupCheckVector = { ...vector, run: { exitCode: run.code, stdout: run.stdout } };
		writeFileSync(join(vectorDir, `${name}.json`), JSON.stringify(full, null, '\t'));
	}

	async function startupCheck(registry = world.registryFile) {
		return world.vouch(['startup-check', '--registry', registry, '--json']);
	}

	it('records the runs', async () => {
		for (const spec of [TAGGY, BRANCHY, DOOMED]) {
			const install = await world.vouch([
				'install',
				spec.name,
				'--yes',
				'--registry',
				world.registryFile,
				'--json',
			]);
			assert.equal(install.code, 0, install.stdout + install.stderr);
		}
		const clean = await startupCheck();
		assertJsonOutput(clean, 'startup-check');
		record('real-clean', clean, {
			description: 'A real run: three installed plugins, all allowed.',
			conformsToSchema: true,
			expect: {
				answered: true,
				failure: null,
				load: [BRANCHY.uuid, DOOMED.uuid, TAGGY.uuid],
				blocked: NO_BLOCKS,
				needsRefresh: false,
			},
		});

		world.writeRegistry(served.entries, [{ url: served.doomed.url, reason: 'Malware found' }]);
		const blacklisted = await startupCheck();
		assertJsonOutput(blacklisted, 'startup-check');
		record('real-blacklisted', blacklisted, {
			description: 'A real run: one plugin newly blacklisted (hard), disabled and quarantined.',
			conformsToSchema: true,
			expect: {
				answered: true,
				failure: null,
				load: [BRANCHY.uuid, TAGGY.uuid],
				blocked: { ...NO_BLOCKS, disabled: [DOOMED.uuid], quarantined: [DOOMED.uuid] },
				needsRefresh: false,
			},
		});

		const none = await startupCheck(join(makeTempDir('vouch-no-registry-'), 'missing.toml'));
		assertJsonOutput(none, 'startup-check');
		record('real-no-registry', none, {
			description:
				'A real run with no registry: the community plugin is held back, the trusted one loads.',
			conformsToSchema: true,
			expect: {
				answered: true,
				failure: null,
				load: [TAGGY.uuid],
				blocked: { ...NO_BLOCKS, 'held-back': [BRANCHY.uuid] },
				needsRefresh: true,
			},
		});

		const broken = await world.vouch([
			'startup-check',
			'--profile',
			join(world.root, 'nope.toml'),
			'--json',
		]);
		assertJsonOutput(broken, 'error');
		record('real-invalid-profile', broken, {
			description: 'A real failure: the profile cannot be read, and the error document says so.',
			expect: {
				answered: false,
				failure: 'vouch-error',
				vouchCode: 'INVALID_PROFILE',
				load: [],
				blocked: NO_BLOCKS,
				needsRefresh: false,
			},
		});
	});

	it('pass the Python vector tests', async () => {
		const run = await runPython(['-m', 'unittest', '-v', 'tests.test_vectors'], {
			env: { VOUCH_EXTRA_VECTOR_DIRS: vectorDir },
		});
		assert.equal(run.code, 0, describeRun(run));
		assert.match(run.stderr, /checked 4 generated vectors/, describeRun(run));
		assert.doesNotMatch(run.stderr, /skipped/, describeRun(run));
	});
});

/** The built `vouch` command as a child process (async: the git server runs in this process). */
function runBin(
	args: string[],
	env: NodeJS.ProcessEnv,
): Promise<{ code: number | null; out: string }> {
	return new Promise((resolve) => {
		const child = spawn(process.execPath, [VOUCH_BIN, ...args], {
			env,
			stdio: ['ignore', 'pipe', 'pipe'],
		});
		let out = '';
		child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
		child.stderr.on('data', (chunk: Buffer) => (out += chunk.toString('utf8')));
		child.on('close', (code) => resolve({ code, out }));
	});
}

/** Runs `vouch_adapter.check` in python3 and returns what it decided, as JSON. */
async function adapterCheck(
	vouch: string[],
	registry: string,
	env: NodeJS.ProcessEnv,
	timeout: number,
) {
	const script = [
		'import json, sys',
		'from vouch_adapter import check',
		'args = json.loads(sys.argv[1])',
		"d = check(args['vouch'], registry=args['registry'], env=args['env'], timeout=args['timeout'])",
		'print(json.dumps({',
		"  'answered': d.answered,",
		"  'failure': d.failure.code if d.failure else None,",
		"  'load': [[p.uuid, p.path, p.trust] for p in d.load],",
		"  'disabled': [p.uuid for p in d.blocked_in('disabled')],",
		"  'quarantined': [p.uuid for p in d.blocked_in('quarantined')],",
		"  'mayLoadDoomed': d.may_load(args['doomed']),",
		"  'notices': d.notices(),",
		'}))',
	].join('\n');
	const run = await runPython([
		'-c',
		script,
		JSON.stringify({ vouch, registry, env, timeout, doomed: DOOMED.uuid }),
	]);
	assert.equal(run.code, 0, describeRun(run));
	return JSON.parse(run.stdout) as {
		answered: boolean;
		failure: string | null;
		load: [string, string, string][];
		disabled: string[];
		quarantined: string[];
		mayLoadDoomed: boolean;
		notices: string[];
	};
}

describe('the Python adapter runs the built vouch command', () => {
	let world: World;
	let served: Served;

	before(async () => {
		assert.ok(existsSync(VOUCH_BIN), 'packages/cli/bin/vouch.js');
		world = await createWorld();
		served = serveThree(world);
	});
	after(() => world.close());

	it('loads what Vouch allows, and not the plugin it blacklisted', async () => {
		// Everything here runs through the binary, on the real clock, so the blacklist's age is
		// measured the same way throughout.
		for (const spec of [TAGGY, DOOMED]) {
			const install = await runBin(
				['install', spec.name, '--yes', '--registry', world.registryFile, '--json'],
				world.env,
			);
			assert.equal(install.code, 0, `${install.out}\n(run \`npm run build\` if dist/ is missing)`);
		}
		world.writeRegistry(served.entries, [
			{ uuid: DOOMED.uuid, reason: 'Steals \u001b[31mpasswords' },
		]);
		// A bound the check cannot reach on a busy machine: only the fake below is meant to hit one.
		const first = await adapterCheck(
			[process.execPath, VOUCH_BIN],
			world.registryFile,
			world.env,
			600,
		);
		assert.equal(first.failure, null, JSON.stringify(first));
		assert.deepEqual(
			first.load.map(([uuid]) => uuid),
			[TAGGY.uuid],
		);
		assert.ok(
			first.load[0]?.[1].startsWith(world.profile.pluginsDir),
			'loaded from the plugins directory',
		);
		assert.equal(first.load[0]?.[2], 'trusted');
		assert.deepEqual(first.disabled, [DOOMED.uuid]);
		assert.deepEqual(first.quarantined, [DOOMED.uuid]);
		assert.equal(first.mayLoadDoomed, false);
		const notice = first.notices.find((line) => line.includes('doomed'));
		assert.ok(notice?.includes('Steals passwords'), JSON.stringify(first.notices));
		assert.ok(!first.notices.some((line) => line.includes('\u001b')), 'no escape reaches the host');

		// The next start: the plugin stays off without being reported again.
		const second = await adapterCheck(
			[process.execPath, VOUCH_BIN],
			world.registryFile,
			world.env,
			600,
		);
		assert.deepEqual(
			second.load.map(([uuid]) => uuid),
			[TAGGY.uuid],
		);
		assert.deepEqual(second.disabled, []);
		assert.equal(second.mayLoadDoomed, false);
	});

	it('a vouch that hangs is stopped, and nothing loads', async () => {
		const dir = makeTempDir('vouch-fake-bin-');
		mkdirSync(dir, { recursive: true });
		const fake = join(dir, 'vouch');
		writeFileSync(fake, '#!/bin/sh\nexec sleep 100000\n');
		chmodSync(fake, 0o755);
		const result = await adapterCheck([fake], world.registryFile, world.env, 1);
		assert.equal(result.answered, false);
		assert.equal(result.failure, 'timeout');
		assert.deepEqual(result.load, []);
		assert.match(result.notices[0] ?? '', /not loaded/);
	});

	it('a vouch that is not there loads nothing', async () => {
		const result = await adapterCheck(
			[join(world.root, 'no-vouch-here')],
			world.registryFile,
			world.env,
			600,
		);
		assert.equal(result.failure, 'not-found');
		assert.deepEqual(result.load, []);
	});
});

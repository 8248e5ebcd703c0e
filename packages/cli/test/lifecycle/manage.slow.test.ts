/**
 * uninstall, enable/disable, startup-check, clean and doctor on real installs (spec items 12,
 * 31, 35, 62; D1, D4, D10, D19b).
 */
import assert from 'node:assert/strict';
import {
	existsSync,
	mkdirSync,
	readdirSync,
	readFileSync,
	renameSync,
	symlinkSync,
	utimesSync,
	writeFileSync,
} from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { CLI_TEST_NOW, type CliRun, parseJson } from '../helpers/cli.ts';
import { assertJsonOutput } from '../json/schema-check.ts';
import {
	createWorld,
	type PluginSpec,
	registryEntry,
	type ServedPlugin,
	type World,
} from './world.ts';

let world: World;
const code = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;
const TRUSTED: PluginSpec = { name: 'trusty', uuid: 'a1b2c3d4-e5f6-4a7b-8c9d-0e1f2a3b4c5d' };
const COMMUNITY: PluginSpec = { name: 'commune', uuid: 'b2c3d4e5-f6a7-4b8c-9d0e-1f2a3b4c5d6e' };
const DOOMED: PluginSpec = { name: 'doomed', uuid: 'c3d4e5f6-a7b8-4c9d-8e0f-2a3b4c5d6e7f' };
let served: Record<string, ServedPlugin>;
let entries: Record<string, unknown>[];

/** Commands that only change local state take no --registry. */
const LOCAL_ONLY = new Set(['disable', 'uninstall', 'clean']);

async function vouch(args: string[]): Promise<CliRun> {
	const registry = LOCAL_ONLY.has(args[0] as string) ? [] : ['--registry', world.registryFile];
	return world.vouch([...args, ...registry, '--json']);
}

describe('managing installed plugins', () => {
	before(async () => {
		world = await createWorld();
		served = {
			trusty: world.serve(TRUSTED),
			commune: world.serve(COMMUNITY),
			doomed: world.serve(DOOMED),
		};
		entries = [
			registryEntry(served.trusty as ServedPlugin, TRUSTED, { trust_level: 'trusted' }),
			registryEntry(served.commune as ServedPlugin, COMMUNITY),
			registryEntry(served.doomed as ServedPlugin, DOOMED),
		];
		world.writeRegistry(entries);
		for (const name of ['trusty', 'commune', 'doomed']) {
			const run = await vouch(['install', name, '--yes']);
			assert.equal(run.code, 0, run.stdout + run.stderr);
		}
	});
	after(() => world.close());

	it('info shows the installed copy: where from, trust now and at install, state', async () => {
		const run = await vouch(['info', 'trusty']);
		assert.equal(run.code, 0, run.stderr);
		const installed = parseJson(run).installed as Record<string, unknown>;
		assert.equal(installed.trust, 'trusted');
		assert.equal(installed.trustAtInstall, 'trusted');
		assert.equal(installed.enabled, true);
		assert.equal((installed.source as { url: string }).url, (served.trusty as ServedPlugin).url);
		const human = await world.vouch(['info', 'trusty', '--registry', world.registryFile]);
		assert.match(human.stdout, /Installed: +main @[0-9a-f]{7} \[enabled\]/);
		// Picard runs Python: what Node 20 cannot enforce is nothing to its users (D29).
		assert.match(human.stdout, /^ {2}Capabilities: undeclared$/m);
		assert.doesNotMatch(human.stdout, /Node 20/);
	});

	it("info keeps the Node host's enforcement note for a host whose plugins are JavaScript", async () => {
		// The same installs, seen through a profile of a Node host.
		const profile = join(world.root, 'nodehost.toml');
		writeFileSync(
			profile,
			[
				'name = "nodehost"',
				'api_versions = ["3.0"]',
				`registry_urls = ["${world.registryFile}"]`,
				'allow_unsigned = true',
				'plugin_language = "javascript"',
				`plugins_dir = "${world.profile.pluginsDir}"`,
				`data_dir = "${world.profile.dataDir}"`,
				`cache_dir = "${world.profile.cacheDir}"`,
				'',
			].join('\n'),
		);
		const human = await world.vouch([
			'info',
			'trusty',
			'--offline',
			'--profile',
			profile,
			'--registry',
			world.registryFile,
		]);
		assert.equal(human.code, 0, human.stderr);
		assert.match(
			human.stdout,
			/Capabilities: undeclared \(raw sockets: not enforceable on Node 20\)/,
		);
	});

	it('info of an installed plugin shows all the registry says too, not less', async () => {
		const run = await vouch(['info', 'trusty', '--offline']);
		const document = assertJsonOutput(run, 'info');
		const entry = document.registryEntry as Record<string, unknown>;
		assert.equal(entry.id, 'trusty');
		assert.equal(entry.uuid, TRUSTED.uuid);
		assert.equal(entry.description, 'The trusty plugin');
		assert.equal(entry.gitUrl, (served.trusty as ServedPlugin).url);
		assert.deepEqual(entry.authors, ['Test Author']);
		const human = await world.vouch([
			'info',
			'trusty',
			'--offline',
			'--registry',
			world.registryFile,
		]);
		const lines = human.stdout.split('\n');
		assert.match(lines[0] as string, /trusted +"trusty" \(trusty\)$/, 'the heading names the id');
		assert.match(lines[1] as string, /^ +The trusty plugin$/);
		assert.match(human.stdout, new RegExp(`UUID: +${TRUSTED.uuid}`));
		assert.ok(human.stdout.includes(`Git URL:      ${(served.trusty as ServedPlugin).url}`));
		assert.match(human.stdout, /Refs: +.*\(registry entry\)/);
		assert.match(human.stdout, /Authors: +Test Author/);
		assert.match(human.stdout, /Installed: +main @[0-9a-f]{7} \[enabled\]/);
	});

	it('disables and enables, and enable refuses a hard-blacklisted plugin (D10)', async () => {
		assert.equal((await vouch(['disable', 'commune'])).code, 0);
		assert.equal((await world.state()).enabled.includes(COMMUNITY.uuid), false);
		world.writeRegistry(entries, [{ uuid: COMMUNITY.uuid, reason: 'Bad' }]);
		const refused = await vouch(['enable', 'commune', '--yes']);
		assert.equal(refused.code, 3);
		assert.equal(code(refused), 'BLACKLISTED');
		world.writeRegistry(entries);
		assert.equal((await vouch(['enable', 'commune'])).code, 0);
		assert.equal((await world.state()).enabled.includes(COMMUNITY.uuid), true);
	});

	it('at startup, quarantines a hard-blacklisted plugin, keeping its files (item 31, D4)', async () => {
		world.writeRegistry(entries, [
			{ url: (served.doomed as ServedPlugin).url, reason: 'Malware found' },
		]);
		const run = await vouch(['startup-check']);
		assert.equal(run.code, 0, run.stderr);
		const report = parseJson(run) as {
			quarantined: { uuid: string; path: string }[];
			load: { uuid: string }[];
			disabled: { uuid: string; reason: string }[];
		};
		const moved = report.quarantined.find((item) => item.uuid === DOOMED.uuid);
		assert.ok(moved);
		assert.ok(existsSync(join(moved.path, 'MANIFEST.toml')), 'files kept in quarantine');
		assert.equal(existsSync(join(world.profile.pluginsDir, `doomed_${DOOMED.uuid}`)), false);
		assert.equal(
			report.load.some((item) => item.uuid === DOOMED.uuid),
			false,
		);
		assert.equal(
			report.disabled.find((item) => item.uuid === DOOMED.uuid)?.reason,
			'Malware found',
		);
		const state = await world.state();
		assert.equal(state.plugins[DOOMED.uuid]?.state, 'quarantined');
		assert.equal(state.enabled.includes(DOOMED.uuid), false);
		// Uninstalling it forgets it but never deletes the evidence.
		const uninstall = await vouch(['uninstall', 'doomed']);
		assert.equal(uninstall.code, 0);
		assert.ok(existsSync(join(moved.path, 'MANIFEST.toml')));
		world.writeRegistry(entries);
	});

	it('disables a trusted plugin whose files changed since install (D19b)', async () => {
		const file = join(world.profile.pluginsDir, `trusty_${TRUSTED.uuid}`, '__init__.py');
		const original = readFileSync(file, 'utf8');
		writeFileSync(file, `${original}import os; os.system('evil')\n`);
		const doctor = await vouch(['doctor']);
		assert.equal(doctor.code, 1);
		assert.ok(
			(parseJson(doctor).findings as { kind: string }[]).some(
				(finding) => finding.kind === 'integrity',
			),
		);
		const run = await vouch(['startup-check']);
		const report = parseJson(run) as {
			disabled: { uuid: string; kind: string; files?: string[] }[];
		};
		const disabled = report.disabled.find((item) => item.uuid === TRUSTED.uuid);
		assert.equal(disabled?.kind, 'integrity');
		assert.deepEqual(disabled?.files, ['__init__.py']);
		assert.equal((await world.state()).enabled.includes(TRUSTED.uuid), false);
		writeFileSync(file, original);
		assert.equal((await vouch(['enable', 'trusty'])).code, 0);
	});

	it('holds back community plugins when the blacklist cannot be read, trusted ones keep running (D1)', async () => {
		const missing = join(world.root, 'gone.json');
		const run = await world.vouch(['startup-check', '--registry', missing, '--json']);
		assert.equal(run.code, 0, run.stderr);
		const report = parseJson(run) as {
			load: { uuid: string }[];
			heldBack: { uuid: string; kind: string }[];
		};
		assert.ok(report.load.some((item) => item.uuid === TRUSTED.uuid));
		assert.deepEqual(
			report.heldBack.map((item) => [item.uuid, item.kind]),
			[[COMMUNITY.uuid, 'stale-blacklist']],
		);
		// Held back is not disabled: nothing on disk changed.
		assert.equal((await world.state()).enabled.includes(COMMUNITY.uuid), true);
	});

	it('uninstall unlinks a symlinked plugin directory without following it (item 12)', async () => {
		const dir = join(world.profile.pluginsDir, `commune_${COMMUNITY.uuid}`);
		const outside = join(world.root, 'precious');
		renameSync(dir, outside);
		symlinkSync(outside, dir);
		const run = await vouch(['uninstall', 'commune']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.equal(existsSync(dir), false);
		assert.ok(existsSync(join(outside, 'MANIFEST.toml')), 'the link target is untouched');
		assert.equal((await world.state()).plugins[COMMUNITY.uuid], undefined);
	});

	it('clean removes leftovers of interrupted work; doctor names orphans', async () => {
		const staging = join(world.profile.pluginsDir, '.vouch-staging', 'old-attempt');
		mkdirSync(staging, { recursive: true });
		// Dated from the CLI's own clock: a made-by-hand folder is judged by its age alone.
		const past = new Date(CLI_TEST_NOW.getTime() - 24 * 60 * 60 * 1000);
		utimesSync(staging, past, past);
		mkdirSync(join(world.profile.pluginsDir, 'stray-dir'));
		const doctor = await vouch(['doctor']);
		const kinds = (parseJson(doctor).findings as { kind: string }[]).map((finding) => finding.kind);
		assert.ok(kinds.includes('orphan'));
		assert.ok(kinds.includes('leftover'));
		const clean = await world.vouch(['clean', '--json']);
		assert.equal(clean.code, 0, clean.stderr);
		assert.deepEqual(readdirSync(join(world.profile.pluginsDir, '.vouch-staging')), []);
		assert.ok(
			existsSync(join(world.profile.pluginsDir, 'stray-dir')),
			'clean never deletes what is not ours',
		);
	});
});

/**
 * The static scan inside install and update (D21), through the CLI against plugins served over
 * git smart HTTP on 127.0.0.1: community and unregistered plugins show their high-severity
 * findings and undeclared capabilities on the consent screen, and a high-severity finding
 * needs its own yes (`--yes` alone never passes it). Trusted plugins are not gated, and every
 * install keeps its report.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { scanReportPath } from '@vouch/library/internal/lifecycle/scan-record';
import { type CliRun, parseJson } from '../helpers/cli.ts';
import { createWorld, registryEntry, type ServedPlugin, type World } from './world.ts';

/** A shell command built from data: the scanner's `process-shell` rule, high severity. */
const RISKY = 'import os\n\ndef enable(api):\n    os.system("convert " + api.path)\n';
const DECLARES_NOTHING_RISKY = '[capabilities]\nnetwork = false\n';

const COMMUNITY = { name: 'risky-community', uuid: '0c1d2e3f-4a5b-4c6d-8e7f-9a0b1c2d3e4f' };
const TRUSTED = { name: 'risky-trusted', uuid: '1d2e3f4a-5b6c-4d7e-9f8a-0b1c2d3e4f5a' };
const CLEAN = { name: 'clean-community', uuid: '2e3f4a5b-6c7d-4e8f-8a9b-1c2d3e4f5a6b' };
const BULKY = { name: 'bulky-community', uuid: '5b6c7d8e-9f0a-4b1c-8d2e-3f4a5b6c7d8e' };
const GARBLED = { name: 'garbled-community', uuid: '6c7d8e9f-0a1b-4c2d-9e3f-4a5b6c7d8e9f' };
const UNREGISTERED = { name: 'risky-stranger', uuid: '3f4a5b6c-7d8e-4f9a-9b0c-2d3e4f5a6b7c' };

let world: World;
let community: ServedPlugin;
let trusted: ServedPlugin;
let clean: ServedPlugin;
let stranger: ServedPlugin;
let bulky: ServedPlugin;
let garbled: ServedPlugin;

function errorCode(run: CliRun): unknown {
	return (parseJson(run).error as { code?: string } | undefined)?.code;
}

function install(target: string, extra: string[] = [], stdin?: string): Promise<CliRun> {
	return world.vouch(
		['install', target, '--registry', world.registryFile, ...extra],
		stdin === undefined ? {} : { stdin },
	);
}

before(async () => {
	world = await createWorld();
	community = world.serve({
		...COMMUNITY,
		manifestExtra: DECLARES_NOTHING_RISKY,
		files: {
			'__init__.py': RISKY,
			'net.py':
				'import urllib.request\n\ndef fetch():\n    return urllib.request.urlopen("https://example.org/x").read()\n',
		},
	});
	trusted = world.serve({ ...TRUSTED, files: { '__init__.py': RISKY } });
	clean = world.serve(CLEAN);
	stranger = world.serve({ ...UNREGISTERED, files: { '__init__.py': RISKY } });
	// Over the scanner's 2 MiB bound per file: whatever it holds is never looked at.
	bulky = world.serve({
		...BULKY,
		files: { 'generated.py': `DATA = '${'x'.repeat(2 * 1024 * 1024 + 16)}'\n` },
	});
	// Not valid Python: the parser reads it only in part, so the rules may have missed code.
	garbled = world.serve({ ...GARBLED, files: { '__init__.py': 'def f(:\n    pass\nimport os\n' } });
	world.writeRegistry([
		registryEntry(community, COMMUNITY),
		registryEntry(trusted, TRUSTED, { trust_level: 'trusted' }),
		registryEntry(clean, CLEAN),
		registryEntry(bulky, BULKY),
		registryEntry(garbled, GARBLED),
	]);
});
after(() => world.close());

describe('the scan gate at install (D21)', () => {
	it('shows findings and undeclared capabilities, and --yes alone does not pass them', async () => {
		const run = await install(COMMUNITY.name, ['--yes', '--json']);
		assert.equal(run.code, 1, run.stdout);
		assert.equal(errorCode(run), 'FINDINGS_NOT_ACCEPTED');
		assert.match(run.stderr, /Scan: [1-9]\d* high/);
		assert.match(run.stderr, /__init__\.py:4 \[undeclared-sensitive\]/);
		assert.match(run.stderr, /os\.system\("convert " \+ api\.path\)/, 'the code line is shown');
		assert.match(run.stderr, /does not declare: .*network/);
		assert.equal((await world.state()).plugins[COMMUNITY.uuid], undefined, 'nothing installed');
		assert.deepEqual(
			world.pluginDirs().filter((name) => name.startsWith('risky_community')),
			[],
		);
	});

	it('asks separately at a terminal, after the trust prompt: no declines', async () => {
		const no = await install(COMMUNITY.name, [], 'y\nn\n');
		assert.equal(no.code, 130, no.stderr);
		assert.match(no.stderr, /community plugin[\s\S]*Install it anyway\?/);
		// --yes answers the trust prompt only; the findings prompt is still asked.
		const stillAsked = await install(COMMUNITY.name, ['--yes'], 'n\n');
		assert.equal(stillAsked.code, 130, stillAsked.stderr);
		assert.equal((await world.state()).plugins[COMMUNITY.uuid], undefined);
		const yes = await install(COMMUNITY.name, [], 'y\ny\n');
		assert.equal(yes.code, 0, yes.stderr);
		assert.match(yes.stderr, /community plugin "risky-community"\?[\s\S]*Install it anyway\?/);
		const record = (await world.state()).plugins[COMMUNITY.uuid];
		assert.ok(record?.scan !== undefined && record.scan.high >= 1);
		assert.ok(record.scan.undeclared.includes('network'));
		const report = scanReportPath(world.profile.dataDir, COMMUNITY.uuid);
		assert.ok(existsSync(report));
		assert.equal((await world.vouch(['uninstall', COMMUNITY.name])).code, 0);
		assert.equal(existsSync(report), false, 'the report goes with the plugin');
	});

	it('--accept-findings passes the gate without a terminal, and the report is kept', async () => {
		const run = await install(COMMUNITY.name, ['--yes', '--accept-findings', '--json']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const plugin = parseJson(run).plugin as { scan: { high: number } };
		assert.ok(plugin.scan.high >= 1);
		const report = JSON.parse(
			readFileSync(scanReportPath(world.profile.dataDir, COMMUNITY.uuid), 'utf8'),
		) as { root: string; findings: { ruleId: string }[] };
		assert.ok(report.findings.some((finding) => finding.ruleId === 'process-shell'));
		const installedAt = (parseJson(run).plugin as { path: string }).path;
		assert.equal(report.root, installedAt, 'the report names where the plugin lives');
		const info = await world.vouch(['info', COMMUNITY.name, '--registry', world.registryFile]);
		assert.match(info.stdout, /Scan: +scan: \d+ high/);
		const list = await world.vouch(['list', '--registry', world.registryFile]);
		assert.match(list.stdout, /risky-community[\s\S]*scan: [1-9]\d* high/, 'list flags it');
	});

	it('gates an unregistered plugin the same way', async () => {
		const refused = await install(stranger.url, ['--yes', '--json']);
		assert.equal(refused.code, 1, refused.stdout);
		assert.equal(errorCode(refused), 'FINDINGS_NOT_ACCEPTED');
	});

	it('counts a file too large to scan like a high-severity finding', async () => {
		const run = await install(BULKY.name, ['--yes', '--json']);
		assert.equal(run.code, 1, run.stdout);
		assert.equal(errorCode(run), 'FINDINGS_NOT_ACCEPTED');
		assert.match(run.stderr, /could not be fully scanned[\s\S]*generated\.py/);
		const accepted = await install(BULKY.name, ['--yes', '--accept-findings', '--json']);
		assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr);
	});

	it('counts a file parsed only in part the same way', async () => {
		const run = await install(GARBLED.name, ['--yes', '--json']);
		assert.equal(run.code, 1, run.stdout);
		assert.equal(errorCode(run), 'FINDINGS_NOT_ACCEPTED');
		assert.match(run.stderr, /__init__\.py \(parsed only in part\)/);
	});

	it('does not gate a trusted plugin, but stores its report', async () => {
		const run = await install(TRUSTED.name, ['--yes', '--json']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.doesNotMatch(run.stderr, /high-severity finding/);
		assert.ok(existsSync(scanReportPath(world.profile.dataDir, TRUSTED.uuid)));
		assert.ok(((await world.state()).plugins[TRUSTED.uuid]?.scan?.high ?? 0) >= 1);
	});

	it('lets clean community code through with --yes alone', async () => {
		const run = await install(CLEAN.name, ['--yes', '--json']);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.equal((parseJson(run).plugin as { scan: { high: number } }).scan.high, 0);
	});
});

describe('the scan gate at update (D21)', () => {
	it('keeps the old version when an update brings a high-severity finding nobody accepted', async () => {
		clean.repo.commit({ 'helper.py': 'import os\n\ndef run(x):\n    os.system("echo " + x)\n' });
		world.publish(clean);
		const before = (await world.state()).plugins[CLEAN.uuid]?.source.commit;
		const refused = await world.vouch([
			'update',
			CLEAN.name,
			'--registry',
			world.registryFile,
			'--yes',
			'--json',
		]);
		assert.equal(refused.code, 1, refused.stdout);
		assert.equal(errorCode(refused), 'FINDINGS_NOT_ACCEPTED');
		assert.equal((await world.state()).plugins[CLEAN.uuid]?.source.commit, before);
		const accepted = await world.vouch([
			'update',
			CLEAN.name,
			'--registry',
			world.registryFile,
			'--yes',
			'--accept-findings',
			'--json',
		]);
		assert.equal(accepted.code, 0, accepted.stdout + accepted.stderr);
		const record = (await world.state()).plugins[CLEAN.uuid];
		assert.notEqual(record?.source.commit, before);
		assert.ok((record?.scan?.high ?? 0) >= 1);
	});
});

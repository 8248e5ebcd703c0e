/**
 * The `--json` documents of the lifecycle commands, run for real against plugins served over
 * git's smart HTTP on 127.0.0.1, checked against the committed JSON Schemas. Also the naming
 * promise: `version` is the tag's version for a tagged install in every command.
 */
import assert from 'node:assert/strict';
import { rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import {
	createWorld,
	type PluginSpec,
	registryEntry,
	type ServedPlugin,
	type World,
} from '../lifecycle/world.ts';
import { assertJsonError, assertJsonOutput } from './schema-check.ts';

const TAGGY: PluginSpec = { name: 'taggy', uuid: '4d6e8f0a-1b2c-4d3e-9f4a-5b6c7d8e9f01' };
// Its manifest says 0.9; only a tagged install reports the tag's version instead.
const BRANCHY: PluginSpec = {
	name: 'branchy',
	uuid: '5e7f9a1b-2c3d-4e4f-8a5b-6c7d8e9f0a12',
	manifestExtra: 'version = "0.9"\n',
};
const DOOMED: PluginSpec = { name: 'doomed', uuid: '6f8a0b2c-3d4e-4f5a-9b6c-7d8e9f0a1b23' };

interface InstalledJson {
	uuid: string;
	id: string | null;
	version: string | null;
	manifestVersion: string | null;
	trust: string | null;
}

let world: World;
let taggy: ServedPlugin;
let branchy: ServedPlugin;
let doomed: ServedPlugin;
let entries: Record<string, unknown>[];

function vouch(args: string[]) {
	return world.vouch([...args, '--registry', world.registryFile, '--json']);
}

/** Commands that take no --registry. */
function vouchLocal(args: string[]) {
	return world.vouch([...args, '--json']);
}

describe('lifecycle commands print documents their schemas describe', () => {
	before(async () => {
		world = await createWorld();
		taggy = world.serve(TAGGY);
		taggy.repo.tag('v1.0.0');
		world.publish(taggy);
		branchy = world.serve(BRANCHY);
		doomed = world.serve(DOOMED);
		entries = [
			registryEntry(taggy, TAGGY, { trust_level: 'trusted', versioning_scheme: 'semver' }),
			registryEntry(branchy, BRANCHY, { trust_level: 'community' }),
			registryEntry(doomed, DOOMED, { trust_level: 'community' }),
		];
		world.writeRegistry(entries);
	});
	after(() => world.close());

	it('install: a tagged install reports the tag version; a branch one the manifest version', async () => {
		const tagged = await vouch(['install', 'taggy', '--yes']);
		assert.equal(tagged.code, 0, tagged.stdout + tagged.stderr);
		const plugin = assertJsonOutput(tagged, 'install').plugin as InstalledJson;
		assert.equal(plugin.version, '1.0.0');
		assert.equal(plugin.manifestVersion, null);
		assert.equal(plugin.id, 'taggy');
		assert.equal(plugin.trust, 'trusted');
		const branch = await vouch(['install', 'branchy', '--yes']);
		assert.equal(branch.code, 0, branch.stdout + branch.stderr);
		const other = assertJsonOutput(branch, 'install').plugin as InstalledJson;
		assert.equal(other.version, '0.9');
		assert.equal(other.manifestVersion, '0.9');
		const third = await vouch(['install', 'doomed', '--yes']);
		assert.equal(third.code, 0, third.stdout + third.stderr);
	});

	it('install of a blacklisted plugin is an error document (exit 3)', async () => {
		const blocked: PluginSpec = { name: 'blocked', uuid: '7a9b1c3d-4e5f-4a6b-8c7d-8e9f0a1b2c34' };
		const served = world.serve(blocked);
		world.writeRegistry(
			[...entries, registryEntry(served, blocked)],
			[{ uuid: blocked.uuid, reason: 'Malware' }],
		);
		assertJsonError(await vouch(['install', 'blocked', '--yes']), 3, 'BLACKLISTED');
		world.writeRegistry(entries);
	});

	it('list and info agree with install on every name', async () => {
		const list = await vouch(['list']);
		assert.equal(list.code, 0, list.stderr);
		const plugins = assertJsonOutput(list, 'list').plugins as (InstalledJson & {
			blacklisted: unknown;
		})[];
		const listed = plugins.find((plugin) => plugin.uuid === TAGGY.uuid);
		assert.equal(listed?.version, '1.0.0');
		assert.equal(listed?.trust, 'trusted');
		assert.equal(listed?.blacklisted, false);
		const info = await vouch(['info', 'taggy']);
		assert.equal(info.code, 0, info.stderr);
		const installed = assertJsonOutput(info, 'info').installed as InstalledJson;
		assert.equal(installed.version, '1.0.0');
		assert.equal(installed.id, 'taggy');
	});

	it('disable and enable', async () => {
		const disabled = await vouchLocal(['disable', 'taggy']);
		assert.equal(disabled.code, 0, disabled.stderr);
		const off = assertJsonOutput(disabled, 'disable').plugin as InstalledJson;
		assert.equal(off.trust, null, 'disable reads no registry');
		assert.equal(off.version, '1.0.0');
		const enabled = await vouch(['enable', 'taggy']);
		assert.equal(enabled.code, 0, enabled.stderr);
		assert.equal((assertJsonOutput(enabled, 'enable').plugin as InstalledJson).trust, 'trusted');
	});

	it('check-updates, update and switch-ref report ref, commit and the tag version', async () => {
		const commit = taggy.repo.commit({ 'extra.py': 'x = 1\n' });
		taggy.repo.tag('v1.1.0');
		world.publish(taggy);
		const checks = await vouch(['check-updates']);
		assert.equal(checks.code, 0, checks.stderr);
		const available = (
			assertJsonOutput(checks, 'check-updates').plugins as {
				uuid: string;
				status: string;
				commit?: string;
			}[]
		).find((check) => check.uuid === TAGGY.uuid);
		assert.equal(available?.status, 'available');
		assert.equal(available?.commit, commit);

		const update = await vouch(['update', 'taggy', '--yes']);
		assert.equal(update.code, 0, update.stdout + update.stderr);
		const [result] = assertJsonOutput(update, 'update').results as {
			uuid: string;
			status: string;
			ref: string;
			commit: string;
			version: string;
		}[];
		assert.deepEqual(
			[result?.uuid, result?.status, result?.ref, result?.commit, result?.version],
			[TAGGY.uuid, 'updated', 'v1.1.0', commit, '1.1.0'],
		);

		const back = await vouch(['switch-ref', 'taggy', 'v1.0.0', '--yes']);
		assert.equal(back.code, 0, back.stdout + back.stderr);
		const switched = assertJsonOutput(back, 'switch-ref');
		assert.equal(switched.version, '1.0.0');
		assert.equal(switched.ref, 'v1.0.0');
	});

	it('update --all names a plugin whose remote fails, with its code (exit 1)', async () => {
		branchy.repo.commit({ 'extra.py': 'y = 2\n' });
		rmSync(branchy.bare, { recursive: true, force: true });
		const run = await vouch(['update', '--all', '--yes']);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		const results = assertJsonOutput(run, 'update').results as {
			uuid: string;
			name: string;
			status: string;
			code?: string;
		}[];
		const failed = results.find((item) => item.uuid === BRANCHY.uuid);
		assert.equal(failed?.status, 'failed');
		assert.equal(failed?.name, 'branchy');
		assert.equal(typeof failed?.code, 'string');
	});

	it('startup-check: what loads, and a hard-blacklisted plugin disabled and quarantined', async () => {
		const clean = await vouch(['startup-check']);
		assert.equal(clean.code, 0, clean.stderr);
		const loads = assertJsonOutput(clean, 'startup-check').load as { uuid: string }[];
		assert.ok(loads.some((item) => item.uuid === TAGGY.uuid));
		world.writeRegistry(entries, [{ url: doomed.url, reason: 'Malware found' }]);
		const run = await vouch(['startup-check']);
		assert.equal(run.code, 0, run.stderr);
		const report = assertJsonOutput(run, 'startup-check') as {
			disabled: { uuid: string; kind: string }[];
			quarantined: { uuid: string }[];
		};
		assert.equal(report.disabled.find((item) => item.uuid === DOOMED.uuid)?.kind, 'blacklist');
		assert.ok(report.quarantined.some((item) => item.uuid === DOOMED.uuid));
		world.writeRegistry(entries);
	});

	it('startup-check without any registry holds untrusted plugins back', async () => {
		const run = await world.vouch([
			'startup-check',
			'--registry',
			join(makeTempDir('vouch-json-none-'), 'missing.toml'),
			'--json',
		]);
		assert.equal(run.code, 0, run.stderr);
		const report = assertJsonOutput(run, 'startup-check') as {
			blacklist: { state: string };
			heldBack: { uuid: string; kind: string }[];
		};
		assert.notEqual(report.blacklist.state, 'fresh');
		assert.deepEqual(
			report.heldBack.map((item) => item.kind),
			['stale-blacklist'],
			'the community plugin waits; the trusted one loads',
		);
	});

	it('doctor and clean', async () => {
		const file = join(world.profile.pluginsDir, `taggy_${TAGGY.uuid}`, '__init__.py');
		writeFileSync(file, 'changed = True\n');
		const doctor = await vouch(['doctor']);
		assert.equal(doctor.code, 1, doctor.stderr);
		const findings = assertJsonOutput(doctor, 'doctor').findings as { kind: string }[];
		assert.ok(findings.some((finding) => finding.kind === 'integrity'));
		const clean = await vouchLocal(['clean']);
		assert.equal(clean.code, 0, clean.stderr);
		assertJsonOutput(clean, 'clean');
	});

	it('uninstall, and uninstall of what is not installed (an error document)', async () => {
		const run = await vouchLocal(['uninstall', 'taggy', '--purge']);
		assert.equal(run.code, 0, run.stderr);
		const document = assertJsonOutput(run, 'uninstall');
		assert.equal(document.uuid, TAGGY.uuid);
		assert.equal(document.name, 'taggy');
		assertJsonError(await vouchLocal(['uninstall', 'taggy']), 1, 'NOT_INSTALLED');
	});
});

/**
 * The `--json` documents of the commands that read a registry, a manifest or code, run for real
 * and checked against the committed JSON Schemas (docs/json-output.md), error documents included.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { BLOCKED_UUID, OFFICIAL_UUID, writeRegistry } from '../fixture-registry.ts';
import { runVouch } from '../helpers/cli.ts';
import { assertJsonError, assertJsonOutput } from './schema-check.ts';

const picard = new URL(
	'../../../library/test/fixtures/registries/picard-plugins.toml',
	import.meta.url,
).pathname;
const manifests = new URL('../../../library/test/fixtures/manifests/picard/', import.meta.url)
	.pathname;

describe('registry reading commands print documents their schemas describe', () => {
	const registry = writeRegistry();

	it('browse and search: trust, releaseStatus and a blacklist mark for each plugin', async () => {
		const browse = await runVouch(['browse', '--registry', registry, '--json']);
		assert.equal(browse.code, 0, browse.stderr);
		const listed = assertJsonOutput(browse, 'browse').plugins as { id: string; trust: string }[];
		assert.deepEqual(listed.map((plugin) => [plugin.id, plugin.trust]).sort(), [
			['cover-finder', 'community'],
			['tagger-tools', 'official'],
		]);
		const search = await runVouch(['search', 'tagger', '--registry', registry, '--json']);
		assert.equal(search.code, 0, search.stderr);
		assert.equal(assertJsonOutput(search, 'search').query, 'tagger');
	});

	it('browse of the real Picard registry', async () => {
		const run = await runVouch(['browse', '--registry', picard, '--json']);
		assert.equal(run.code, 0, run.stderr);
		assert.ok((assertJsonOutput(run, 'browse').plugins as unknown[]).length > 10);
	});

	it('info: a registry entry, an unregistered URL, and an unknown id', async () => {
		const byId = await runVouch([
			'info',
			'tagger-tools',
			'--registry',
			registry,
			'--json',
			'--offline',
		]);
		assert.equal(byId.code, 0, byId.stderr);
		const entry = assertJsonOutput(byId, 'info');
		assert.equal((entry.plugin as { uuid: string }).uuid, OFFICIAL_UUID);
		assert.equal(entry.matchedBy, 'id');

		const url = 'https://github.com/badorg/thing';
		const unregistered = await runVouch(['info', url, '--registry', registry, '--json']);
		assert.equal(unregistered.code, 0, unregistered.stderr);
		const verdict = assertJsonOutput(unregistered, 'info');
		assert.equal(verdict.trust, 'unregistered');
		assert.equal((verdict.blacklisted as { entry: number }).entry, 0);

		const missing = await runVouch(['info', 'no-such-plugin', '--registry', registry, '--json']);
		assertJsonError(missing, 1, 'PLUGIN_NOT_FOUND');
	});

	it('check-blacklist: clean, and blocked with its entry (exit 3)', async () => {
		const clean = await runVouch([
			'check-blacklist',
			'https://github.com/good/plugin',
			'--registry',
			registry,
			'--json',
		]);
		assert.equal(clean.code, 0, clean.stderr);
		assert.equal(assertJsonOutput(clean, 'check-blacklist').blocked, false);
		const blocked = await runVouch([
			'check-blacklist',
			'--uuid',
			BLOCKED_UUID,
			'--registry',
			registry,
			'--json',
		]);
		assert.equal(blocked.code, 3, blocked.stderr);
		const document = assertJsonOutput(blocked, 'check-blacklist');
		assert.equal(document.blocked, true);
		assert.equal(document.ok, false, 'ok is false exactly when the exit code is not 0');
		assert.deepEqual(document.matchedOn, ['uuid']);
	});

	it('check-blacklist with no target is a usage error document (exit 2)', async () => {
		assertJsonError(await runVouch(['check-blacklist', '--json']), 2, 'USAGE');
	});

	it('an unknown option is a usage error document too', async () => {
		assertJsonError(await runVouch(['browse', '--no-such-option', '--json']), 2, 'USAGE');
	});

	it('refresh of a local registry file', async () => {
		const run = await runVouch(['refresh', '--registry', registry, '--json']);
		assert.equal(run.code, 0, run.stderr);
		const document = assertJsonOutput(run, 'refresh');
		assert.equal((document.registry as { local: boolean }).local, true);
		assert.equal(document.pluginCount, 2);
	});

	it('refresh with no reachable source is an error document', async () => {
		const run = await runVouch([
			'refresh',
			'--registry',
			'https://registry.invalid/plugins.toml',
			'--json',
		]);
		assert.equal(run.code, 1, run.stdout + run.stderr);
		assertJsonOutput(run, 'error');
	});

	it('registry lint: a valid file, and one with errors (exit 1)', async () => {
		const valid = writeRegistry(
			'api_version = "3.0"\n\n[[plugins]]\nid = "tagger"\nuuid = "3f1c9a52-7be4-4d21-9c8e-51a7d2e60b94"\nname = "Tagger"\ndescription = "Tags things"\ngit_url = "https://github.com/example/tagger"\ntrust_level = "community"\ncategories = ["metadata"]\nadded_at = "2026-01-01T00:00:00Z"\nupdated_at = "2026-01-01T00:00:00Z"\n',
		);
		const clean = await runVouch(['registry', 'lint', valid, '--json']);
		assert.equal(clean.code, 0, clean.stdout);
		assert.equal(assertJsonOutput(clean, 'registry lint').ok, true);
		const run = await runVouch(['registry', 'lint', registry, '--json']);
		assert.equal(run.code, 1, run.stdout);
		const report = assertJsonOutput(run, 'registry lint');
		assert.ok((report.errors as unknown[]).length > 0);
	});
});

describe('manifest and code commands print documents their schemas describe', () => {
	it('validate: a real Picard manifest, and an invalid one (exit 1)', async () => {
		const good = await runVouch(['validate', join(manifests, 'replaygain2.toml'), '--json']);
		assert.equal(good.code, 0, good.stdout);
		assert.equal(assertJsonOutput(good, 'validate').ok, true);
		const dir = makeTempDir('vouch-json-validate-');
		writeFileSync(join(dir, 'MANIFEST.toml'), 'name = ""\nuuid = "x"\napi = []\n');
		const bad = await runVouch(['validate', dir, '--json']);
		assert.equal(bad.code, 1);
		assert.equal(assertJsonOutput(bad, 'validate').ok, false);
	});

	it('scan: a directory with findings, with and without --fail-on', async () => {
		const dir = makeTempDir('vouch-json-scan-');
		writeFileSync(
			join(dir, 'MANIFEST.toml'),
			'uuid = "5a0c3e2f-8d41-4b7a-9e16-2c7f4d9b8a03"\nname = "Runner"\ndescription = "Runs"\napi = ["3.0"]\n\n[capabilities]\nnetwork = true\n',
		);
		mkdirSync(join(dir, 'pkg'));
		writeFileSync(
			join(dir, '__init__.py'),
			'import os\nimport subprocess\n\ndef go(cmd):\n    os.system(cmd)\n    return subprocess.run(cmd, shell=True)\n',
		);
		const run = await runVouch(['scan', dir, '--json']);
		assert.equal(run.code, 0, run.stderr);
		const report = assertJsonOutput(run, 'scan');
		assert.ok((report.findings as unknown[]).length > 0);
		const failing = await runVouch(['scan', dir, '--json', '--fail-on', 'low']);
		assert.equal(failing.code, 3, failing.stderr);
		assert.equal(assertJsonOutput(failing, 'scan').ok, false);
	});

	it('scan of a target that does not exist is an error document', async () => {
		const run = await runVouch(['scan', 'no-such-plugin-anywhere', '--json'], {
			env: { XDG_DATA_HOME: makeTempDir('vouch-json-data-') },
		});
		assertJsonError(run, 1, 'SCAN_TARGET_NOT_FOUND');
	});
});

/**
 * `vouch registry validate` end to end: a registry file listing local repositories (by a path
 * relative to the file, as an offline mirror does), text and JSON output, exit codes, and
 * `--offline` saying what it skipped.
 */
import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
	createPluginRepo,
	manifestToml,
	testGitEnv,
} from '../../library/test/helpers/git-repos.ts';
import { pinOf } from '../../library/test/helpers/pins.ts';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { runVouch } from './helpers/cli.ts';
import { assertJsonOutput } from './json/schema-check.ts';

const picard = new URL(
	'../../library/test/fixtures/registries/picard-plugins.toml',
	import.meta.url,
).pathname;

interface Setup {
	file: string;
	goodUuid: string;
}

/** Two plugins in `<root>/repos/`: `good` (official, pinned) and `bad` (a ref that is missing). */
async function setup(): Promise<Setup> {
	const root = makeTempDir('vouch-cli-validate-');
	mkdirSync(join(root, 'repos'));
	const goodUuid = randomUUID();
	const badUuid = randomUUID();
	const good = createPluginRepo({
		dir: join(root, 'repos', 'good'),
		manifest: manifestToml({ uuid: goodUuid }),
	});
	good.tag('v1.0.0');
	const bad = createPluginRepo({
		dir: join(root, 'repos', 'bad'),
		manifest: manifestToml({ uuid: randomUUID() }),
	});
	bad.tag('v1.0.0');
	const pin = await pinOf(good, 'v1.0.0');
	const entry = (id: string, uuid: string, extra: string) =>
		[
			'[[plugins]]',
			`id = "${id}"`,
			`uuid = "${uuid}"`,
			`name = "${id}"`,
			'description = "Does one thing"',
			`git_url = "repos/${id}"`,
			'categories = ["metadata"]',
			'authors = ["Someone"]',
			'added_at = "2026-01-01T00:00:00Z"',
			'updated_at = "2026-01-01T00:00:00Z"',
			'versioning_scheme = "semver"',
			extra,
		].join('\n');
	const text = [
		'api_version = "3.0"',
		entry(
			'good',
			goodUuid,
			`trust_level = "official"\nreleases = [{ ref = "v1.0.0", commit = "${pin.commit}", tree = "${pin.tree}" }]`,
		),
		entry('bad', badUuid, 'trust_level = "community"'),
	].join('\n\n');
	const file = join(root, 'plugins.toml');
	writeFileSync(file, text);
	return { file, goodUuid };
}

const env = () => ({ ...testGitEnv(), HOME: '/nonexistent-home' });

describe('vouch registry validate', () => {
	it('checks every repository, names plugin and ref of each failure, and exits 1', async () => {
		const { file } = await setup();
		const run = await runVouch(['registry', 'validate', file, '--json'], { env: env() });
		assert.equal(run.code, 1, run.stderr);
		const report = assertJsonOutput(run, 'registry validate');
		const errors = report.errors as { code: string; plugin?: string; ref?: string }[];
		assert.deepEqual(errors.map((e) => `${e.plugin} ${e.code} ${e.ref}`).sort(), [
			'bad MANIFEST_UUID_MISMATCH main',
			'bad MANIFEST_UUID_MISMATCH v1.0.0',
		]);
		assert.equal(report.offline, false);
		assert.deepEqual(
			(report.plugins as { id: string }[]).map((p) => p.id),
			['good', 'bad'],
		);
	});

	it('takes the file as --registry too, as Picard’s tool does, and prints text', async () => {
		const { file } = await setup();
		const run = await runVouch(['registry', 'validate', '--registry', file, '--concurrency', '1'], {
			env: env(),
		});
		assert.equal(run.code, 1);
		assert.match(run.stdout, /bad @ main: MANIFEST\.toml at "main" has UUID/);
		assert.match(run.stdout, /\[MANIFEST_UUID_MISMATCH\]/);
		assert.match(run.stdout, /2 error\(s\)/);
	});

	it('--offline runs no repository check and says which were skipped', async () => {
		const { file } = await setup();
		const run = await runVouch(['registry', 'validate', file, '--offline'], { env: env() });
		assert.equal(run.code, 0, run.stdout);
		assert.match(run.stdout, /--offline: these checks were skipped/);
		for (const check of [
			'refs-resolve',
			'manifests-match-uuid',
			'scheme-matches-tag',
			'pins-match-remote',
		]) {
			assert.match(run.stdout, new RegExp(`\\(${check}\\)`));
		}
		assert.match(run.stdout, /registry is valid .*offline checks/);
		const json = await runVouch(['registry', 'validate', file, '--offline', '--json'], {
			env: env(),
		});
		const report = assertJsonOutput(json, 'registry validate');
		assert.equal(report.offline, true);
		assert.equal((report.skippedChecks as unknown[]).length, 4);
	});

	it('validates the real Picard registry offline with no errors', async () => {
		const run = await runVouch([
			'registry',
			'validate',
			'--registry',
			picard,
			'--offline',
			'--json',
		]);
		const report = assertJsonOutput(run, 'registry validate');
		assert.deepEqual(report.errors, []);
		assert.equal(report.pluginCount, 26);
	});

	it('refuses a missing file name, two different ones, a URL and a bad concurrency (exit 2)', async () => {
		for (const argv of [
			['registry', 'validate'],
			['registry', 'validate', 'a.toml', '--registry', 'b.toml'],
			['registry', 'validate', 'https://example.org/plugins.toml'],
			['registry', 'validate', picard, '--concurrency', '0'],
		]) {
			const run = await runVouch(argv);
			assert.equal(run.code, 2, `${argv.join(' ')}: ${run.stdout}${run.stderr}`);
		}
	});
});

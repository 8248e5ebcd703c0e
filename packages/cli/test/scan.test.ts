/**
 * `vouch scan` through the real CLI: text grouped by severity with the code line, --json,
 * --sarif, --fail-on (exit 3, D16), targets given as a directory, an installed plugin or a
 * git URL (cloned shallow into a temporary directory that is removed afterwards).
 */
import assert from 'node:assert/strict';
import { cpSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { resolveProfile } from '@vouch/library/internal/core/profile';
import { createPluginFiles, openStore } from '@vouch/library/internal/lifecycle/store/index';
import { runTestGit, testGitEnv } from '../../library/test/helpers/git-repos.ts';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { pluginRecord } from '../../library/test/lifecycle/store/helpers.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const FIXTURES = new URL('../../library/test/fixtures/scan/', import.meta.url).pathname;
const MALICIOUS = join(FIXTURES, 'malicious', 'env-stealer');
const BENIGN = join(FIXTURES, 'benign', 'picard-plugin');

test('text output groups findings by severity and shows the code line', async () => {
	const run = await runVouch(['scan', MALICIOUS]);
	assert.equal(run.code, 0, run.stderr);
	assert.match(run.stdout, /^HIGH \(\d+\)$/m);
	assert.match(run.stdout, /^LOW \(\d+\)$/m);
	assert.match(run.stdout, /exfiltration {2}__init__\.py:12:\d+ {2}/);
	assert.match(run.stdout, /12 \| requests\.post\("https:\/\/genres-stats\.example\/collect"/);
	assert.match(run.stdout, /why: /);
	assert.match(run.stdout, /Capabilities: declared unknown \(no valid MANIFEST\.toml\)/);
	assert.match(run.stdout, /Summary: \d+ high, \d+ medium, \d+ low, \d+ info\./);
	assert.ok(run.stdout.indexOf('HIGH (') < run.stdout.indexOf('LOW ('), 'most severe first');
});

test('untrusted text in code lines cannot reach the terminal raw', async () => {
	const dir = makeTempDir('vouch-cli-scan-');
	writeFileSync(
		join(dir, 'x.py'),
		'import os\nos.system("rm " + p)  # \u001b]0;pwned\u0007\u001b[2J\u202e\n',
	);
	const run = await runVouch(['scan', dir]);
	assert.equal(run.code, 0);
	assert.ok(!run.stdout.includes('\u001b') && !run.stdout.includes('\u202e'));
	assert.match(run.stdout, /os\.system\("rm " \+ p\)/);
});

test('--json prints one document with the report and the target', async () => {
	const run = await runVouch(['scan', MALICIOUS, '--json']);
	assert.equal(run.code, 0);
	const result = parseJson(run) as {
		ok: boolean;
		target: { kind: string };
		findings: { ruleId: string; severity: string }[];
		capabilities: { undeclared: string[] };
		summary: { high: number };
	};
	assert.equal(result.ok, true);
	assert.equal(result.target.kind, 'directory');
	assert.ok(result.summary.high > 0);
	assert.ok(result.findings.some((f) => f.ruleId === 'exfiltration' && f.severity === 'high'));
	assert.deepEqual(result.capabilities.undeclared, ['network']);
});

test('--sarif prints a SARIF 2.1.0 log on stdout only', async () => {
	const run = await runVouch(['scan', MALICIOUS, '--sarif']);
	assert.equal(run.code, 0);
	const log = JSON.parse(run.stdout) as { version: string; runs: { results: unknown[] }[] };
	assert.equal(log.version, '2.1.0');
	assert.ok((log.runs[0]?.results.length ?? 0) > 0);
});

test('--fail-on exits 3 when a finding reaches the threshold, 0 otherwise', async () => {
	const blocked = await runVouch(['scan', MALICIOUS, '--fail-on', 'high']);
	assert.equal(blocked.code, 3);
	assert.match(blocked.stdout, /--fail-on/);
	const json = await runVouch(['scan', MALICIOUS, '--fail-on', 'high', '--json']);
	assert.equal(json.code, 3);
	assert.equal((parseJson(json) as { ok: boolean }).ok, false);
	const clean = await runVouch(['scan', BENIGN, '--fail-on', 'medium']);
	assert.equal(clean.code, 0, clean.stdout);
	const strict = await runVouch(['scan', BENIGN, '--fail-on', 'info']);
	assert.equal(strict.code, 3);
});

test('usage mistakes exit 2; a bad target exits 1 with a hint and no stack trace', async () => {
	assert.equal((await runVouch(['scan', BENIGN, '--fail-on', 'severe'])).code, 2);
	assert.equal((await runVouch(['scan', BENIGN, '--json', '--sarif'])).code, 2);
	assert.equal((await runVouch(['scan', BENIGN, '--ref', 'main'])).code, 2);
	const home = makeTempDir('vouch-cli-scan-home-');
	const missing = await runVouch(['scan', 'no-such-plugin'], { env: { HOME: home } });
	assert.equal(missing.code, 1);
	assert.match(missing.stderr, /neither a directory, a git URL nor an installed plugin/);
	assert.match(missing.stderr, /hint:/);
	assert.doesNotMatch(missing.stderr, /\n\s+at /);
	const file = await runVouch(['scan', join(BENIGN, 'cache.py'), '--json']);
	assert.equal(file.code, 1);
	assert.equal((parseJson(file).error as { code: string }).code, 'SCAN_TARGET_NOT_A_DIRECTORY');
});

test('an installed plugin is found by name and scanned where it is installed', async () => {
	const home = makeTempDir('vouch-cli-scan-home-');
	const env = { HOME: home };
	const profile = resolveProfile({ env, cwd: home, home });
	const record = pluginRecord('9a8b7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d', {
		name: 'Genre Helper',
		directory: 'genre_helper_9a8b7c6d',
	});
	const files = createPluginFiles({
		pluginsDir: profile.pluginsDir,
		dataDir: profile.dataDir,
		now: () => new Date(),
	});
	cpSync(MALICIOUS, files.pathOf(record), { recursive: true });
	await openStore({ dataDir: profile.dataDir }).transaction(async (state) => {
		state.plugins[record.uuid] = record;
	});
	const run = await runVouch(['scan', 'genre helper', '--json'], { env, cwd: home });
	assert.equal(run.code, 0, run.stdout);
	const result = parseJson(run) as {
		target: { kind: string; label: string };
		summary: { high: number };
	};
	assert.equal(result.target.kind, 'installed');
	assert.match(result.target.label, /Genre Helper/);
	assert.ok(result.summary.high > 0);
});

function scanTempDirs(): string[] {
	return readdirSync(tmpdir()).filter((name) => /^vouch-scan-[A-Za-z0-9]{6}$/.test(name));
}

test('a git URL is cloned shallow into a temporary directory, scanned, and the clone deleted', async () => {
	const repo = makeTempDir('vouch-cli-scan-repo-');
	cpSync(MALICIOUS, repo, { recursive: true });
	runTestGit(repo, ['init', '-q', '-b', 'main']);
	runTestGit(repo, ['add', '.']);
	runTestGit(repo, ['commit', '-q', '-m', 'plugin']);
	runTestGit(repo, ['checkout', '-q', '-b', 'clean']);
	runTestGit(repo, ['rm', '-q', '__init__.py']);
	writeFileSync(join(repo, 'ok.py'), 'x = 1\n');
	runTestGit(repo, ['add', '.']);
	runTestGit(repo, ['commit', '-q', '-m', 'clean']);
	const before = scanTempDirs();
	const url = pathToFileURL(repo).href;
	const env = testGitEnv({ HOME: makeTempDir('vouch-cli-scan-home-') });
	const run = await runVouch(['scan', url, '--ref', 'main', '--json'], { env });
	assert.equal(run.code, 0, run.stdout + run.stderr);
	const result = parseJson(run) as { target: { kind: string }; summary: { high: number } };
	assert.equal(result.target.kind, 'git');
	assert.ok(result.summary.high > 0);
	const other = await runVouch(['scan', url, '--ref', 'clean', '--json'], { env });
	assert.equal((parseJson(other) as { summary: { high: number } }).summary.high, 0);
	assert.deepEqual(scanTempDirs(), before, 'the clones are removed');
});

test('plain http to a non-loopback host is refused before any network use', async () => {
	const run = await runVouch(['scan', 'http://plugins.example.org/plugin.git', '--json']);
	assert.equal(run.code, 1);
	assert.equal((parseJson(run).error as { code: string }).code, 'INSECURE_TRANSPORT');
});

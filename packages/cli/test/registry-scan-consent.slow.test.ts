/**
 * The registry's scan report, end to end: `registry review` stores it beside the registry,
 * `registry publish` signs it as a TUF target, and `install` from the signed registry shows its
 * summary on the consent screen, verified; a report altered on the server is said to be
 * unverifiable, never shown as the registry's.
 */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
	type GitHttpServer,
	startGitHttpServer,
} from '../../library/test/helpers/git-http-server.ts';
import { bareClone, createPluginRepo, manifestToml } from '../../library/test/helpers/git-repos.ts';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { makeFixture, type TufFixture } from '../../library/test/tuf/helpers.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const UUID = '6f1c9a52-3b8e-4d27-a0f4-95e2c7b1d834';

let fixture: TufFixture;
let git: GitHttpServer;
let registryFile: string;
let reportFile: string;
let repo: ReturnType<typeof createPluginRepo>;
let bare: string;

const loopbackFetch: typeof fetch = (input, init) => {
	const url = new URL(input instanceof Request ? input.url : String(input));
	if (url.hostname !== '127.0.0.1') throw new Error(`tests must not reach ${url.host}`);
	return fetch(input, init);
};

before(async () => {
	fixture = await makeFixture();
	const served = makeTempDir('vouch-consent-git-');
	repo = createPluginRepo({
		manifest: manifestToml(
			{ uuid: UUID, name: 'Tempo Tools', description: 'Sets BPM tags' },
			'categories = ["metadata"]\n\n[capabilities]\nnetwork = false\n',
		),
	});
	bare = bareClone(repo, served, 'picard-plugin-tempo.git');
	git = await startGitHttpServer({ root: served });
	const registryDir = makeTempDir('vouch-consent-registry-');
	registryFile = join(registryDir, 'plugins.toml');
	writeFileSync(
		registryFile,
		`api_version = "3.0"

[[plugins]]
id = "tempo"
uuid = "${UUID}"
name = "Tempo Tools"
description = "Sets BPM tags"
git_url = "${git.url}/picard-plugin-tempo.git"
categories = ["metadata"]
trust_level = "community"
authors = ["A. Author"]
added_at = "2026-01-01T00:00:00Z"
updated_at = "2026-01-01T00:00:00Z"
`,
	);
	reportFile = await reviewAndPublish(repo.commitOf());
});
after(async () => {
	await fixture.close();
	await git.close();
});

/** `registry review` of the served commit, then `registry publish`: the report's served path. */
async function reviewAndPublish(commit: string): Promise<string> {
	const review = await runVouch([
		'registry',
		'review',
		'tempo',
		'--registry',
		registryFile,
		'--json',
	]);
	assert.equal(review.code, 0, review.stdout + review.stderr);
	const publish = await runVouch(
		[
			'registry',
			'publish',
			registryFile,
			'--keys',
			fixture.keysDir,
			'--out',
			fixture.repoDir,
			// The registry was written by hand here, so the log needs the reason (D28).
			'--reason',
			'Added tempo after review.',
			'--json',
		],
		// tuf-js judges expiry by the system clock: the metadata is signed as of now.
		{ now: () => new Date() },
	);
	assert.equal(publish.code, 0, publish.stdout + publish.stderr);
	const reports = parseJson(publish).scanReports as { name: string; file: string }[];
	const report = reports.find((each) => each.name === `scan-reports/tempo/${commit}.json`);
	assert.ok(report !== undefined, JSON.stringify(reports));
	return `/${report.file}`;
}

function host(): string {
	const dir = makeTempDir('vouch-consent-host-');
	mkdirSync(dir, { recursive: true });
	const profile = join(dir, 'profile.toml');
	writeFileSync(
		profile,
		[
			'name = "signedhost"',
			'api_versions = ["3.0"]',
			`registry_urls = ["${fixture.server.base}"]`,
			`trusted_root = "${join(fixture.dir, 'shipped-root.json')}"`,
			'allow_unsigned = false',
			'cache_dir = "cache"',
			'data_dir = "data"',
			'config_dir = "config"',
			'plugins_dir = "plugins"',
			'',
		].join('\n'),
	);
	return profile;
}

describe('the registry scan summary on the consent screen', () => {
	it('install shows the verified summary of the commit it installs', async () => {
		const run = await runVouch(['install', 'tempo', '--yes', '--profile', host()], {
			fetch: loopbackFetch,
			now: () => new Date(),
		});
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.match(
			run.stdout + run.stderr,
			/Registry scan of this commit \(vouch-scan [^)]+\): 0 high, 0 medium/,
		);
	});

	it('a report altered on the server is refused and said to be unverifiable', async () => {
		fixture.server.override(reportFile, {
			body: JSON.stringify({ reportVersion: 1, summary: { high: 0, medium: 0, low: 0, info: 0 } }),
		});
		try {
			const run = await runVouch(['install', 'tempo', '--yes', '--profile', host()], {
				fetch: loopbackFetch,
				now: () => new Date(),
			});
			assert.equal(run.code, 0, run.stdout + run.stderr);
			assert.match(run.stderr, /scan report of this commit could not be verified/);
			assert.doesNotMatch(run.stdout + run.stderr, /Registry scan of this commit \(/);
		} finally {
			fixture.server.clear(reportFile);
		}
	});

	it('update shows the verified summary of the commit it moves to, not the installed one', async () => {
		const options = { fetch: loopbackFetch, now: () => new Date() };
		const profiles = [host(), host()];
		for (const profile of profiles) {
			const install = await runVouch(['install', 'tempo', '--yes', '--profile', profile], options);
			assert.equal(install.code, 0, install.stdout + install.stderr);
		}
		// A new commit, which runs a shell command, reviewed and published by the registry.
		const newer = repo.commit({
			'MANIFEST.toml': manifestToml(
				{ uuid: UUID, name: 'Tempo Tools', description: 'Sets BPM tags' },
				'categories = ["metadata"]\n\n[capabilities]\nnetwork = false\nsubprocess = true\n',
			),
			'helper.py': 'import subprocess\n\ndef run(cmd):\n    subprocess.run(cmd, shell=True)\n',
		});
		repo.git(['push', '-q', bare, 'HEAD:refs/heads/main']);
		const newReport = await reviewAndPublish(newer);
		assert.notEqual(newReport, reportFile);
		// Each host picks up the new signed metadata, as its next refresh would.
		for (const profile of profiles) {
			const refresh = await runVouch(['refresh', '--profile', profile], options);
			assert.equal(refresh.code, 0, refresh.stdout + refresh.stderr);
		}
		const update = (profile: string) =>
			runVouch(['update', 'tempo', '--yes', '--grant-capabilities', '--profile', profile], options);

		// The new commit's report, altered on the server: said to be unverifiable, never shown.
		fixture.server.override(newReport, {
			body: JSON.stringify({ reportVersion: 1, summary: { high: 0, medium: 0, low: 0, info: 0 } }),
		});
		try {
			const altered = await update(profiles[0] as string);
			assert.equal(altered.code, 0, altered.stdout + altered.stderr);
			assert.match(altered.stderr, /scan report of this commit could not be verified/);
			assert.doesNotMatch(altered.stdout + altered.stderr, /Registry scan of this commit \(/);
		} finally {
			fixture.server.clear(newReport);
		}

		const verified = await update(profiles[1] as string);
		assert.equal(verified.code, 0, verified.stdout + verified.stderr);
		const shown = verified.stdout + verified.stderr;
		const line = /Registry scan of this commit \(vouch-scan [^)]+\): (\d+) high, (\d+) medium/.exec(
			shown,
		);
		assert.ok(line !== null, shown);
		// The installed commit's report says 0 and 0; the new commit's does not.
		assert.notEqual(`${line[1]} high, ${line[2]} medium`, '0 high, 0 medium', shown);
	});
});

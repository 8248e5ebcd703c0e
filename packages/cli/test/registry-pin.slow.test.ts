/**
 * `vouch registry pin` against a real repository served over git smart HTTP on 127.0.0.1, and
 * `registry publish` refusing official entries without pins (D19b).
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseRegistryText } from '@vouch/library/internal/registry/parse';
import {
	type GitHttpServer,
	startGitHttpServer,
} from '../../library/test/helpers/git-http-server.ts';
import {
	bareClone,
	createPluginRepo,
	manifestToml,
	type TestRepo,
} from '../../library/test/helpers/git-repos.ts';
import { pinOf } from '../../library/test/helpers/pins.ts';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const UUID = '2c3d4e5f-6a7b-4c8d-9e0f-1a2b3c4d5e6f';
let server: GitHttpServer;
let repo: TestRepo;
let url: string;
let served: string;

before(async () => {
	served = makeTempDir('vouch-pin-served-');
	repo = createPluginRepo({
		manifest: manifestToml({ uuid: UUID, name: 'Alpha' }),
		files: { 'tool.sh': '#!/bin/sh\necho hi\n' },
	});
	repo.git(['update-index', '--chmod=+x', 'tool.sh']);
	repo.git(['commit', '-q', '-m', 'executable']);
	repo.tag('v1.0.0', { message: 'release 1.0.0' });
	repo.commit({ 'later.py': 'x = 1\n' });
	repo.tag('v1.1.0');
	bareClone(repo, served, 'alpha.git');
	server = await startGitHttpServer({ root: served });
	url = `${server.url}/alpha.git`;
});
after(() => server.close());

function registryToml(trust = 'official', extra = ''): string {
	return `# The maintainers' registry: comments must survive --write.
api_version = "3.0"

[[plugins]]
# alpha is the one being pinned
id = "alpha"
uuid = "${UUID}"
name = "Alpha"
description = "Does alpha things"
git_url = "${url}"
trust_level = "${trust}"
categories = ["metadata"]
added_at = "2026-01-01T00:00:00Z"
updated_at = "2026-01-01T00:00:00Z"
${extra}
# beta stays as it is
[[plugins]]
id = "beta"
uuid = "3d4e5f6a-7b8c-4d9e-8f0a-1b2c3d4e5f6a"
name = "Beta"
description = "Does beta things"
git_url = "https://github.com/example/beta"
trust_level = "community"
categories = ["metadata"]
added_at = "2026-01-01T00:00:00Z"
updated_at = "2026-01-01T00:00:00Z"

[[blacklist]]
url = "https://github.com/evil/one"
reason = "Malware"
blacklisted_at = "2026-01-01T00:00:00Z"
`;
}

function workspace(text: string, name = 'plugins.toml'): { dir: string; file: string } {
	const dir = makeTempDir('vouch-pin-');
	const file = join(dir, name);
	writeFileSync(file, text);
	return { dir, file };
}

describe('vouch registry pin', () => {
	it('computes the commit and tree from a real clone, as installs will see them', async () => {
		const { dir } = workspace(registryToml());
		const run = await runVouch(
			['registry', 'pin', 'alpha', 'v1.0.0', '--registry', 'plugins.toml', '--json'],
			{ cwd: dir },
		);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const result = parseJson(run) as { pin: unknown; refType: string; written: boolean };
		assert.deepEqual(result.pin, await pinOf(repo, 'v1.0.0'));
		assert.equal(result.refType, 'tag');
		assert.equal(result.written, false, 'nothing written without --write');
	});

	it('--write adds the pin to the TOML file, keeping its comments, once', async () => {
		const original = registryToml();
		const { dir, file } = workspace(original);
		const argv = ['registry', 'pin', 'alpha', 'v1.0.0', '--registry', 'plugins.toml', '--write'];
		const run = await runVouch(argv, { cwd: dir });
		assert.equal(run.code, 0, run.stdout + run.stderr);
		assert.match(run.stdout, /added to/);
		const text = readFileSync(file, 'utf8');
		for (const comment of original.split('\n').filter((line) => line.startsWith('#'))) {
			assert.ok(text.includes(comment), `kept: ${comment}`);
		}
		const parsed = parseRegistryText(text, { label: file });
		const alpha = parsed.plugins.find((plugin) => plugin.id === 'alpha');
		assert.deepEqual(alpha?.releases, [await pinOf(repo, 'v1.0.0')]);
		assert.deepEqual(parsed.plugins.find((plugin) => plugin.id === 'beta')?.releases, []);
		assert.equal(parsed.blacklist.length, 1);

		const again = await runVouch([...argv, '--json'], { cwd: dir });
		assert.equal(again.code, 0);
		assert.equal((parseJson(again) as { written: boolean }).written, false);
		assert.equal(readFileSync(file, 'utf8'), text, 'unchanged the second time');

		const second = await runVouch(
			['registry', 'pin', 'alpha', 'v1.1.0', '--registry', 'plugins.toml', '--write'],
			{ cwd: dir },
		);
		assert.equal(second.code, 0, second.stderr);
		const both = parseRegistryText(readFileSync(file, 'utf8'), { label: file });
		assert.deepEqual(
			both.plugins.find((plugin) => plugin.id === 'alpha')?.releases.map((pin) => pin.ref),
			['v1.0.0', 'v1.1.0'],
		);
	});

	it('--write edits a JSON registry too', async () => {
		const json = JSON.stringify({
			api_version: '3.0',
			plugins: [{ id: 'alpha', uuid: UUID, name: 'Alpha', git_url: url, trust_level: 'official' }],
			blacklist: [],
		});
		const { dir, file } = workspace(json, 'registry.json');
		const run = await runVouch(
			['registry', 'pin', 'alpha', 'v1.0.0', '--registry', 'registry.json', '--write'],
			{ cwd: dir },
		);
		assert.equal(run.code, 0, run.stderr);
		const parsed = parseRegistryText(readFileSync(file, 'utf8'), { label: file });
		assert.deepEqual(parsed.plugins[0]?.releases, [await pinOf(repo, 'v1.0.0')]);
	});

	it('refuses to change an existing pin, or to rewrite an inline releases array', async () => {
		const forged = `releases = [{ ref = "v1.0.0", commit = "${'a'.repeat(40)}", tree = "sha256:${'b'.repeat(64)}" }]`;
		const { dir, file } = workspace(registryToml('official', forged));
		const before = readFileSync(file, 'utf8');
		const clash = await runVouch(
			['registry', 'pin', 'alpha', 'v1.0.0', '--registry', 'plugins.toml', '--write', '--json'],
			{ cwd: dir },
		);
		assert.equal(clash.code, 1);
		assert.equal((parseJson(clash).error as { code: string }).code, 'REGISTRY_EDIT_REFUSED');
		const inline = await runVouch(
			['registry', 'pin', 'alpha', 'v1.1.0', '--registry', 'plugins.toml', '--write', '--json'],
			{ cwd: dir },
		);
		assert.equal(inline.code, 1);
		assert.equal((parseJson(inline).error as { code: string }).code, 'REGISTRY_EDIT_REFUSED');
		assert.equal(readFileSync(file, 'utf8'), before, 'the file is untouched');
	});

	it('names an unknown plugin, an unknown ref, and --write without a file', async () => {
		const { dir } = workspace(registryToml());
		const noPlugin = await runVouch(
			['registry', 'pin', 'gamma', 'v1.0.0', '--registry', 'plugins.toml', '--json'],
			{ cwd: dir },
		);
		assert.equal((parseJson(noPlugin).error as { code: string }).code, 'PLUGIN_NOT_IN_REGISTRY');
		const noRef = await runVouch(
			['registry', 'pin', 'alpha', 'v9.9.9', '--registry', 'plugins.toml', '--json'],
			{ cwd: dir },
		);
		assert.equal((parseJson(noRef).error as { code: string }).code, 'SOURCE_NOT_FOUND');
		const noFile = await runVouch(['registry', 'pin', 'alpha', 'v1.0.0', '--write', '--json'], {
			cwd: dir,
		});
		assert.equal(noFile.code, 2);
	});
});

describe('vouch registry publish and pins', () => {
	it('refuses an official entry without pins, and publishes once it is pinned', async () => {
		const { dir } = workspace(registryToml());
		assert.equal(
			(await runVouch(['registry', 'keys', 'init', '--dir', 'keys'], { cwd: dir })).code,
			0,
		);
		const publish = [
			'registry',
			'publish',
			'plugins.toml',
			'--keys',
			'keys',
			'--out',
			'repo',
			'--json',
		];
		const refused = await runVouch(publish, { cwd: dir, now: () => new Date() });
		assert.equal(refused.code, 1);
		const error = parseJson(refused).error as { code: string; message: string };
		assert.equal(error.code, 'TUF_REGISTRY_INVALID');
		assert.match(error.message, /alpha/);
		const pin = await runVouch(
			['registry', 'pin', 'alpha', 'v1.0.0', '--registry', 'plugins.toml', '--write'],
			{ cwd: dir },
		);
		assert.equal(pin.code, 0, pin.stderr);
		const published = await runVouch(publish, { cwd: dir, now: () => new Date() });
		assert.equal(published.code, 0, published.stdout + published.stderr);

		// A later pin is a recorded edit like any other: the next publish logs it, no --reason.
		const later = await runVouch(
			['registry', 'pin', 'alpha', 'v1.1.0', '--registry', 'plugins.toml', '--write', '--json'],
			{ cwd: dir },
		);
		assert.equal(later.code, 0, later.stderr);
		assert.equal((parseJson(later).change as { action: string }).action, 'plugin.pin');
		const again = await runVouch(publish, { cwd: dir, now: () => new Date() });
		assert.equal(again.code, 0, again.stdout + again.stderr);
		const show = await runVouch(['registry', 'log', 'show', 'repo', '--json'], { cwd: dir });
		const entries = parseJson(show).entries as {
			action: string;
			subject: string;
			reason: string;
		}[];
		assert.deepEqual(
			entries.filter((entry) => entry.action === 'release_pin').map((e) => [e.subject, e.reason]),
			[
				['alpha', 'Reviewed release v1.0.0 pinned.'],
				['alpha', 'Reviewed release v1.1.0 pinned.'],
			],
		);
	});
});

/**
 * The `--json` documents of the registry maintainer's commands (keys, publish, root rotation
 * and release pins), run for real and checked against the committed JSON Schemas.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
	type GitHttpServer,
	startGitHttpServer,
} from '../../../library/test/helpers/git-http-server.ts';
import {
	bareClone,
	createPluginRepo,
	manifestToml,
} from '../../../library/test/helpers/git-repos.ts';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { runVouch } from '../helpers/cli.ts';
import { assertJsonError, assertJsonOutput } from './schema-check.ts';

const UUID = '1b3d5f7a-9c2e-4a6b-8d0f-2a4c6e8a0b13';

let server: GitHttpServer;
let dir: string;

function maintainer(argv: string[]) {
	return runVouch([...argv, '--json'], { cwd: dir });
}

before(async () => {
	const served = makeTempDir('vouch-json-served-');
	const repo = createPluginRepo({ manifest: manifestToml({ uuid: UUID, name: 'Alpha' }) });
	repo.tag('v1.0.0', { message: 'release 1.0.0' });
	bareClone(repo, served, 'alpha.git');
	server = await startGitHttpServer({ root: served });
	dir = makeTempDir('vouch-json-maintainer-');
	writeFileSync(
		join(dir, 'plugins.toml'),
		`api_version = "3.0"

[[plugins]]
id = "alpha"
uuid = "${UUID}"
name = "Alpha"
description = "Does alpha things"
git_url = "${server.url}/alpha.git"
trust_level = "community"
categories = ["metadata"]
added_at = "2026-01-01T00:00:00Z"
updated_at = "2026-01-01T00:00:00Z"
`,
	);
});
after(() => server.close());

describe('maintainer commands print documents their schemas describe', () => {
	it('registry keys init, publish, root propose and sign', async () => {
		const keys = await maintainer(['registry', 'keys', 'init', '--dir', 'keys']);
		assert.equal(keys.code, 0, keys.stdout + keys.stderr);
		assert.equal((assertJsonOutput(keys, 'registry keys init').keys as unknown[]).length, 6);
		const publish = ['registry', 'publish', 'plugins.toml', '--keys', 'keys', '--out', 'repo'];
		const first = await maintainer(publish);
		assert.equal(first.code, 0, first.stdout + first.stderr);
		assert.equal(
			(assertJsonOutput(first, 'registry publish').versions as { root: number }).root,
			1,
		);

		assert.equal((await maintainer(['registry', 'keys', 'init', '--dir', 'new-keys'])).code, 0);
		const proposed = await maintainer([
			'registry',
			'root',
			'propose',
			'--repo',
			'repo',
			'--keys',
			'new-keys',
		]);
		assert.equal(proposed.code, 0, proposed.stdout + proposed.stderr);
		assert.equal(assertJsonOutput(proposed, 'registry root propose').version, 2);
		const signed = await maintainer([
			'registry',
			'sign',
			'--repo',
			'repo',
			'--key',
			'keys/root-1.pem',
		]);
		assert.equal(signed.code, 0, signed.stdout + signed.stderr);
		assert.equal(assertJsonOutput(signed, 'registry sign').complete, false);

		const pending = await maintainer(publish);
		assert.equal(pending.code, 0, pending.stdout + pending.stderr);
		const document = assertJsonOutput(pending, 'registry publish');
		assert.equal((document.pendingRoot as { version: number }).version, 2);
	});

	it('registry pin, and a pin of an unknown id (an error document)', async () => {
		const run = await maintainer([
			'registry',
			'pin',
			'alpha',
			'v1.0.0',
			'--registry',
			'plugins.toml',
		]);
		assert.equal(run.code, 0, run.stdout + run.stderr);
		const document = assertJsonOutput(run, 'registry pin');
		assert.equal(document.id, 'alpha');
		assert.equal(document.refType, 'tag');
		const missing = await maintainer([
			'registry',
			'pin',
			'nobody',
			'v1.0.0',
			'--registry',
			'plugins.toml',
		]);
		assertJsonError(missing, 1, 'PLUGIN_NOT_IN_REGISTRY');
	});
});

/**
 * `vouch registry hunt --json` on the real Picard registry file with one local plugin added (a
 * registry kept as a local file may list local repositories, D11): the document matches its
 * published schema, hits and failures alike. `--plugin` keeps the hunt off the network.
 */
import assert from 'node:assert/strict';
import { appendFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import {
	createPluginRepo,
	manifestToml,
	testGitEnv,
} from '../../../library/test/helpers/git-repos.ts';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { runVouch } from '../helpers/cli.ts';
import { assertJsonOutput } from './schema-check.ts';

const FIXTURE = new URL(
	'../../../library/test/fixtures/registries/picard-plugins.toml',
	import.meta.url,
);

function localEntry(id: string, uuid: string, gitUrl: string): string {
	return [
		'',
		'[[plugins]]',
		`id = "${id}"`,
		`uuid = "${uuid}"`,
		`name = "${id}"`,
		'description = "Does one thing"',
		`git_url = "${gitUrl}"`,
		'categories = ["metadata"]',
		'trust_level = "community"',
		'authors = ["Someone"]',
		'added_at = "2026-01-01T00:00:00Z"',
		'updated_at = "2026-01-01T00:00:00Z"',
		'versioning_scheme = "semver"',
		'',
	].join('\n');
}

describe('vouch registry hunt --json', () => {
	it('matches its schema, with a hit and with a plugin that cannot be fetched', async () => {
		const dir = makeTempDir('vouch-hunt-json-');
		const file = join(dir, 'plugins.toml');
		copyFileSync(FIXTURE, file);
		const repo = createPluginRepo({
			dir: join(dir, 'repos', 'local-one'),
			manifest: manifestToml({ uuid: '6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6' }),
			files: { 'payload.py': 'URL = "https://drop.example/x"\n' },
		});
		repo.tag('v1.0.0');
		appendFileSync(
			file,
			localEntry('local-one', '6d1e2f3a-4b5c-4d6e-8f70-8192a3b4c5d6', 'repos/local-one'),
		);
		appendFileSync(
			file,
			localEntry('local-gone', '7e2f3a4b-5c6d-4e7f-9081-92a3b4c5d6e7', 'repos/gone'),
		);
		const env = { ...testGitEnv(), HOME: '/nonexistent-home' };
		const found = await runVouch(
			['registry', 'hunt', 'drop.example', '--registry', file, '--plugin', 'local-one', '--json'],
			{ env },
		);
		assert.equal(found.code, 0, found.stderr);
		const document = assertJsonOutput(found, 'registry hunt');
		assert.deepEqual(document.totals, {
			plugins: 1,
			failed: 0,
			versions: 1,
			versionsWithHits: 1,
			hits: 1,
			pluginsWithHits: 1,
		});
		const failed = await runVouch(
			[
				'registry',
				'hunt',
				'drop.example',
				'--registry',
				file,
				'--plugin',
				'local-one',
				'--plugin',
				'local-gone',
				'--json',
			],
			{ env },
		);
		assert.equal(failed.code, 1, failed.stderr);
		const partial = assertJsonOutput(failed, 'registry hunt');
		assert.equal((partial.totals as { failed: number }).failed, 1);
		assert.equal((partial.totals as { hits: number }).hits, 1);
	});
});

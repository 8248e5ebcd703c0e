/**
 * The `--json` documents of `vouch blacklist`, `vouch init` and `vouch config`, run for real and
 * checked against the committed JSON Schemas.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { writeRegistry } from '../fixture-registry.ts';
import { runVouch } from '../helpers/cli.ts';
import { assertJsonError, assertJsonOutput } from './schema-check.ts';

const registry = writeRegistry(`api_version = "3.0"

[[blacklist]]
url = "https://github.com/badorg/thing"
reason = "Steals credentials"
blacklisted_at = "2026-01-10T00:00:00Z"

[[blacklist]]
url_regex = "^https://github\\\\.com/evilcorp/"
severity = "soft"
`);

describe('blacklist and init print documents their schemas describe', () => {
	it('blacklist list and search, a URL search included', async () => {
		const list = await runVouch(['blacklist', 'list', '--registry', registry, '--json']);
		assert.equal(list.code, 0, list.stderr);
		assert.equal(assertJsonOutput(list, 'blacklist list').count, 2);

		const byUrl = await runVouch([
			'blacklist',
			'search',
			'git@github.com:BadOrg/thing.git',
			'--registry',
			registry,
			'--json',
		]);
		assert.equal(byUrl.code, 0, byUrl.stderr);
		const found = assertJsonOutput(byUrl, 'blacklist search');
		assert.equal((found.url as { blocked: boolean }).blocked, true);

		const byWords = await runVouch([
			'blacklist',
			'search',
			'credentials',
			'--registry',
			registry,
			'--json',
		]);
		assert.equal(assertJsonOutput(byWords, 'blacklist search').count, 1);
	});

	it('init writes a plugin and describes it; a second init into it is an error document', async () => {
		const dir = join(makeTempDir('vouch-init-json-'), 'plugin');
		const run = await runVouch(['init', dir, '--name', 'Example', '--json']);
		assert.equal(run.code, 0, run.stderr);
		const written = assertJsonOutput(run, 'init');
		assert.equal(written.name, 'Example');
		assert.ok((written.files as unknown[]).length >= 2);
		const again = await runVouch(['init', dir, '--name', 'Example', '--json']);
		assertJsonError(again, again.code, 'INIT_TARGET_NOT_EMPTY');
		assert.notEqual(again.code, 0);
	});

	it('config set, get, list and unset', async () => {
		const home = makeTempDir('vouch-config-json-');
		const env = { XDG_CONFIG_HOME: join(home, 'config'), XDG_DATA_HOME: join(home, 'data') };
		const set = await runVouch(['config', 'set', 'registry', registry, '--json'], { env });
		assert.equal(set.code, 0, set.stderr);
		assert.equal(assertJsonOutput(set, 'config set').value, registry);
		const get = await runVouch(['config', 'get', 'registry', '--json'], { env });
		assert.equal(assertJsonOutput(get, 'config get').source, 'config');
		const list = await runVouch(['config', 'list', '--json'], { env });
		assert.equal((assertJsonOutput(list, 'config list').settings as unknown[]).length, 3);
		const unset = await runVouch(['config', 'unset', 'registry', '--json'], { env });
		assert.equal(assertJsonOutput(unset, 'config unset').key, 'registry');
		const wrong = await runVouch(['config', 'get', 'regstry', '--json'], { env });
		assert.notEqual(wrong.code, 0);
		assertJsonOutput(wrong, 'error');
	});
});

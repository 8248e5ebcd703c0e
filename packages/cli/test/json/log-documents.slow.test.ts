/**
 * The `--json` documents of `vouch registry log ...` and `registry keys log-key`, run for real
 * against a published repository and checked against the committed JSON Schemas.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { before, describe, it } from 'node:test';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { registryToml } from '../../../library/test/tuf/helpers.ts';
import { runVouch } from '../helpers/cli.ts';
import { assertJsonError, assertJsonOutput } from './schema-check.ts';

let dir: string;

function maintainer(argv: string[]) {
	return runVouch([...argv, '--json'], { cwd: dir, now: () => new Date() });
}

before(async () => {
	dir = makeTempDir('vouch-json-log-');
	writeFileSync(join(dir, 'plugins.toml'), registryToml());
	assert.equal((await maintainer(['registry', 'keys', 'init', '--dir', 'keys'])).code, 0);
	const publish = ['registry', 'publish', 'plugins.toml', '--keys', 'keys', '--out', 'repo'];
	assert.equal((await maintainer(publish)).code, 0);
	writeFileSync(join(dir, 'plugins.toml'), registryToml(['https://github.com/evil/two']));
	assert.equal((await maintainer([...publish, '--reason', 'Blacklisted evil/two.'])).code, 0);
});

describe('transparency log commands print documents their schemas describe', () => {
	it('registry log verify, show, prove and monitor', async () => {
		const verify = await maintainer(['registry', 'log', 'verify', 'repo']);
		assertJsonOutput(verify, 'registry log verify');
		const show = await maintainer(['registry', 'log', 'show', 'repo']);
		assertJsonOutput(show, 'registry log show');
		const inclusion = await maintainer(['registry', 'log', 'prove', 'repo', '1']);
		assertJsonOutput(inclusion, 'registry log prove');
		const consistency = await maintainer([
			'registry',
			'log',
			'prove',
			'repo',
			'--consistency',
			'2',
		]);
		assertJsonOutput(consistency, 'registry log prove');
		const monitor = await maintainer(['registry', 'log', 'monitor', 'repo', '--feed', 'feed.xml']);
		assertJsonOutput(monitor, 'registry log monitor');
		// A log that does not match the key given is an error document.
		const wrongKey = await maintainer([
			'registry',
			'log',
			'verify',
			'repo',
			'--key',
			'nobody+00000000+AQ==',
		]);
		assertJsonError(wrongKey, 1, 'LOG_BAD_KEY');
	});

	it('registry keys log-key', async () => {
		const created = await maintainer([
			'registry',
			'keys',
			'log-key',
			'--dir',
			'more-keys',
			'--origin',
			'example.org/log',
		]);
		assertJsonOutput(created, 'registry keys log-key');
		const rotated = await maintainer([
			'registry',
			'keys',
			'log-key',
			'--dir',
			'more-keys',
			'--rotate',
		]);
		assert.equal(assertJsonOutput(rotated, 'registry keys log-key').rotated, true);
	});
});

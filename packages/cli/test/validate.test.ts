import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const fixtures = new URL('../../library/test/fixtures/manifests/picard/', import.meta.url).pathname;

test('the three real Picard manifests validate', async () => {
	for (const name of [
		'add-to-collection.toml',
		'additional-artists-details.toml',
		'replaygain2.toml',
	]) {
		const run = await runVouch(['validate', join(fixtures, name)]);
		assert.equal(run.code, 0, `${name}: ${run.stdout}${run.stderr}`);
		assert.match(run.stdout, /is valid/);
		assert.match(run.stdout, /Capabilities: undeclared/);
	}
});

test('an invalid manifest exits 1 and lists every error with its code', async () => {
	const dir = makeTempDir('vouch-validate-');
	writeFileSync(
		join(dir, 'MANIFEST.toml'),
		'name = ""\nuuid = "not-a-uuid"\napi = []\nreport_bugs_to = "javascript:alert(1)"\n',
	);
	const run = await runVouch(['validate', dir, '--json']);
	assert.equal(run.code, 1);
	const result = parseJson(run) as { ok: boolean; errors: { code: string; field?: string }[] };
	assert.equal(result.ok, false);
	const fields = new Set(result.errors.map((e) => e.field));
	for (const field of ['name', 'uuid', 'description', 'api', 'report_bugs_to']) {
		assert.ok(fields.has(field), `expected an error on ${field}`);
	}
});

test('a missing manifest is a clear error, not a stack trace', async () => {
	const dir = makeTempDir('vouch-validate-');
	const run = await runVouch(['validate', dir]);
	assert.equal(run.code, 1);
	assert.match(run.stderr, /MANIFEST\.toml/);
	assert.match(run.stderr, /hint:/);
	assert.doesNotMatch(run.stderr, /\n\s+at /);
});

test('broken TOML names the line and column', async () => {
	const dir = makeTempDir('vouch-validate-');
	writeFileSync(join(dir, 'MANIFEST.toml'), 'name = "x"\nuuid = \n');
	const run = await runVouch(['validate', dir, '--json']);
	assert.equal(run.code, 1);
	const error = (parseJson(run) as { error: { code: string; message: string } }).error;
	assert.equal(error.code, 'MANIFEST_PARSE_ERROR');
	assert.match(error.message, /line 2/);
});

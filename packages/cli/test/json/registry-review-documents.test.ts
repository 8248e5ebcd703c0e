/**
 * The `--json` documents of `registry validate` and `registry diff`, run for real and checked
 * against the committed JSON Schemas. (The repository checks are covered with real repositories
 * in `registry-validate.slow.test.ts`; here the documents' shapes, ok and exit codes.)
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../../../library/test/helpers/temp.ts';
import { runVouch } from '../helpers/cli.ts';
import { assertJsonOutput } from './schema-check.ts';

const picard = new URL(
	'../../../library/test/fixtures/registries/picard-plugins.toml',
	import.meta.url,
).pathname;

describe('registry review commands print documents their schemas describe', () => {
	it('registry validate --offline: the real registry, and one with errors (exit 1)', async () => {
		const good = await runVouch(['registry', 'validate', picard, '--offline', '--json']);
		assert.equal(good.code, 0, good.stdout);
		assert.equal(assertJsonOutput(good, 'registry validate').offline, true);
		const file = join(makeTempDir('vouch-json-validate-'), 'plugins.toml');
		writeFileSync(file, `[[plugins]]\nid = "Bad Id"\n`);
		const bad = await runVouch(['registry', 'validate', file, '--offline', '--json']);
		assert.equal(bad.code, 1, bad.stdout);
		assert.ok((assertJsonOutput(bad, 'registry validate').errors as unknown[]).length > 0);
	});

	it('registry diff: no changes, and a lowering change under --fail-on-lowering (exit 1)', async () => {
		const same = await runVouch(['registry', 'diff', picard, picard, '--json']);
		assert.equal(assertJsonOutput(same, 'registry diff').changeCount, 0);
		const file = join(makeTempDir('vouch-json-diff-'), 'plugins.toml');
		writeFileSync(file, 'api_version = "3.0"\n');
		const run = await runVouch(['registry', 'diff', file, picard, '--json', '--fail-on-lowering']);
		assert.equal(run.code, 1);
		const report = assertJsonOutput(run, 'registry diff');
		assert.equal(report.changeCount, 26);
		assert.equal(report.loweringCount, 25);
	});
});

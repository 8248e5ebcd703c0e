/** Aliases and "did you mean" for what is typed in options and arguments (no git needed). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { writeRegistry } from './fixture-registry.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const registry = writeRegistry();

test('ls, rm and i are aliases, shown in help', async () => {
	const help = await runVouch(['--help']);
	assert.match(help.stdout, /install\|i\b/);
	assert.match(help.stdout, /uninstall\|rm\b/);
	assert.match(help.stdout, /list\|ls\b/);
	const home = makeTempDir('vouch-alias-home-');
	const ls = await runVouch(['ls', '--json'], { env: { HOME: home } });
	assert.equal(ls.code, 0, ls.stderr);
	assert.deepEqual((parseJson(ls) as { plugins: unknown[] }).plugins, []);
	const rm = await runVouch(['rm', 'nothing', '--json'], { env: { HOME: home } });
	assert.equal((parseJson(rm).error as { code: string }).code, 'NOT_INSTALLED');
});

test('an unknown trust level suggests the valid one, in text and in --json details', async () => {
	for (const command of [['browse'], ['search', 'cover']]) {
		const json = await runVouch([
			...command,
			'--trust',
			'official,comunity',
			'--registry',
			registry,
			'--json',
		]);
		assert.equal(json.code, 2, json.stdout);
		const error = parseJson(json).error as {
			code: string;
			hint: string;
			details: { suggestions: string[]; value: string; option: string };
		};
		assert.equal(error.code, 'USAGE');
		assert.deepEqual(error.details.suggestions, ['community']);
		assert.equal(error.details.value, 'comunity');
		assert.equal(error.details.option, '--trust');
		assert.match(error.hint, /Did you mean community\?/);
	}
	const human = await runVouch(['browse', '--trust', 'trustd', '--registry', registry]);
	assert.equal(human.code, 2);
	assert.match(human.stderr, /Unknown trust level "trustd"/);
	assert.match(human.stderr, /hint: Did you mean trusted\?/);
	// Nothing close: the valid levels, and no guess.
	const far = await runVouch(['browse', '--trust', 'superb', '--registry', registry, '--json']);
	const error = parseJson(far).error as { details: { suggestions: string[] }; hint: string };
	assert.deepEqual(error.details.suggestions, []);
	assert.doesNotMatch(error.hint, /Did you mean/);
});

test('info and install on an unknown id suggest the closest registry ids', async () => {
	const info = await runVouch(['info', 'cover-fnider', '--registry', registry, '--json']);
	assert.equal(info.code, 1);
	const error = parseJson(info).error as {
		code: string;
		hint: string;
		details: { suggestions: string[] };
	};
	assert.equal(error.code, 'PLUGIN_NOT_FOUND');
	assert.deepEqual(error.details.suggestions, ['cover-finder']);
	const human = await runVouch(['info', 'tager-tools', '--registry', registry]);
	assert.match(human.stderr, /hint: Did you mean tagger-tools\?/);

	const install = await runVouch(['i', 'tagger-tool', '--registry', registry, '--json'], {
		env: { HOME: makeTempDir('vouch-install-home-') },
	});
	const refused = parseJson(install).error as { code: string; details: { suggestions: string[] } };
	assert.equal(refused.code, 'SOURCE_NOT_FOUND');
	assert.deepEqual(refused.details.suggestions, ['tagger-tools']);
});

test('a suggestion never carries terminal escapes from the registry', async () => {
	const hostile = writeRegistry(`api_version = "3.0"

[[plugins]]
id = "evil-one"
uuid = "3f9e1b2c-7a6d-4c5e-8b1a-2d3c4e5f6a7b"
name = "Evil"
description = "x"
git_url = "https://example.org/evil-one"
categories = ["metadata"]
added_at = "2026-01-02T03:04:05Z"
updated_at = "2026-01-02T03:04:05Z"
`);
	const run = await runVouch(['info', 'evil-on\u001b[2J', '--registry', hostile]);
	assert.equal(run.code, 1);
	assert.equal(run.stderr.includes('\u001b'), false);
});

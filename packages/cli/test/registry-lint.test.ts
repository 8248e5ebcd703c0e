import assert from 'node:assert/strict';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { writeRegistry } from './fixture-registry.ts';
import { parseJson, runVouch } from './helpers/cli.ts';
import { assertJsonError } from './json/schema-check.ts';

const picard = new URL(
	'../../library/test/fixtures/registries/picard-plugins.toml',
	import.meta.url,
).pathname;

test('the real Picard registry lints clean of errors', async () => {
	const run = await runVouch(['registry', 'lint', picard, '--json']);
	const result = parseJson(run) as { ok: boolean; errors: unknown[]; pluginCount: number };
	assert.deepEqual(result.errors, []);
	assert.equal(result.ok, true);
	assert.equal(result.pluginCount, 26);
	assert.equal(run.code, 0);
});

test('lint rejects http git URLs, redirect clashes and regexes RE2 cannot run', async () => {
	const file = writeRegistry(`
[[plugins]]
id = "one"
uuid = "8c4f2a1e-5b7d-4e9a-9c3f-1d2e6a7b8c90"
name = "One"
description = "d"
git_url = "http://github.com/a/one"
trust_level = "community"
categories = []
redirect_from = ["https://github.com/a/old"]
added_at = "2026-01-02T03:04:05Z"
updated_at = "2026-01-02T03:04:05Z"

[[plugins]]
id = "two"
uuid = "3f9e1b2c-7a6d-4c5e-8b1a-2d3c4e5f6a7b"
name = "Two"
description = "d"
git_url = "https://github.com/a/two"
trust_level = "community"
categories = []
redirect_from = ["https://github.com/a/old.git"]
added_at = "2026-01-02T03:04:05Z"
updated_at = "2026-01-02T03:04:05Z"

[[blacklist]]
url_regex = "(a)\\\\1"
reason = "backreference"
blacklisted_at = "2026-02-01T00:00:00Z"
`);
	const run = await runVouch(['registry', 'lint', file, '--json']);
	assert.equal(run.code, 1);
	const result = parseJson(run) as { errors: { code: string }[] };
	const codes = result.errors.map((e) => e.code);
	assert.ok(codes.length >= 3, JSON.stringify(codes));
	const human = await runVouch(['registry', 'lint', file]);
	assert.equal(human.code, 1);
	assert.match(human.stdout, /✗/);
});

test('lint refuses unknown keys and a misspelt blacklist table, naming them', async () => {
	const entry = `uuid = "b7e3c9d1-2f4a-4b6c-8d0e-1a2b3c4d5e6f"
reason = "Malware"
blacklisted_at = "2026-02-01T00:00:00Z"
`;
	const typo = writeRegistry(`mirror = "x"\n[[blacklist]]\n${entry}severty = "soft"\n`);
	const run = await runVouch(['registry', 'lint', typo, '--json']);
	assert.equal(run.code, 1, run.stdout);
	const result = parseJson(run) as { ok: boolean; errors: { code: string; message: string }[] };
	assert.equal(result.ok, false);
	const unknown = result.errors.filter((issue) => issue.code === 'UNKNOWN_FIELD');
	assert.match(unknown.map((issue) => issue.message).join(' '), /"mirror".*"severty"/);
	const human = await runVouch(['registry', 'lint', typo]);
	assert.equal(human.code, 1);
	assert.doesNotMatch(human.stdout, /registry is valid/);

	const misspelt = writeRegistry(`[[blacklists]]\n${entry}`);
	const refused = await runVouch(['registry', 'lint', misspelt, '--json']);
	assert.equal(refused.code, 1, refused.stdout);
	assert.equal((parseJson(refused).error as { code: string }).code, 'BLACKLIST_INVALID');
});

test('every registry subcommand answers a missing file the same way: the path and a hint', async () => {
	const dir = makeTempDir('vouch-missing-registry-');
	const commands = [
		['registry', 'lint', 'nonexist.toml'],
		['registry', 'diff', 'nonexist.toml', 'nonexist.toml'],
		['registry', 'validate', '--registry', 'nonexist.toml', '--offline'],
		['registry', 'review', 'some-plugin', '--registry', 'nonexist.toml'],
		['registry', 'pin', 'some-plugin', 'main', '--registry', 'nonexist.toml'],
		['registry', 'hunt', 'needle', '--registry', 'nonexist.toml'],
		['registry', 'publish', 'nonexist.toml', '--keys', 'keys', '--out', 'repo'],
		['registry', 'plugin', 'list', '--registry', 'nonexist.toml'],
		['registry', 'ref', 'list', 'some-plugin', '--registry', 'nonexist.toml'],
		['registry', 'blacklist', 'list', '--registry', 'nonexist.toml'],
		['registry', 'stats', '--registry', 'nonexist.toml'],
	];
	for (const argv of commands) {
		const name = argv.slice(0, 3).join(' ');
		const json = await runVouch([...argv, '--json'], { cwd: dir });
		const error = assertJsonError(json, 1, 'REGISTRY_NOT_FOUND');
		assert.ok(error.message.includes(join(dir, 'nonexist.toml')), name);
		assert.match(error.hint ?? '', /path|--registry/, name);
		const human = await runVouch(argv, { cwd: dir });
		assert.equal(human.code, 1, name);
		assert.match(human.stderr, /hint: /, name);
		assert.doesNotMatch(human.stderr, /\n\s+at /, `${name}: no stack trace`);
	}
	assert.deepEqual(readdirSync(dir), [], 'nothing is created');
});

test('registry log names a repository directory that does not exist as such', async () => {
	const dir = makeTempDir('vouch-missing-repo-');
	const error = assertJsonError(
		await runVouch(['registry', 'log', 'verify', 'nonexist', '--json'], { cwd: dir }),
		1,
		'TUF_LOG_MISSING',
	);
	assert.match(error.message, /no repository directory/);
	assert.match(error.hint ?? '', /registry publish --out/);
});

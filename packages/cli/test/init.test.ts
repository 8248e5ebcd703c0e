/** `vouch init`: a scaffold that validates, scans clean and never overwrites anything. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

interface InitResult {
	ok: boolean;
	dir: string;
	uuid: string;
	name: string;
	api: string[];
	language: string;
	files: { path: string; content: string }[];
}

async function init(args: string[], cwd?: string): Promise<InitResult> {
	const run = await runVouch(['init', ...args, '--json'], cwd === undefined ? {} : { cwd });
	assert.equal(run.code, 0, run.stdout + run.stderr);
	return parseJson(run) as unknown as InitResult;
}

test('a Picard plugin scaffold validates with every capability declared false', async () => {
	const dir = join(makeTempDir('vouch-init-'), 'cover-tweaks');
	const result = await init([
		dir,
		'--name',
		'Cover Tweaks',
		'--author',
		'Ada Lovelace <ada@example.org>',
		'--description',
		'Adjusts "cover art" sizes',
	]);
	assert.deepEqual(result.files.map((file) => file.path.slice(dir.length + 1)).sort(), [
		'.gitignore',
		'MANIFEST.toml',
		'README.md',
		'__init__.py',
	]);
	assert.deepEqual(result.api, ['3.0'], "the picard profile's API version");
	for (const file of result.files) assert.equal(readFileSync(file.path, 'utf8'), file.content);

	const validate = await runVouch(['validate', dir, '--json']);
	assert.equal(validate.code, 0, validate.stdout);
	const manifest = (
		parseJson(validate) as {
			manifest: {
				uuid: string;
				name: string;
				description: string;
				authors: string[];
				capabilities: { status: string; denied: string[]; unlisted: string[] };
			};
		}
	).manifest;
	assert.equal(manifest.uuid, result.uuid);
	assert.equal(manifest.name, 'Cover Tweaks');
	assert.equal(manifest.description, 'Adjusts "cover art" sizes');
	assert.deepEqual(manifest.authors, ['Ada Lovelace <ada@example.org>']);
	assert.equal(manifest.capabilities.status, 'declared');
	assert.deepEqual(manifest.capabilities.unlisted, [], 'every capability is present');
	assert.equal(manifest.capabilities.denied.length, 7);
	// Each capability carries a comment saying what it grants.
	const text = readFileSync(join(dir, 'MANIFEST.toml'), 'utf8');
	assert.match(text, /# Start other programs[^\n]*\nsubprocess = false/);
});

test('the scaffold scans with no high finding', async () => {
	const dir = join(makeTempDir('vouch-init-'), 'plugin');
	await init([dir]);
	const scan = await runVouch(['scan', dir, '--json']);
	assert.equal(scan.code, 0, scan.stderr);
	const report = parseJson(scan) as { findings: { severity: string }[] };
	assert.deepEqual(
		report.findings.filter((finding) => finding.severity === 'high'),
		[],
	);
	const gate = await runVouch(['scan', dir, '--fail-on', 'medium']);
	assert.equal(gate.code, 0, gate.stdout);
});

test('two inits give different UUIDs, each a valid plugin UUID', async () => {
	const root = makeTempDir('vouch-init-');
	const first = await init([join(root, 'a')]);
	const second = await init([join(root, 'b')]);
	assert.notEqual(first.uuid, second.uuid);
	assert.match(first.uuid, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
});

test('with no directory it scaffolds the current one, named after it', async () => {
	const dir = join(makeTempDir('vouch-init-'), 'my_lyrics-helper');
	mkdirSync(dir);
	const result = await init([], dir);
	assert.equal(result.name, 'My Lyrics Helper');
	assert.ok(existsSync(join(dir, 'MANIFEST.toml')));
});

test('a non-empty directory is refused with a typed error and nothing is written', async () => {
	const dir = makeTempDir('vouch-init-');
	writeFileSync(join(dir, 'notes.txt'), 'mine\n');
	const run = await runVouch(['init', dir, '--json']);
	assert.equal(run.code, 1);
	const error = parseJson(run).error as { code: string; hint?: string };
	assert.equal(error.code, 'INIT_TARGET_NOT_EMPTY');
	assert.ok(error.hint);
	assert.equal(existsSync(join(dir, 'MANIFEST.toml')), false);
	const human = await runVouch(['init', dir]);
	assert.match(human.stderr, /hint:/);
	assert.doesNotMatch(human.stderr, /\n\s+at /);
	// The hint suggests another name, never the one just refused.
	assert.doesNotMatch(error.hint ?? '', new RegExp(`vouch init ${dir}$`));
	assert.ok(error.hint?.includes(`vouch init ${dir}-2`), error.hint);
});

test('a name the manifest would refuse is a usage error before anything is written', async () => {
	const dir = join(makeTempDir('vouch-init-'), 'p');
	for (const args of [
		['--name', 'x'.repeat(101)],
		['--description', 'two\nlines'],
		// A line separator would end the JavaScript template's comment line: code after it runs.
		['--name', 'x\u2028globalThis.pwned = 1'],
		['--description', 'escape \u009b2J'],
	]) {
		const run = await runVouch(['init', dir, ...args, '--json']);
		assert.equal(run.code, 2, run.stdout);
		assert.equal((parseJson(run).error as { code: string }).code, 'INIT_INVALID_FIELD');
		assert.equal(existsSync(dir), false);
	}
});

test('a JavaScript host profile gets index.js, and it validates and scans clean', async () => {
	const root = makeTempDir('vouch-init-');
	const profile = join(root, 'jsapp.toml');
	writeFileSync(
		profile,
		[
			'name = "jsapp"',
			'api_versions = ["1.0", "2.1", "2.0"]',
			'registry_urls = ["https://plugins.example.org/plugins.toml"]',
			'allow_unsigned = true',
			'plugin_language = "javascript"',
			'',
		].join('\n'),
	);
	const dir = join(root, 'js-plugin');
	const result = await init([dir, '--profile', profile]);
	assert.equal(result.language, 'javascript');
	assert.deepEqual(result.api, ['2.1'], "the host's newest API version");
	assert.ok(existsSync(join(dir, 'index.js')));
	assert.equal(existsSync(join(dir, '__init__.py')), false);
	assert.equal((await runVouch(['validate', dir, '--profile', profile])).code, 0);
	const scan = await runVouch(['scan', dir, '--json', '--profile', profile]);
	assert.equal(scan.code, 0, scan.stderr);
	const report = parseJson(scan) as { findings: { severity: string }[] };
	assert.equal(report.findings.filter((finding) => finding.severity === 'high').length, 0);
});

/**
 * `vouch config` and the global options, driven as a user would: settings stored once are
 * used by every command that reads a registry, in the documented order of precedence, and
 * options work before or after the command name.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { writeRegistry } from './fixture-registry.ts';
import { type CliRun, parseJson, runVouch } from './helpers/cli.ts';

interface Setting {
	key: string;
	value: string | string[];
	source: string;
	file: string;
}

function sandbox() {
	const root = makeTempDir('vouch-config-');
	const env: NodeJS.ProcessEnv = {
		HOME: join(root, 'home'),
		XDG_CONFIG_HOME: join(root, 'config'),
		XDG_DATA_HOME: join(root, 'data'),
		XDG_CACHE_HOME: join(root, 'cache'),
	};
	const vouch = (args: string[], extraEnv: NodeJS.ProcessEnv = {}) =>
		runVouch(args, { cwd: root, env: { ...env, ...extraEnv } });
	return { root, env, vouch };
}

const errorCode = (run: CliRun) => (parseJson(run).error as { code?: string } | undefined)?.code;

async function settings(run: Promise<CliRun>): Promise<Record<string, Setting>> {
	const result = await run;
	assert.equal(result.code, 0, result.stdout + result.stderr);
	const list = parseJson(result).settings as Setting[];
	return Object.fromEntries(list.map((setting) => [setting.key, setting]));
}

describe('vouch config', () => {
	it('stores the registry so that later commands need no --registry', async () => {
		const { root, vouch } = sandbox();
		const registry = writeRegistry();
		const before = await vouch(['browse', '--json']);
		assert.notEqual(before.code, 0, 'without a registry setting the default (network) is used');

		const set = await vouch(['config', 'set', 'registry', registry, '--json']);
		assert.equal(set.code, 0, set.stdout + set.stderr);
		const file = parseJson(set).file as string;
		assert.ok(file.startsWith(join(root, 'config', 'vouch', 'picard')), file);
		assert.match(readFileSync(file, 'utf8'), /^registry = /m);

		for (const command of [['browse'], ['search', 'cover'], ['info', 'tagger-tools']]) {
			const run = await vouch([...command, '--json']);
			assert.equal(run.code, 0, `${command.join(' ')}: ${run.stdout}${run.stderr}`);
			assert.equal((parseJson(run).registry as { source: string }).source, registry);
		}
	});

	it('lists each value with where it came from: flag > env > stored > default', async () => {
		const { root, vouch } = sandbox();
		const stored = writeRegistry();
		const fromEnv = writeRegistry();
		const fromFlag = writeRegistry();
		let list = await settings(vouch(['config', 'list', '--json']));
		assert.equal(list.profile?.source, 'default');
		assert.equal(list.profile?.value, 'picard');
		assert.equal(list.registry?.source, 'default');
		assert.ok(Array.isArray(list.registry?.value));

		assert.equal((await vouch(['config', 'set', 'registry', stored])).code, 0);
		list = await settings(vouch(['config', 'list', '--json']));
		assert.deepEqual([list.registry?.source, list.registry?.value], ['config', stored]);

		list = await settings(
			vouch(['config', 'list', '--json'], { VOUCH_REGISTRY_URL: `file://${fromEnv}` }),
		);
		assert.equal(list.registry?.source, 'env');

		list = await settings(
			vouch(['--registry', fromFlag, 'config', 'list', '--json'], {
				VOUCH_REGISTRY_URL: `file://${fromEnv}`,
			}),
		);
		assert.deepEqual([list.registry?.source, list.registry?.value], ['flag', fromFlag]);

		// The stored profile decides whose registry setting applies.
		const profileFile = join(root, 'host.toml');
		writeFileSync(
			profileFile,
			'name = "host"\napi_versions = ["1.0"]\nregistry_urls = ["https://registry.example.org/plugins.toml"]\nallow_unsigned = true\n',
		);
		const setProfile = await vouch(['config', 'set', 'profile', profileFile]);
		assert.equal(setProfile.code, 0, setProfile.stderr);
		list = await settings(vouch(['config', 'list', '--json']));
		assert.deepEqual([list.profile?.source, list.profile?.value], ['config', profileFile]);
		assert.equal(list.registry?.source, 'default', 'the registry was stored for picard only');
		list = await settings(vouch(['config', 'list', '--json'], { VOUCH_PROFILE: 'picard' }));
		assert.deepEqual([list.profile?.source, list.registry?.source], ['env', 'config']);
		list = await settings(vouch(['config', 'list', '--profile', 'picard', '--json']));
		assert.deepEqual([list.profile?.source, list.registry?.source], ['flag', 'config']);
	});

	it('list says a value is stored in a file only when it is', async () => {
		const { vouch } = sandbox();
		const stored = writeRegistry();
		const sourceLine = (run: CliRun, key: string) => {
			const lines = run.stdout.split('\n');
			return lines[lines.findIndex((line) => line.startsWith(`${key} = `)) + 1] ?? '';
		};
		let run = await vouch(['config', 'list']);
		assert.equal(run.code, 0, run.stderr);
		for (const key of ['profile', 'registry', 'service']) {
			assert.doesNotMatch(sourceLine(run, key), /stored in/, key);
			assert.match(sourceLine(run, key), /nothing stored/, key);
		}
		assert.match(sourceLine(run, 'registry'), /the profile's default/);

		assert.equal((await vouch(['config', 'set', 'registry', stored])).code, 0);
		run = await vouch(['config', 'list']);
		assert.match(sourceLine(run, 'registry'), /^ +\(stored in .*config\.toml\)$/);
		assert.match(sourceLine(run, 'profile'), /nothing stored/, 'the profile is still not stored');

		run = await vouch(['--registry', stored, 'config', 'list'], { VOUCH_PROFILE: 'picard' });
		assert.match(
			sourceLine(run, 'registry'),
			/^ +\(from the command line, for this command only\)$/,
		);
		assert.match(sourceLine(run, 'profile'), /^ +\(from the environment: VOUCH_PROFILE\)$/);
	});

	it('get prints the value in effect; unset goes back to the default', async () => {
		const { vouch } = sandbox();
		const registry = writeRegistry();
		await vouch(['config', 'set', 'registry', registry]);
		const get = await vouch(['config', 'get', 'registry']);
		assert.equal(get.stdout.trim(), registry);
		const unset = await vouch(['config', 'unset', 'registry', '--json']);
		assert.equal(unset.code, 0, unset.stderr);
		const after = parseJson(await vouch(['config', 'get', 'registry', '--json']));
		assert.equal(after.source, 'default');
	});

	it('refuses an unknown key with a suggestion, and values no command could use', async () => {
		const { vouch } = sandbox();
		const typo = await vouch(['config', 'set', 'registy', 'x', '--json']);
		assert.equal(typo.code, 2);
		assert.equal(errorCode(typo), 'UNKNOWN_SETTING');
		assert.match((parseJson(typo).error as { hint: string }).hint, /registry/);
		const get = await vouch(['config', 'get', 'profle']);
		assert.equal(get.code, 2);
		assert.match(get.stderr, /Did you mean "profile"/);

		for (const value of ['ext::sh -c evil', 'http://example.com/plugins.toml', './missing.toml']) {
			const run = await vouch(['config', 'set', 'registry', value, '--json']);
			assert.notEqual(run.code, 0, value);
			assert.equal(errorCode(run), 'INVALID_SETTING', value);
		}
		const profile = await vouch(['config', 'set', 'profile', 'no-such-profile', '--json']);
		assert.equal(errorCode(profile), 'INVALID_PROFILE');
	});

	it('a bad stored value fails with a hint that names the settings file', async () => {
		const { root, vouch } = sandbox();
		const dir = join(root, 'config', 'vouch', 'picard');
		mkdirSync(dir, { recursive: true });
		const file = join(dir, 'config.toml');
		writeFileSync(file, 'registry = "ext::sh -c evil"\n');
		const run = await vouch(['browse', '--json']);
		assert.equal(run.code, 1);
		assert.equal(errorCode(run), 'INVALID_SETTING');
		assert.ok((parseJson(run).error as { hint: string }).hint.includes(file));

		writeFileSync(file, 'registry = [broken\n');
		const broken = await vouch(['browse']);
		assert.equal(broken.code, 1);
		assert.ok(broken.stderr.includes(file), broken.stderr);
		assert.doesNotMatch(broken.stderr, /\n\s+at /, 'no stack trace');

		writeFileSync(file, 'colour = "blue"\n');
		assert.equal(errorCode(await vouch(['browse', '--json'])), 'INVALID_SETTING');

		// A bad stored profile: the hint names the global file, and config can still fix it.
		const global = join(root, 'config', 'vouch', 'config.toml');
		writeFileSync(global, `profile = "${join(root, 'gone.toml')}"\n`);
		const profile = await vouch(['list', '--json']);
		assert.equal(errorCode(profile), 'INVALID_SETTING');
		assert.ok((parseJson(profile).error as { hint: string }).hint.includes(global));
		assert.equal((await vouch(['config', 'unset', 'profile'])).code, 0);
		assert.equal(
			(await vouch(['config', 'unset', 'registry'])).code,
			1,
			'the file is still broken',
		);
	});

	it('refresh --registry reads it once and says how to make it stick', async () => {
		const { vouch } = sandbox();
		const registry = writeRegistry();
		const run = await vouch(['refresh', '--registry', registry]);
		assert.equal(run.code, 0, run.stderr);
		assert.ok(run.stderr.includes(`vouch config set registry ${registry}`), run.stderr);
		const list = await settings(vouch(['config', 'list', '--json']));
		assert.equal(list.registry?.source, 'default', 'refresh never rewrites the settings');
		await vouch(['config', 'set', 'registry', registry]);
		const again = await vouch(['refresh', '--registry', registry]);
		assert.doesNotMatch(again.stderr, /config set registry/, 'nothing to suggest once stored');
	});
});

describe('global options', () => {
	it('work before or after the command name', async () => {
		const { vouch } = sandbox();
		const registry = writeRegistry();
		const after = await vouch(['browse', '--registry', registry, '--json']);
		const before = await vouch(['--registry', registry, '--json', 'browse']);
		assert.equal(after.code, 0, after.stderr);
		assert.equal(before.code, 0, before.stderr);
		assert.deepEqual(parseJson(before).plugins, parseJson(after).plugins);
		const profile = await vouch(['--profile', 'picard', 'refresh', '--registry', registry]);
		assert.equal(profile.code, 0, profile.stderr);
		const nested = await vouch(['--json', 'registry', 'lint', registry]);
		assert.doesNotThrow(() => parseJson(nested), nested.stdout);
	});

	it('stay listed in each command help', async () => {
		const { vouch } = sandbox();
		const help = await vouch(['refresh', '--help']);
		for (const option of ['--profile', '--registry', '--json']) {
			assert.ok(help.stdout.includes(option), option);
		}
		const root = await vouch(['--help']);
		for (const option of ['--quiet', '--verbose', '--no-color']) {
			assert.ok(root.stdout.includes(option), option);
		}
	});

	it('--quiet keeps errors, warnings and the result; --verbose adds where things came from', async () => {
		const { vouch } = sandbox();
		const registry = writeRegistry();
		const normal = await vouch(['refresh', '--registry', registry]);
		const quiet = await vouch(['refresh', '--registry', registry, '--quiet']);
		assert.equal(quiet.code, 0);
		assert.equal(quiet.stdout, normal.stdout, 'the result is the same');
		assert.match(normal.stderr, /config set registry/);
		assert.doesNotMatch(quiet.stderr, /config set registry/, 'no notices');
		assert.match(quiet.stderr, /warning: .*no trust_level/, 'warnings stay');
		const verbose = await vouch(['-v', 'browse', '--registry', registry]);
		assert.match(verbose.stderr, /registry sources \(--registry\)/);
		assert.match(verbose.stderr, /local file/);
		await vouch(['config', 'set', 'registry', registry]);
		const stored = await vouch(['browse', '--verbose']);
		assert.match(stored.stderr, /stored setting/);
		const failing = await vouch(['-q', 'info', 'no-such-plugin', '--registry', registry]);
		assert.notEqual(failing.code, 0);
		assert.match(failing.stderr, /✗/, 'errors still show');
	});

	it('--quiet and --verbose together are a usage error', async () => {
		const { vouch } = sandbox();
		const run = await vouch(['--quiet', 'list', '--verbose', '--json']);
		assert.equal(run.code, 2);
		assert.equal(errorCode(run), 'USAGE');
	});

	it('--no-color turns colour off even when forced', async () => {
		const { vouch } = sandbox();
		const registry = writeRegistry();
		const coloured = await vouch(['browse', '--registry', registry], { FORCE_COLOR: '1' });
		assert.ok(coloured.stdout.includes('\u001b['));
		const plain = await vouch(['--no-color', 'browse', '--registry', registry], {
			FORCE_COLOR: '1',
		});
		assert.ok(!plain.stdout.includes('\u001b['));
	});
});

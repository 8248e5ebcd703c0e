/**
 * `vouch completion`: each script parses in its shell, and a real completion run in the shell
 * completes commands and options from the live command tree. A shell that is not installed is
 * skipped, saying so.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { chmodSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { makeTempDir } from '../../library/test/helpers/temp.ts';
import { writeRegistry } from './fixture-registry.ts';
import { parseJson, runVouch } from './helpers/cli.ts';

const dir = makeTempDir('vouch-completion-');

function installed(shell: string): boolean {
	return spawnSync(shell, ['-c', 'exit 0'], { stdio: 'ignore' }).status === 0;
}

const skipUnless = (shell: string) => (installed(shell) ? false : `${shell} is not installed here`);

async function script(shell: string): Promise<string> {
	const run = await runVouch(['completion', shell]);
	assert.equal(run.code, 0, run.stderr);
	const file = join(dir, `vouch.${shell}`);
	writeFileSync(file, run.stdout);
	return file;
}

function shellOutput(shell: string, args: string[]): string {
	return execFileSync(shell, args, { encoding: 'utf8', cwd: dir });
}

test('an unknown shell is a usage error', async () => {
	assert.equal((await runVouch(['completion', 'tcsh'])).code, 2);
});

test('the scripts come from the command tree: new commands and nested ones are in them', async () => {
	for (const shell of ['bash', 'zsh', 'fish']) {
		const run = await runVouch(['completion', shell]);
		for (const word of [
			'blacklist',
			'init',
			'completion',
			'registry keys',
			'reinstall',
			'report',
		]) {
			assert.ok(run.stdout.includes(word), `${shell} script lacks ${word}`);
		}
	}
});

test('bash: the script parses', { skip: skipUnless('bash') }, async () => {
	const file = await script('bash');
	assert.equal(spawnSync('bash', ['-n', file]).status, 0);
});

test('bash: a real completion run completes commands and options', {
	skip: skipUnless('bash'),
}, async () => {
	const file = await script('bash');
	// Each call sets the words as bash would for the text before the cursor, then prints what
	// the completion function offers.
	const driver = `source ${JSON.stringify(file)}
complete_words() {
	COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=()
	_vouch
	printf '%s ' "\${COMPREPLY[@]}"; printf '\\n'
}
complete_words vouch ins
complete_words vouch install --re
complete_words vouch --registry plugins.toml registry keys i
complete_words vouch install --ref ''
complete_words vouch completion ''
complete_words vouch blacklist --j
complete_words vouch report --ev
complete_words vouch report st
`;
	const lines = shellOutput('bash', ['-c', driver]).split('\n');
	assert.deepEqual(lines[0]?.trim().split(' '), ['install']);
	assert.ok(lines[1]?.split(' ').includes('--reinstall'), lines[1]);
	assert.ok(!lines[1]?.split(' ').includes('--pre'), 'only options that start with --re');
	assert.deepEqual(lines[2]?.trim().split(' '), ['init'], 'an option value is skipped on the way');
	assert.equal(lines[3]?.trim(), '', "an option's value is left to file completion");
	assert.deepEqual(lines[4]?.trim().split(' '), ['bash', 'zsh', 'fish']);
	// `vouch blacklist --json` runs the default `blacklist list`, so its options are offered.
	assert.deepEqual(lines[5]?.trim().split(' '), ['--json']);
	assert.deepEqual(lines[6]?.trim().split(' '), ['--evidence', '--evidence-url']);
	assert.deepEqual(lines[7]?.trim().split(' '), ['status']);
	// And through `complete -p`: the function is registered for the command name.
	assert.match(
		shellOutput('bash', ['-c', `source ${JSON.stringify(file)}; complete -p vouch`]),
		/-F _vouch/,
	);
});

test('zsh: the script parses and offers commands and options', {
	skip: skipUnless('zsh'),
}, async () => {
	const file = await script('zsh');
	assert.equal(spawnSync('zsh', ['-n', file]).status, 0);
	// The completion system's own _describe and _files are stood in for by ones that print
	// what they are given; the script's walk over the words runs as in a real completion.
	const driver = `autoload -U compinit; compinit -u -d ${JSON.stringify(join(dir, 'zcompdump'))}
source ${JSON.stringify(file)}
_describe() { local name=\${@[-1]}; print -l -- "\${(@P)name}" }
_files() { print FILES }
words=(vouch ins); CURRENT=2; _vouch; print -r -- SEP
words=(vouch install --re); CURRENT=3; _vouch; print -r -- SEP
words=(vouch install --ref ''); CURRENT=4; _vouch
`;
	const [commands, options, value] = shellOutput('zsh', ['-f', '-c', driver]).split('SEP\n');
	assert.match(commands ?? '', /^install:install a plugin/m);
	assert.match(options ?? '', /^--reinstall:/m);
	assert.equal(value?.trim(), 'FILES');
});

test('fish: the script parses and completes commands and options', {
	skip: skipUnless('fish'),
}, async () => {
	const file = await script('fish');
	assert.equal(spawnSync('fish', ['-n', file]).status, 0);
	const out = (line: string) =>
		shellOutput('fish', [
			'--no-config',
			'-c',
			`source ${JSON.stringify(file)}; complete -C ${JSON.stringify(line)}`,
		])
			.split('\n')
			.map((entry) => entry.split('\t')[0]);
	assert.deepEqual(out('vouch ins').filter(Boolean), ['install']);
	assert.ok(out('vouch install --re').includes('--reinstall'));
	assert.ok(out('vouch --registry x registry keys ').includes('init'));
});

test('installed plugins are offered for a <plugin> argument, from the local state only', async () => {
	const home = makeTempDir('vouch-completion-home-');
	const env = {
		HOME: home,
		XDG_DATA_HOME: join(home, 'data'),
		XDG_CACHE_HOME: join(home, 'cache'),
		XDG_CONFIG_HOME: join(home, 'config'),
	};
	assert.equal((await runVouch(['completion', '--installed-plugins'], { env })).stdout, '');
	const plugin = join(home, 'my-plugin');
	const init = parseJson(await runVouch(['init', plugin, '--json']));
	const install = await runVouch(['install', plugin, '--yes', '--registry', writeRegistry()], {
		env,
	});
	assert.equal(install.code, 0, install.stdout + install.stderr);
	// No registry is named and the network is refused: listing must not need either.
	const listed = await runVouch(['completion', '--installed-plugins'], { env });
	assert.equal(listed.code, 0, listed.stderr);
	assert.equal(listed.stdout, `${init.uuid}\n`);
	assert.doesNotMatch((await runVouch(['completion', '--help'])).stdout, /installed-plugins/);
});

test('bash: the script asks vouch for installed plugins at a <plugin> argument', {
	skip: skipUnless('bash'),
}, async () => {
	const file = await script('bash');
	// A stand-in vouch on PATH answers only the exact question the script must ask.
	const bin = join(dir, 'bin');
	mkdirSync(bin, { recursive: true });
	writeFileSync(
		join(bin, 'vouch'),
		'#!/bin/sh\n[ "$*" = "completion --installed-plugins" ] && printf "cover-art\\ntagger\\n"\n',
	);
	chmodSync(join(bin, 'vouch'), 0o755);
	const driver = `source ${JSON.stringify(file)}
complete_words() {
	COMP_WORDS=("$@"); COMP_CWORD=$((\${#COMP_WORDS[@]} - 1)); COMPREPLY=()
	_vouch
	printf '%s ' "\${COMPREPLY[@]}"; printf '\\n'
}
complete_words vouch enable ''
complete_words vouch update --pre t
complete_words vouch switch-ref tagger ''
complete_words vouch validate ''
`;
	const lines = execFileSync('bash', ['-c', driver], {
		encoding: 'utf8',
		cwd: dir,
		env: { ...process.env, PATH: `${bin}:${process.env.PATH}` },
	}).split('\n');
	assert.deepEqual(lines[0]?.trim().split(' '), ['cover-art', 'tagger']);
	assert.deepEqual(lines[1]?.trim().split(' '), ['tagger']);
	assert.equal(lines[2]?.trim(), '', 'only the first argument is a plugin');
	assert.equal(lines[3]?.trim(), '', 'validate takes a path, not a plugin');
});

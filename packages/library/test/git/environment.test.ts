import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { remoteSafetyConfig } from '../../src/git/environment.ts';
import { allowedProtocols, gitEnvironment, SAFETY_CONFIG } from '../../src/git/index.ts';

const secure = { allowInsecureTransport: false };

describe('gitEnvironment', () => {
	it('allows https, ssh and file only, plus http and git when insecure transport is allowed', () => {
		assert.equal(gitEnvironment({}, secure).GIT_ALLOW_PROTOCOL, 'https:ssh:file');
		assert.equal(
			gitEnvironment({}, { allowInsecureTransport: true }).GIT_ALLOW_PROTOCOL,
			'https:ssh:file:http:git',
		);
		assert.equal(allowedProtocols(false).includes('ext'), false);
	});

	it('adds the plain transport for one loopback address only', () => {
		assert.equal(allowedProtocols(false, 'http://127.0.0.1:9/r'), 'https:ssh:file:http');
		assert.equal(allowedProtocols(false, 'git://localhost/r'), 'https:ssh:file:git');
		assert.equal(allowedProtocols(false, 'http://example.org/r'), 'https:ssh:file');
		assert.equal(allowedProtocols(false, 'http://127.0.0.1.nip.io/r'), 'https:ssh:file');
	});

	it("overrides a caller's GIT_ALLOW_PROTOCOL", () => {
		const env = gitEnvironment({ GIT_ALLOW_PROTOCOL: 'ext:fd:https' }, secure);
		assert.equal(env.GIT_ALLOW_PROTOCOL, 'https:ssh:file');
	});

	it('turns every prompt off, askpass programs included', () => {
		const env = gitEnvironment(
			{ GIT_TERMINAL_PROMPT: '1', GIT_ASKPASS: '/bin/askpass', SSH_ASKPASS: '/bin/ssh-askpass' },
			secure,
		);
		assert.equal(env.GIT_TERMINAL_PROMPT, '0');
		assert.equal(env.GIT_ASKPASS, '');
		assert.equal(env.SSH_ASKPASS, '');
		assert.equal(env.SSH_ASKPASS_REQUIRE, 'never');
		assert.equal(env.GCM_INTERACTIVE, 'never');
	});

	it('runs ssh in batch mode unless the user chose the ssh command', () => {
		assert.equal(gitEnvironment({}, secure).GIT_SSH_COMMAND, 'ssh -o BatchMode=yes');
		const own = gitEnvironment({ GIT_SSH_COMMAND: 'ssh -i key' }, secure);
		assert.equal(own.GIT_SSH_COMMAND, 'ssh -i key');
		const program = gitEnvironment({ GIT_SSH: '/usr/bin/plink' }, secure);
		assert.equal(program.GIT_SSH_COMMAND, undefined);
		assert.equal(program.GIT_SSH, '/usr/bin/plink');
	});

	it('fixes the locale so stderr can be classified', () => {
		const env = gitEnvironment({ LC_ALL: 'de_DE.UTF-8', LANG: 'fr_FR.UTF-8' }, secure);
		assert.equal(env.LC_ALL, 'C');
	});

	it('keeps the rest of the environment, and drops variables that retarget git', () => {
		const env = gitEnvironment(
			{
				PATH: '/usr/bin',
				HOME: '/home/u',
				HTTPS_PROXY: 'http://proxy:3128',
				SSH_AUTH_SOCK: '/run/user/1000/agent',
				GIT_CONFIG_GLOBAL: '/home/u/.gitconfig-work',
				GIT_DIR: '/elsewhere/.git',
				GIT_WORK_TREE: '/elsewhere',
				GIT_INDEX_FILE: '/elsewhere/index',
				GIT_OBJECT_DIRECTORY: '/elsewhere/objects',
				GIT_TRACE: '1',
				GIT_TRACE_PACKET: '1',
				UNSET: undefined,
			},
			secure,
		);
		assert.equal(env.PATH, '/usr/bin');
		assert.equal(env.HOME, '/home/u');
		assert.equal(env.HTTPS_PROXY, 'http://proxy:3128');
		assert.equal(env.SSH_AUTH_SOCK, '/run/user/1000/agent');
		assert.equal(env.GIT_CONFIG_GLOBAL, '/home/u/.gitconfig-work');
		for (const name of [
			'GIT_DIR',
			'GIT_WORK_TREE',
			'GIT_INDEX_FILE',
			'GIT_OBJECT_DIRECTORY',
			'GIT_TRACE',
			'GIT_TRACE_PACKET',
			'UNSET',
		]) {
			assert.equal(name in env, false, name);
		}
	});

	it('does not change the object it was given', () => {
		const base = { GIT_DIR: '/x', PATH: '/bin' };
		gitEnvironment(base, secure);
		assert.deepEqual(base, { GIT_DIR: '/x', PATH: '/bin' });
	});
});

describe('SAFETY_CONFIG', () => {
	const settings = new Map<string, string>();
	for (let i = 0; i < SAFETY_CONFIG.length; i += 2) {
		assert.equal(SAFETY_CONFIG[i], '-c');
		const [key, value] = (SAFETY_CONFIG[i + 1] as string).split('=') as [string, string];
		settings.set(key, value);
	}

	it('disables hooks, fsmonitor and submodule recursion, and checks objects', () => {
		assert.equal(settings.get('core.hooksPath'), '/dev/null');
		assert.equal(settings.get('core.fsmonitor'), 'false');
		assert.equal(settings.get('submodule.recurse'), 'false');
		assert.equal(settings.get('fetch.recurseSubmodules'), 'false');
		assert.equal(settings.get('transfer.fsckObjects'), 'true');
	});

	it('never lets git follow an HTTP redirect by itself (D27)', () => {
		assert.equal(settings.get('http.followRedirects'), 'false');
	});

	it('starts no background maintenance', () => {
		assert.equal(settings.get('gc.auto'), '0');
		assert.equal(settings.get('maintenance.auto'), 'false');
	});

	it('never opens the file transport wider than GIT_ALLOW_PROTOCOL does', () => {
		assert.equal(
			[...settings.keys()].some((key) => key.startsWith('protocol.')),
			false,
		);
	});
});

describe('remoteSafetyConfig (D27)', () => {
	it('names the whole http(s) address, which outranks any http.<url> key of the user', () => {
		assert.deepEqual(remoteSafetyConfig('https://h.example/o/r.git'), [
			'-c',
			'http.https://h.example/o/r.git.followRedirects=false',
		]);
		assert.deepEqual(remoteSafetyConfig('ssh://h.example/o/r'), []);
		assert.deepEqual(remoteSafetyConfig('/srv/r'), []);
	});

	it('never writes an "=" into the key, which -c would end there', () => {
		assert.deepEqual(remoteSafetyConfig('https://h.example/o/r?x=1'), [
			'-c',
			'http.https://h.example/o/.followRedirects=false',
		]);
		assert.deepEqual(remoteSafetyConfig('https://u=1@h.example/o/r'), []);
		assert.deepEqual(remoteSafetyConfig('https://h.example?x=1'), []);
	});
});

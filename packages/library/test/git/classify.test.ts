import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
	classifyGitFailure,
	describeStderr,
	type GitErrorCode,
	gitFailureError,
} from '../../src/git/index.ts';

const ACCESS_RIGHTS =
	'fatal: Could not read from remote repository.\n\nPlease make sure you have the correct access rights\nand the repository exists.\n';

/** stderr of real git 2.39 runs (LC_ALL=C), with the code each must get. */
const FIXTURES: readonly (readonly [string, string, GitErrorCode])[] = [
	// A static file server over a bare repository (git's dumb HTTP protocol), asked for depth 1.
	[
		'dumb http, shallow clone',
		'fatal: dumb http transport does not support shallow capabilities\n',
		'GIT_SHALLOW_UNSUPPORTED',
	],
	// Transports refused by GIT_ALLOW_PROTOCOL, or unknown to git.
	['ext:: URL', "fatal: transport 'ext' not allowed\n", 'GIT_TRANSPORT_REFUSED'],
	[
		'http without the insecure flag',
		"fatal: transport 'http' not allowed\n",
		'GIT_TRANSPORT_REFUSED',
	],
	[
		'git:// without the insecure flag',
		"fatal: transport 'git' not allowed\n",
		'GIT_TRANSPORT_REFUSED',
	],
	[
		'unknown scheme, no allow list',
		"git: 'remote-foo' is not a git command. See 'git --help'.\n\nThe most similar command is\n\tremote-ftp\n",
		'GIT_TRANSPORT_REFUSED',
	],
	[
		'missing remote helper',
		"fatal: unable to find remote helper for 'foo'\n",
		'GIT_TRANSPORT_REFUSED',
	],
	// Credentials.
	[
		'http auth, no credentials, prompts off',
		"fatal: could not read Username for 'http://127.0.0.1:42259': terminal prompts disabled\n",
		'GIT_AUTH_FAILED',
	],
	[
		'http auth, wrong credentials',
		"remote: authentication required\nfatal: Authentication failed for 'http://127.0.0.1:42259/repo/'\n",
		'GIT_AUTH_FAILED',
	],
	[
		'ssh key refused',
		`git@github.com: Permission denied (publickey).\r\n${ACCESS_RIGHTS}`,
		'GIT_AUTH_FAILED',
	],
	['ssh host key unknown', `Host key verification failed.\r\n${ACCESS_RIGHTS}`, 'GIT_AUTH_FAILED'],
	[
		'http 403',
		"fatal: unable to access 'https://example.com/o/r.git/': The requested URL returned error: 403\n",
		'GIT_AUTH_FAILED',
	],
	// Missing repositories.
	[
		'http 404 from http-backend',
		"fatal: repository 'http://127.0.0.1:46099/nope/' not found\n",
		'GIT_REPO_NOT_FOUND',
	],
	[
		'missing local path',
		`fatal: '/srv/plugins/missing' does not appear to be a git repository\n${ACCESS_RIGHTS}`,
		'GIT_REPO_NOT_FOUND',
	],
	[
		'hosted repository not found',
		"remote: Repository not found.\nfatal: repository 'https://github.com/o/r.git/' not found\n",
		'GIT_REPO_NOT_FOUND',
	],
	[
		'ssh host repository not found',
		`ERROR: Repository not found.\n${ACCESS_RIGHTS}`,
		'GIT_REPO_NOT_FOUND',
	],
	[
		'clone of a missing local path',
		"fatal: repository '/srv/plugins/missing' does not exist\n",
		'GIT_REPO_NOT_FOUND',
	],
	[
		'working copy without .git',
		"fatal: not a git repository: '/srv/plugins/p/.git'\n",
		'GIT_REPO_NOT_FOUND',
	],
	// Missing refs.
	[
		'clone --branch of a missing branch',
		'warning: Could not find remote branch nope to clone.\nfatal: Remote branch nope not found in upstream origin\n',
		'GIT_REF_NOT_FOUND',
	],
	[
		'fetch of a missing ref',
		"fatal: couldn't find remote ref refs/tags/nope\n",
		'GIT_REF_NOT_FOUND',
	],
	[
		'protocol v2 fetch of an unknown id',
		'fatal: remote error: upload-pack: not our ref 1234567890123456789012345678901234567890\n',
		'GIT_REF_NOT_FOUND',
	],
	[
		'protocol v0 server refusing fetch by id',
		'error: Server does not allow request for unadvertised object 26f6745e54104f665ca1fbb45fea7eb81976b397\n',
		'GIT_REF_NOT_FOUND',
	],
	[
		'checkout of an unknown abbreviation',
		'fatal: invalid reference: 1234567\n',
		'GIT_REF_NOT_FOUND',
	],
	[
		'checkout of an unknown id',
		'fatal: reference is not a tree: 1234567890123456789012345678901234567890\n',
		'GIT_REF_NOT_FOUND',
	],
	['rev-parse --verify', 'fatal: Needed a single revision\n', 'GIT_REF_NOT_FOUND'],
	// Network.
	[
		'closed port',
		"fatal: unable to access 'http://127.0.0.1:1/repo/': Failed to connect to 127.0.0.1 port 1 after 0 ms: Couldn't connect to server\n",
		'GIT_NETWORK',
	],
	[
		'unknown host',
		"fatal: unable to access 'https://nonexistent.invalid/repo/': Could not resolve host: nonexistent.invalid\n",
		'GIT_NETWORK',
	],
	[
		'ssh closed port (the access-rights text must not win)',
		`ssh: connect to host 127.0.0.1 port 1: Connection refused\r\n${ACCESS_RIGHTS}`,
		'GIT_NETWORK',
	],
	[
		'TLS failure',
		"fatal: unable to access 'https://example.com/x.git/': SSL certificate problem: self-signed certificate\n",
		'GIT_NETWORK',
	],
	[
		'broken transfer',
		'error: RPC failed; curl 92 HTTP/2 stream 0 was not closed cleanly: PROTOCOL_ERROR (err 1)\nfatal: early EOF\nfatal: fetch-pack: invalid index-pack output\n',
		'GIT_NETWORK',
	],
	[
		'server error',
		"fatal: unable to access 'https://example.com/x.git/': The requested URL returned error: 503\n",
		'GIT_NETWORK',
	],
	// Everything else.
	[
		'non-empty destination',
		"fatal: destination path 'cl' already exists and is not an empty directory.\n",
		'GIT_FAILED',
	],
	[
		'malformed object rejected by fsck',
		'error: object 8bbe922ddc4c6a4cf85700e2b24c96c91fcc95cd: badTimezone: invalid author/committer line - bad time zone\nfatal: fsck error in packed object\nfatal: fetch-pack: invalid index-pack output\n',
		'GIT_FAILED',
	],
	[
		'local changes in the way',
		'error: Your local changes to the following files would be overwritten by checkout:\n\tc\nPlease commit your changes or stash them before you switch branches.\nAborting\n',
		'GIT_FAILED',
	],
	['no stderr at all', '', 'GIT_FAILED'],
];

describe('classifyGitFailure', () => {
	for (const [name, stderr, code] of FIXTURES) {
		it(`${name} → ${code}`, () => {
			assert.equal(classifyGitFailure({ stderr, exitCode: 128 }), code);
		});
	}

	it('is not fooled by letter case', () => {
		assert.equal(
			classifyGitFailure({ stderr: 'FATAL: AUTHENTICATION FAILED FOR X', exitCode: 128 }),
			'GIT_AUTH_FAILED',
		);
	});
});

describe('gitFailureError', () => {
	it('quotes stderr without escapes, controls or credentials, and carries a hint', () => {
		const stderr =
			"\u001b[31mremote: \u001b]0;owned\u0007evil\u001b[0m\nfatal: Authentication failed for 'https://alice:s3cret@example.com/o/r.git/'\r\n\u202eoverride";
		const error = gitFailureError('cloning https://example.com/o/r', { stderr, exitCode: 128 });
		assert.equal(error.code, 'GIT_AUTH_FAILED');
		assert.ok(!error.message.includes('s3cret'), error.message);
		assert.ok(!error.message.includes('alice'), error.message);
		assert.ok(!error.message.includes('\u001b'), error.message);
		assert.ok(!error.message.includes('\u0007'), error.message);
		assert.ok(!error.message.includes('\u202e'), error.message);
		assert.ok(!error.message.includes('\r'), error.message);
		assert.ok(!error.message.includes('owned'), 'the OSC title payload is dropped');
		assert.match(error.message, /remote: evil/);
		assert.match(error.message, /https:\/\/\*\*\*@example\.com\/o\/r\.git/);
		assert.equal(typeof error.hint, 'string');
		assert.ok((error.hint ?? '').length > 0);
		assert.equal(error.details?.stderr, describeStderr(stderr));
		assert.equal(error.details?.exitCode, 128);
	});

	it('bounds the quoted text', () => {
		const error = gitFailureError('x', { stderr: 'fatal: '.padEnd(100_000, 'a'), exitCode: 1 });
		assert.ok(error.message.length < 2200, String(error.message.length));
	});

	it('says how git ended when it printed nothing', () => {
		assert.match(gitFailureError('x', { stderr: '', exitCode: null }).message, /was stopped/);
		assert.match(gitFailureError('x', { stderr: '  \n', exitCode: 3 }).message, /exited with 3/);
	});

	it('uses a code given by the caller', () => {
		const error = gitFailureError('x', { stderr: 'whatever', exitCode: 1 }, 'GIT_REF_NOT_FOUND');
		assert.equal(error.code, 'GIT_REF_NOT_FOUND');
	});
});

/**
 * Turns a failed git run into a typed error. git is always run with `LC_ALL=C`, so its
 * messages are the English ones matched here. Matching is by plain substrings over bounded,
 * lowercased text: the text is partly server-controlled, so nothing here may backtrack.
 *
 * Order matters: a refused transport or a credentials problem is named before the generic
 * "Could not read from remote repository" that git appends to most remote failures.
 */
import type { VouchError } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { type GitErrorCode, gitError } from './errors.ts';

/** Errors that git raises for the remote's or the transport's sake, in the order checked. */
const RULES: readonly (readonly [Exclude<GitErrorCode, 'GIT_FAILED'>, readonly string[]])[] = [
	// http.followRedirects=false: a redirect the probe did not see (D27, `redirects.ts`).
	['GIT_REDIRECT_REFUSED', ['returned error: 30']],
	// A static file server over a bare repository (git update-server-info): no shallow fetch.
	['GIT_SHALLOW_UNSUPPORTED', ['dumb http transport does not support shallow']],
	[
		'GIT_TRANSPORT_REFUSED',
		[
			"' not allowed", // fatal: transport 'ext' not allowed (GIT_ALLOW_PROTOCOL)
			'unable to find remote helper',
			'not supported or disabled in libcurl',
			"is not a git command. see 'git --help'", // git: 'remote-foo' is not a git command
		],
	],
	[
		'GIT_AUTH_FAILED',
		[
			'authentication failed',
			'could not read username',
			'could not read password',
			'terminal prompts disabled',
			'permission denied (publickey',
			'permission denied, please try again',
			'host key verification failed',
			'invalid username or password',
			'http basic: access denied',
			'returned error: 401',
			'returned error: 403',
		],
	],
	[
		'GIT_REF_NOT_FOUND',
		[
			'not found in upstream', // Remote branch X not found in upstream origin
			"couldn't find remote ref",
			'not our ref',
			'does not allow request for unadvertised object',
			'invalid reference:',
			'reference is not a tree',
			'needed a single revision',
			'unknown revision or path not in the working tree',
			'did not match any file(s) known to git',
			'bad revision',
			'is ambiguous',
		],
	],
	[
		'GIT_REPO_NOT_FOUND',
		[
			"' not found", // fatal: repository 'https://host/x/' not found
			"' does not exist", // fatal: repository '/local/path' does not exist
			'repository not found',
			'does not appear to be a git repository',
			'not a git repository',
			'returned error: 404',
			'no such repository',
			'cannot change to',
		],
	],
	[
		'GIT_NETWORK',
		[
			'could not resolve host',
			'could not resolve proxy',
			'name or service not known',
			'temporary failure in name resolution',
			'failed to connect',
			"couldn't connect to server",
			'connection refused',
			'connection timed out',
			'connection reset',
			'connection closed by',
			'network is unreachable',
			'no route to host',
			'operation timed out',
			'ssl certificate problem',
			'server certificate verification failed',
			'ssl_connect',
			'ssl_error',
			'gnutls_handshake',
			'rpc failed',
			'early eof',
			'the remote end hung up unexpectedly',
			'unexpected disconnect',
			'kex_exchange_identification',
			'returned error: 429',
			'returned error: 5', // 500, 502, 503, 504
		],
	],
];

/** What git printed and how it ended. `exitCode` is null when a signal ended it. */
export interface GitFailure {
	stderr: string;
	exitCode: number | null;
}

/** The code for a failed git run, from its stderr text and exit status. */
export function classifyGitFailure(failure: GitFailure): GitErrorCode {
	const text = failure.stderr.toLowerCase();
	for (const [code, needles] of RULES) {
		if (needles.some((needle) => text.includes(needle))) return code;
	}
	return 'GIT_FAILED';
}

/** How much of git's stderr an error message quotes. */
const MAX_QUOTED_CHARACTERS = 2000;

/** git's stderr, safe to show: escapes and controls removed, URL credentials redacted. */
export function describeStderr(stderr: string): string {
	return sanitizeText(stderr.trim(), { multiline: true, maxLength: MAX_QUOTED_CHARACTERS });
}

/**
 * The typed error for a failed run. `action` says what Vouch was doing, in words a user
 * understands ("cloning https://…"); it must already be sanitised.
 */
export function gitFailureError(
	action: string,
	failure: GitFailure,
	code: GitErrorCode = classifyGitFailure(failure),
): VouchError<GitErrorCode> {
	const quoted = describeStderr(failure.stderr);
	const status = failure.exitCode === null ? 'was stopped' : `exited with ${failure.exitCode}`;
	const message =
		code === 'GIT_SHALLOW_UNSUPPORTED'
			? `git failed while ${action}: the server speaks only git's old "dumb" HTTP protocol, which cannot send the shallow copy Vouch fetches.`
			: quoted.length === 0
				? `git failed while ${action} (it ${status}).`
				: `git failed while ${action}:\n${quoted}`;
	return gitError(code, message, {
		details: { exitCode: failure.exitCode, stderr: quoted },
	});
}

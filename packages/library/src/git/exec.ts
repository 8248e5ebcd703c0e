/**
 * What every operation shares: the resolved settings of one `createGit()` instance, and the
 * two ways to run git with them (in a repository's working copy, or outside any repository).
 */
import { join, parse as parsePath } from 'node:path';
import type { VouchError } from '../core/errors.ts';
import { sanitizeText } from '../core/sanitize.ts';
import { resolveUrlForGit } from './arguments.ts';
import { gitFailureError } from './classify.ts';
import { allowedProtocols, remoteSafetyConfig } from './environment.ts';
import { type GitErrorCode, gitError } from './errors.ts';
import {
	followRedirects,
	type RedirectGuard,
	type RedirectOutcome,
	type RedirectProbeSettings,
} from './redirects.ts';
import { type ProcessGroups, type RunResult, runGit } from './run.ts';

export interface GitContext {
	gitBinary: string;
	/** The finished environment (see `gitEnvironment`). */
	env: Readonly<Record<string, string>>;
	/** Base for relative paths given by callers. */
	cwd: string;
	home: string | undefined;
	allowInsecureTransport: boolean;
	networkTimeoutMs: number;
	localTimeoutMs: number;
	maxStdoutBytes: number;
	maxStderrBytes: number;
	groups: ProcessGroups;
	/** How http(s) redirects are discovered before git runs (D27). */
	redirects: Omit<RedirectProbeSettings, 'allowInsecureTransport'>;
}

/** Per-call settings every operation accepts. */
export interface CallOptions {
	/** Overrides the instance's time limit for this call. */
	timeoutMs?: number;
	/** Stops git (its whole process group) when aborted. */
	signal?: AbortSignal;
	/**
	 * Decides whether an HTTP redirect of the remote may be followed (D27); throws to refuse.
	 * Without it every redirect is refused.
	 */
	redirectGuard?: RedirectGuard;
}

export interface ExecRequest {
	args: readonly string[];
	/** What is being done, for messages; already sanitised. */
	action: string;
	/** Talks to a remote: gets the network time limit. */
	network: boolean;
	/**
	 * The remote address this process talks to. A loopback http or git:// address gets its
	 * transport added to `GIT_ALLOW_PROTOCOL` for this process only.
	 */
	remote?: string;
	/** Run inside this working copy (absolute). Without it git runs outside any repository. */
	repo?: string;
	/** `repo` is a bare repository (a mirror's): it is the git directory, with no work tree. */
	bare?: boolean;
	/** With `bare`: the directory files are written to (an export), never a clone's own tree. */
	workTree?: string;
	maxStdoutBytes?: number;
}

/**
 * Runs git; resolves whatever the exit status. Inside a working copy the repository is named
 * explicitly (`--git-dir`, `--work-tree`), so git never searches parent directories and can
 * never act on an enclosing repository (a home directory kept in git, say). Outside one, git
 * runs from the filesystem root, so a repository at the caller's working directory, with its
 * own config, is never read.
 */
export function execGit(
	context: GitContext,
	request: ExecRequest,
	call: CallOptions = {},
): Promise<RunResult> {
	const located =
		request.repo === undefined
			? request.args
			: request.bare === true
				? [
						`--git-dir=${request.repo}`,
						...(request.workTree === undefined ? [] : [`--work-tree=${request.workTree}`]),
						...request.args,
					]
				: [
						`--git-dir=${join(request.repo, '.git')}`,
						`--work-tree=${request.repo}`,
						...request.args,
					];
	const args =
		request.remote === undefined ? located : [...remoteSafetyConfig(request.remote), ...located];
	return runGit({
		gitBinary: context.gitBinary,
		args,
		cwd: request.repo ?? parsePath(context.cwd).root,
		env:
			request.remote === undefined
				? context.env
				: {
						...context.env,
						GIT_ALLOW_PROTOCOL: allowedProtocols(context.allowInsecureTransport, request.remote),
					},
		timeoutMs:
			call.timeoutMs ?? (request.network ? context.networkTimeoutMs : context.localTimeoutMs),
		maxStdoutBytes: request.maxStdoutBytes ?? context.maxStdoutBytes,
		maxStderrBytes: context.maxStderrBytes,
		action: request.action,
		groups: context.groups,
		...(call.signal === undefined ? {} : { signal: call.signal }),
	});
}

/** The address git must be given for `url`, after its redirects were followed and checked. */
export function resolveRemote(
	context: GitContext,
	url: string,
	call: CallOptions = {},
): Promise<RedirectOutcome> {
	return followRedirects(
		url,
		{ ...context.redirects, allowInsecureTransport: context.allowInsecureTransport },
		call.redirectGuard,
		call.signal,
	);
}

/** Where a network operation talks to, as `runFollowingRedirects` hands it over. */
export interface RemoteAddress extends RedirectOutcome {
	/**
	 * Where git really fetches from, when that is not the address named: the end of the
	 * redirects followed, or the address the user's `url.<base>.insteadOf` rewrites it to.
	 */
	fetchedFrom?: string;
}

/**
 * Runs a network operation against `url` as given, and asks where it redirects only when git
 * stops at a redirect. git never follows one itself (`http.followRedirects=false`), so nothing
 * is fetched from a target before the probe and the caller's guard have checked it (D27); what
 * this saves is the probe's round trip to every repository that does not redirect, which is
 * nearly all of them. A redirect the probe cannot see (on a later request of the same fetch)
 * leaves git's own refusal standing. `attempt` must leave nothing behind when it throws.
 */
export async function runFollowingRedirects<T>(
	context: GitContext,
	url: string,
	call: CallOptions | undefined,
	attempt: (remote: RemoteAddress) => Promise<T>,
): Promise<T> {
	try {
		return await attempt(await rewrittenBy(context, { url, hops: [] }, call ?? {}));
	} catch (error) {
		if (!hasGitCode(error, 'GIT_REDIRECT_REFUSED')) throw error;
		const remote = await resolveRemote(context, url, call ?? {});
		if (remote.hops.length === 0) throw error;
		return attempt(await rewrittenBy(context, remote, call ?? {}));
	}
}

/**
 * The address with what git makes of it: a `url.<base>.insteadOf` rewrite in the user's
 * config sends git somewhere the address does not name (`gh:badorg/x` to the forge, say), and
 * the caller's blacklist must see where (D27). `ls-remote --get-url` applies the rewrite
 * without talking to anyone.
 */
async function rewrittenBy(
	context: GitContext,
	remote: RedirectOutcome,
	call: CallOptions,
): Promise<RemoteAddress> {
	const gitUrl = resolveUrlForGit(remote.url, context.cwd, context.home);
	const result = await execGitChecked(
		context,
		{
			args: ['ls-remote', '--get-url', '--', gitUrl],
			action: `reading where git fetches ${sanitizeText(remote.url, { maxLength: 200 })} from`,
			network: false,
		},
		call,
	);
	const rewritten = outputText(result);
	if (rewritten !== '' && rewritten !== gitUrl) return { ...remote, fetchedFrom: rewritten };
	return remote.hops.length === 0 ? remote : { ...remote, fetchedFrom: remote.url };
}

/** Runs git and throws the classified error unless it exits with 0. */
export async function execGitChecked(
	context: GitContext,
	request: ExecRequest,
	call: CallOptions = {},
): Promise<RunResult> {
	const result = await execGit(context, request, call);
	if (result.exitCode !== 0) throw gitFailureError(request.action, result);
	return result;
}

/** stdout as text without the final newline. */
export function outputText(result: RunResult): string {
	return result.stdout.toString('utf8').replace(/\r?\n$/, '');
}

/** Whether `error` is a VouchError from this module with the given code. */
export function hasGitCode(error: unknown, code: GitErrorCode): error is VouchError<GitErrorCode> {
	return typeof error === 'object' && error !== null && (error as { code?: unknown }).code === code;
}

/** The commit `rev` names in the working copy at `repo`, or undefined when it names none. */
export async function resolveCommit(
	context: GitContext,
	repo: string,
	rev: string,
	call: CallOptions = {},
): Promise<string | undefined> {
	const result = await execGit(
		context,
		{
			repo,
			args: ['rev-parse', '--verify', '--quiet', '--end-of-options', `${rev}^{commit}`],
			action: 'reading a commit id',
			network: false,
		},
		call,
	);
	if (result.exitCode === 0) return outputText(result);
	// --quiet: a missing revision exits 1 silently; anything on stderr is another failure.
	if (result.exitCode === 1 && result.stderr.trim() === '') return undefined;
	throw gitFailureError('reading a commit id', result);
}

/** The commit `rev` names, or GIT_REF_NOT_FOUND naming `label`. */
export async function requireCommit(
	context: GitContext,
	dir: string,
	rev: string,
	label: string,
	call: CallOptions,
): Promise<string> {
	const commit = await resolveCommit(context, dir, rev, call);
	if (commit === undefined)
		throw gitError('GIT_REF_NOT_FOUND', `Not found: ${sanitizeText(label)}.`);
	return commit;
}

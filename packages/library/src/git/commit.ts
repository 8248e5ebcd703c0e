/**
 * Recording and publishing changes made in a working copy: stage the named paths and commit
 * them (nothing staged, no commit), and push the current commit to a branch of a remote. The
 * registry service uses these when it is the source of truth of a registry repository. Paths,
 * messages and identities go to git as separate arguments, paths after `--`; no hook runs
 * (`environment.ts`), and a commit is never signed by whatever key the machine has set up.
 */
import { isAbsolute } from 'node:path';
import { sanitizeText } from '../core/sanitize.ts';
import { assertRefName, assertUrlAllowed, resolvePath, resolveUrlForGit } from './arguments.ts';
import { gitFailureError } from './classify.ts';
import { gitError } from './errors.ts';
import {
	type CallOptions,
	execGit,
	execGitChecked,
	type GitContext,
	requireCommit,
	resolveRemote,
} from './exec.ts';

/** Longest commit message accepted (the service lists change records in it, bounded too). */
export const MAX_COMMIT_MESSAGE_BYTES = 64 * 1024;
/** Most paths staged by one commit; callers name directories, not every file. */
export const MAX_COMMIT_PATHS = 100;
const MAX_IDENTITY_LENGTH = 200;

export interface CommitIdentity {
	name: string;
	email: string;
}

export interface CommitRequest {
	/** A working copy. */
	dir: string;
	/** Relative, `/`-separated paths (files or directories) staged with their deletions. */
	paths: readonly string[];
	message: string;
	author: CommitIdentity;
}

function hasControl(text: string, allowNewlines: boolean): boolean {
	for (let i = 0; i < text.length; i++) {
		const c = text.charCodeAt(i);
		if (allowNewlines && (c === 0x0a || c === 0x09)) continue;
		if (c < 0x20 || c === 0x7f) return true;
	}
	return false;
}

function assertRelativePath(path: string): string {
	const parts = path.split('/');
	if (
		path.length === 0 ||
		path.length > 1024 ||
		isAbsolute(path) ||
		path.includes('\\') ||
		hasControl(path, false) ||
		parts.some((part) => part === '' || part === '.' || part === '..' || part === '.git') ||
		path.startsWith('-') ||
		path.startsWith(':')
	) {
		throw gitError(
			'GIT_INVALID_ARGUMENT',
			`Not a path inside the working copy: ${sanitizeText(path)}.`,
		);
	}
	return path;
}

function assertIdentity(identity: CommitIdentity): CommitIdentity {
	for (const value of [identity.name, identity.email]) {
		if (
			typeof value !== 'string' ||
			value.trim().length === 0 ||
			value.length > MAX_IDENTITY_LENGTH ||
			hasControl(value, false) ||
			/[<>]/.test(value)
		) {
			throw gitError(
				'GIT_INVALID_ARGUMENT',
				`Not a usable commit identity: ${sanitizeText(String(value))}.`,
			);
		}
	}
	return identity;
}

function assertMessage(message: string): string {
	if (
		message.trim().length === 0 ||
		Buffer.byteLength(message, 'utf8') > MAX_COMMIT_MESSAGE_BYTES ||
		hasControl(message, true)
	) {
		throw gitError(
			'GIT_INVALID_ARGUMENT',
			`A commit message must be non-empty text of at most ${MAX_COMMIT_MESSAGE_BYTES} bytes, without control characters.`,
		);
	}
	return message;
}

/** Stages `paths` and commits them; `commit` is undefined when nothing changed. */
export async function commitPaths(
	context: GitContext,
	request: CommitRequest,
	call: CallOptions = {},
): Promise<{ commit?: string }> {
	const repo = resolvePath(request.dir, context.cwd);
	if (request.paths.length === 0 || request.paths.length > MAX_COMMIT_PATHS) {
		throw gitError('GIT_INVALID_ARGUMENT', `A commit names 1 to ${MAX_COMMIT_PATHS} paths.`);
	}
	const paths = request.paths.map(assertRelativePath);
	const message = assertMessage(request.message);
	const author = assertIdentity(request.author);
	const shown = sanitizeText(repo);
	await execGitChecked(
		context,
		{
			repo,
			// `:(literal)` keeps git from reading a path as a glob or a magic pathspec.
			args: ['add', '--all', '--', ...paths.map((path) => `:(literal)${path}`)],
			action: `staging changes in ${shown}`,
			network: false,
		},
		call,
	);
	const staged = await execGit(
		context,
		{ repo, args: ['diff', '--cached', '--quiet'], action: `comparing ${shown}`, network: false },
		call,
	);
	if (staged.exitCode === 0) return {};
	if (staged.exitCode !== 1) throw gitFailureError(`comparing ${shown}`, staged);
	await execGitChecked(
		context,
		{
			repo,
			args: [
				// The committer, unless the environment names one; the author is given explicitly.
				'-c',
				`user.name=${author.name}`,
				'-c',
				`user.email=${author.email}`,
				'commit',
				'--quiet',
				'--no-verify',
				'--no-gpg-sign',
				`--author=${author.name} <${author.email}>`,
				'-m',
				message,
			],
			action: `committing in ${shown}`,
			network: false,
		},
		call,
	);
	return { commit: await requireCommit(context, repo, 'HEAD', 'HEAD', call) };
}

export interface PushRequest {
	dir: string;
	url: string;
	/** The remote branch that receives the working copy's HEAD (fast-forward only). */
	branch: string;
}

/** Pushes HEAD to `branch` of `url`; a push that is not a fast-forward is refused by git. */
export async function pushHead(
	context: GitContext,
	request: PushRequest,
	call: CallOptions = {},
): Promise<void> {
	const repo = resolvePath(request.dir, context.cwd);
	const branch = assertRefName(request.branch);
	const allowed = assertUrlAllowed(request.url, context.allowInsecureTransport);
	// D27: redirects are followed and checked before git talks to the remote.
	const remote = await resolveRemote(context, allowed, call);
	const url = resolveUrlForGit(remote.url, context.cwd, context.home);
	await execGitChecked(
		context,
		{
			repo,
			args: ['push', '--quiet', '--no-verify', '--', url, `HEAD:refs/heads/${branch}`],
			action: `pushing to ${sanitizeText(remote.url, { maxLength: 200 })}`,
			network: true,
			remote: url,
		},
		call,
	);
}

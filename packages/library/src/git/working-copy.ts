/**
 * Reading and moving an existing working copy: the checkout that update, switch-ref and
 * rollback end with, and what the safety checks read (local changes, tracked files, the
 * origin address).
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { sanitizeText } from '../core/sanitize.ts';
import {
	assertCommitId,
	assertRefName,
	assertRevision,
	assertUrlAllowed,
	resolvePath,
	resolveUrlForGit,
} from './arguments.ts';
import { gitFailureError } from './classify.ts';
import { gitError } from './errors.ts';
import {
	type CallOptions,
	execGit,
	execGitChecked,
	type GitContext,
	outputText,
	requireCommit,
} from './exec.ts';

/** Most paths listed from one working copy (tracked or changed). */
export const MAX_LISTED_FILES = 100_000;

export interface CheckoutRequest {
	dir: string;
	/** The commit to move to (full or abbreviated id). */
	commit: string;
	/** Put this branch at the commit and switch to it (`-B`); otherwise detach HEAD there. */
	branch?: string;
	/**
	 * Throw away local modifications of tracked files that are in the way. Without it, git
	 * refuses to overwrite them (GIT_FAILED). Untracked files are left alone either way.
	 */
	force?: boolean;
}

/** Moves the working copy to `commit`, detached or on `branch`; returns the new HEAD. */
export async function checkoutCommit(
	context: GitContext,
	request: CheckoutRequest,
	call: CallOptions = {},
): Promise<{ commit: string }> {
	const dir = resolvePath(request.dir, context.cwd);
	const commit = assertCommitId(request.commit);
	const branch = request.branch === undefined ? undefined : assertRefName(request.branch);
	const force = request.force === true ? ['--force'] : [];
	const target = branch === undefined ? ['--detach', commit] : ['-B', branch, commit];
	await execGitChecked(
		context,
		{
			repo: dir,
			args: ['checkout', '--quiet', ...force, '--no-recurse-submodules', ...target, '--'],
			action: `checking out ${commit} in ${sanitizeText(dir)}`,
			network: false,
		},
		call,
	);
	return { commit: await requireCommit(context, dir, 'HEAD', 'HEAD', call) };
}

/** The commit `rev` names (tags peeled), or GIT_REF_NOT_FOUND. */
export async function revParse(
	context: GitContext,
	dir: string,
	rev: string,
	call: CallOptions = {},
): Promise<string> {
	const repo = resolvePath(dir, context.cwd);
	return requireCommit(context, repo, assertRevision(rev), rev, call);
}

/**
 * Paths with local changes: modified, staged, deleted, and untracked (files ignored by the
 * repository's .gitignore excepted). Renames and copies list the new path.
 */
export async function changedFiles(
	context: GitContext,
	dir: string,
	call: CallOptions = {},
): Promise<string[]> {
	const repo = resolvePath(dir, context.cwd);
	const result = await execGitChecked(
		context,
		{
			repo,
			args: ['status', '--porcelain=v1', '-z', '--untracked-files=all'],
			action: `checking ${sanitizeText(repo)} for local changes`,
			network: false,
		},
		call,
	);
	const entries = splitNul(result.stdout.toString('utf8'));
	const paths: string[] = [];
	for (let i = 0; i < entries.length; i++) {
		const entry = entries[i] as string;
		// "XY path"; a rename or copy is followed by an entry holding the old path.
		if ('RC'.includes(entry[0] ?? ' ') || 'RC'.includes(entry[1] ?? ' ')) i++;
		paths.push(entry.slice(3));
	}
	return paths;
}

export async function listTrackedFiles(
	context: GitContext,
	dir: string,
	call: CallOptions = {},
): Promise<string[]> {
	const repo = resolvePath(dir, context.cwd);
	const result = await execGitChecked(
		context,
		{
			repo,
			args: ['ls-files', '-z', '--cached'],
			action: `listing the files of ${sanitizeText(repo)}`,
			network: false,
		},
		call,
	);
	return splitNul(result.stdout.toString('utf8'));
}

function splitNul(text: string): string[] {
	const parts = text.split('\0').filter((part) => part.length > 0);
	if (parts.length > MAX_LISTED_FILES) {
		throw gitError(
			'GIT_OUTPUT_TOO_LARGE',
			`The working copy lists more than ${MAX_LISTED_FILES} files; it was not used.`,
		);
	}
	return parts;
}

/** The stored origin address, or undefined when there is none. */
export async function readRemoteUrl(
	context: GitContext,
	dir: string,
	call: CallOptions = {},
): Promise<string | undefined> {
	const repo = resolvePath(dir, context.cwd);
	const action = `reading the origin of ${sanitizeText(repo)}`;
	// An air-gapped mirror holds bare repositories: no `.git` inside, the directory is one.
	const bare = !existsSync(join(repo, '.git')) && existsSync(join(repo, 'HEAD'));
	const result = await execGit(
		context,
		{
			repo,
			bare,
			args: ['config', '--local', '--get', 'remote.origin.url'],
			action,
			network: false,
		},
		call,
	);
	if (result.exitCode === 0) return outputText(result);
	// `config --get` exits 1 when the key is missing; anything else is a real failure.
	if (result.exitCode === 1 && result.stderr.trim() === '') return undefined;
	throw gitFailureError(action, result);
}

/**
 * The origin address as git fetches from it: `url.<base>.insteadOf` rewrites applied (from the
 * clone's own config and the user's). The blacklist must see this one, not the stored text: a
 * shorthand such as `gh:badorg/plugin` names no host, yet git fetches it from the forge.
 */
export async function readOriginAddress(
	context: GitContext,
	dir: string,
	call: CallOptions = {},
): Promise<string | undefined> {
	const repo = resolvePath(dir, context.cwd);
	const action = `reading the origin of ${sanitizeText(repo)}`;
	const bare = !existsSync(join(repo, '.git')) && existsSync(join(repo, 'HEAD'));
	const result = await execGit(
		context,
		{ repo, bare, args: ['remote', 'get-url', 'origin'], action, network: false },
		call,
	);
	if (result.exitCode === 0) return outputText(result);
	// `remote get-url` exits 2 when there is no such remote.
	if (result.exitCode === 2 && /no such remote/i.test(result.stderr)) return undefined;
	throw gitFailureError(action, result);
}

/**
 * The repository git reads when it clones the working copy at `dir`: its `.git` followed when
 * that is a link or a gitfile (`gitdir: <path>`), and a linked worktree's common directory.
 * Undefined when `dir` holds no repository git can open. A clone of `dir` copies the objects
 * and refs of this directory, so it is the address the copy answers for (D11).
 */
export async function readRepositoryDir(
	context: GitContext,
	dir: string,
	call: CallOptions = {},
): Promise<string | undefined> {
	const repo = resolvePath(dir, context.cwd);
	// No `.git` (or a missing directory): nothing for git to follow, and no git to run.
	if (!existsSync(join(repo, '.git'))) return undefined;
	const result = await execGit(
		context,
		{
			repo,
			args: ['rev-parse', '--git-common-dir'],
			action: `locating the repository of ${sanitizeText(repo)}`,
			network: false,
		},
		call,
	);
	if (result.exitCode !== 0) return undefined;
	const found = outputText(result);
	// git answers relative to where it ran, which is `repo`.
	return found === '' ? undefined : resolve(repo, found);
}

/** Points the origin at `url` (after a registry redirect), creating it if missing. */
export async function writeRemoteUrl(
	context: GitContext,
	dir: string,
	url: string,
	call: CallOptions = {},
): Promise<void> {
	const repo = resolvePath(dir, context.cwd);
	const allowed = assertUrlAllowed(url, context.allowInsecureTransport);
	const gitUrl = resolveUrlForGit(allowed, context.cwd, context.home);
	const exists = (await readRemoteUrl(context, repo, call)) !== undefined;
	await execGitChecked(
		context,
		{
			repo,
			args: ['remote', exists ? 'set-url' : 'add', '--', 'origin', gitUrl],
			action: `setting the origin of ${sanitizeText(repo)}`,
			network: false,
		},
		call,
	);
}

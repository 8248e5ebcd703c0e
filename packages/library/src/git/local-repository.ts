/**
 * The exact directory git reads for a local path, so that the repository Vouch checked is the
 * one git fetches from (D11).
 *
 * Given a path, git does not read that path alone: clone, ls-remote and fetch (through
 * upload-pack) try `<path>/.git`, then `<path>`, then `<path>.git/.git` and `<path>.git`,
 * taking the first that looks like a repository. A working copy whose `.git` is broken (an empty
 * directory, say) beside a `<path>.git` repository would have git read the neighbour, which the
 * blacklist never saw. So git is handed the repository's own git directory, resolved here with
 * git's discovery switched off, after checking that nothing inside it would be tried first:
 * then the first guess git makes misses, and its second is that directory exactly.
 *
 * For a linked worktree the git directory is the worktree's own (`.git/worktrees/<name>`): its
 * HEAD is the commit the user has checked out there, and its objects and refs are the main
 * repository's, which is the address the blacklist checks.
 */
import { lstat, realpath } from 'node:fs/promises';
import { join } from 'node:path';
import { sanitizeText } from '../core/sanitize.ts';
import { gitTransportOf } from '../core/transport-policy.ts';
import { resolveUrlForGit } from './arguments.ts';
import { gitError } from './errors.ts';
import { type CallOptions, execGit, type GitContext, outputText } from './exec.ts';

/**
 * The real path of the git directory a local `path` names: its `.git` (followed through a
 * link or gitfile) when it has one, else the path itself when it is a bare repository. Throws
 * GIT_REPO_NOT_FOUND when neither is a repository git can open, and when the directory holds
 * a `.git` of its own that git would read instead.
 */
export async function exactLocalRepository(
	context: GitContext,
	path: string,
	call: CallOptions = {},
): Promise<string> {
	const shown = sanitizeText(path, { maxLength: 200 });
	const hasDotGit = (await lstat(join(path, '.git')).catch(() => undefined)) !== undefined;
	// `--git-dir` names the repository: git does not search parent directories or try suffixes.
	const result = await execGit(
		context,
		{
			// Run from outside any repository: `.git` may be a gitfile, no directory to run in.
			args: [
				`--git-dir=${hasDotGit ? join(path, '.git') : path}`,
				'rev-parse',
				'--absolute-git-dir',
			],
			action: `locating the repository at ${shown}`,
			network: false,
		},
		call,
	);
	const found = result.exitCode === 0 ? outputText(result) : '';
	if (found === '') {
		throw gitError('GIT_REPO_NOT_FOUND', `${shown} holds no git repository git can open.`, {
			hint: hasDotGit
				? 'Its .git is damaged or empty: repair it, or give the path of the repository itself.'
				: 'Give the path of a git working copy or repository.',
		});
	}
	const gitDir = await realpath(found).catch(() => found);
	// Inside the git directory, a `.git` (directory, file or link) is what git would try first.
	if ((await lstat(join(gitDir, '.git')).catch(() => undefined)) !== undefined) {
		throw gitError(
			'GIT_REPO_NOT_FOUND',
			`The repository of ${shown} holds a .git of its own, which git would read instead.`,
			{ hint: 'Remove the nested .git, or install from a plain clone of the repository.' },
		);
	}
	return gitDir;
}

/**
 * The address git is handed for `url`: a local path or `file://` URL becomes the exact git
 * directory it names (see above); every other address is `resolveUrlForGit`'s.
 */
export async function addressForGit(
	context: GitContext,
	url: string,
	call: CallOptions = {},
): Promise<string> {
	const resolved = resolveUrlForGit(url, context.cwd, context.home);
	if (gitTransportOf(resolved) !== 'file') return resolved;
	return exactLocalRepository(context, localPathOf(resolved), call);
}

/** The path of a local address; git ignores the host of a `file://` URL, and so does this. */
function localPathOf(address: string): string {
	if (!/^file:\/\//i.test(address)) return address;
	const rest = address.slice('file://'.length);
	const slash = rest.indexOf('/');
	const path = slash === -1 ? '/' : rest.slice(slash);
	try {
		return decodeURIComponent(path);
	} catch {
		return path;
	}
}

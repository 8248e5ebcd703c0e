/**
 * Reading the history of a working copy: whether one commit is an ancestor of another (a
 * followed branch that was force-pushed is not a descendant of what was read before), and a
 * commit's subject line (what a change record names when it imports a commit).
 */
import { sanitizeText } from '../core/sanitize.ts';
import { assertCommitId, resolvePath } from './arguments.ts';
import { gitFailureError } from './classify.ts';
import {
	type CallOptions,
	execGit,
	execGitChecked,
	type GitContext,
	outputText,
	resolveCommit,
} from './exec.ts';

/** Longest subject returned (in columns); git cuts longer ones itself, ending them with `..`. */
export const MAX_SUBJECT_COLUMNS = 200;

export interface AncestryRequest {
	dir: string;
	ancestor: string;
	descendant: string;
}

/**
 * Whether `ancestor` is `descendant` or one of its ancestors. An ancestor the working copy does
 * not hold is not one: after a full fetch of a branch every ancestor of its tip is present.
 */
export async function isAncestor(
	context: GitContext,
	request: AncestryRequest,
	call: CallOptions = {},
): Promise<boolean> {
	const repo = resolvePath(request.dir, context.cwd);
	const ancestor = assertCommitId(request.ancestor);
	const descendant = assertCommitId(request.descendant);
	if ((await resolveCommit(context, repo, ancestor, call)) === undefined) return false;
	const action = `comparing ${ancestor} with ${descendant}`;
	const result = await execGit(
		context,
		{
			repo,
			args: ['merge-base', '--is-ancestor', ancestor, descendant],
			action,
			network: false,
		},
		call,
	);
	// Exit 1 is git's "no"; any other non-zero status is a failure to answer.
	if (result.exitCode === 0) return true;
	if (result.exitCode === 1 && result.stderr.trim() === '') return false;
	throw gitFailureError(action, result);
}

/** The first line of a commit's message, as git stores it (untrusted: sanitise to show). */
export async function commitSubject(
	context: GitContext,
	dir: string,
	commit: string,
	call: CallOptions = {},
): Promise<string> {
	const repo = resolvePath(dir, context.cwd);
	const id = assertCommitId(commit);
	const result = await execGitChecked(
		context,
		{
			repo,
			args: [
				'show',
				'--no-patch',
				'--no-show-signature',
				`--format=%<(${MAX_SUBJECT_COLUMNS},trunc)%s`,
				id,
				'--',
			],
			action: `reading the subject of ${sanitizeText(id)}`,
			network: false,
			// Bounded by the cut above; a margin for wide characters.
			maxStdoutBytes: 64 * 1024,
		},
		call,
	);
	// The cut pads short subjects to the width with spaces.
	return outputText(result).trimEnd();
}

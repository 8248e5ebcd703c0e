/**
 * Fetching one ref into an existing clone, for update and switch-ref: the working tree is not
 * touched, so the caller can validate the fetched commit before moving to it.
 */
import { sanitizeText } from '../core/sanitize.ts';
import {
	assertCommitId,
	assertDepth,
	assertRefName,
	assertUrlAllowed,
	isFullCommitId,
	resolvePath,
} from './arguments.ts';
import { depthArgs, type RefType } from './clone.ts';
import { gitError } from './errors.ts';
import {
	type CallOptions,
	execGitChecked,
	type GitContext,
	hasGitCode,
	outputText,
	requireCommit,
	resolveCommit,
	runFollowingRedirects,
} from './exec.ts';
import { addressForGit } from './local-repository.ts';
import { readRemoteUrl } from './working-copy.ts';

export interface FetchRequest {
	dir: string;
	/** Branch, tag or commit id. Absent: the remote's default branch. */
	ref?: string;
	/** Absent with a ref: a branch, else a tag, else a commit id. */
	refType?: RefType;
	/**
	 * Commits of history to fetch; 0 fetches everything (and completes a shallow clone).
	 * Default: 1 in a shallow clone, everything in a complete one.
	 */
	depth?: number;
	/** Fetch from this address rather than the stored origin. It is not stored. */
	url?: string;
}

interface Remote {
	dir: string;
	url: string;
	shown: string;
}

/** Fetches one ref from the origin (or `url`) without touching the working tree. */
export async function fetchRef(
	context: GitContext,
	request: FetchRequest,
	call: CallOptions = {},
): Promise<{ commit: string; fetchedFrom?: string }> {
	const dir = resolvePath(request.dir, context.cwd);
	const stored = request.url ?? (await readRemoteUrl(context, dir, call));
	if (stored === undefined) {
		throw gitError('GIT_FAILED', `${sanitizeText(dir)} has no origin to fetch from.`);
	}
	const allowed = assertUrlAllowed(stored, context.allowInsecureTransport);
	const depth =
		request.depth === undefined
			? (await isShallow(context, dir, call))
				? 1
				: 0
			: assertDepth(request.depth);
	// D27: git stops at a redirect of the origin; only then is it followed, each target checked.
	return runFollowingRedirects(context, allowed, call, async (resolved) => {
		const remote: Remote = {
			dir,
			url: resolved.url,
			shown: sanitizeText(resolved.url, { maxLength: 200 }),
		};
		const fetched = await fetchResolved(context, remote, request, depth, call);
		return resolved.fetchedFrom === undefined
			? fetched
			: { ...fetched, fetchedFrom: resolved.fetchedFrom };
	});
}

async function fetchResolved(
	context: GitContext,
	remote: Remote,
	request: FetchRequest,
	depth: number,
	call: CallOptions,
): Promise<{ commit: string }> {
	const dir = remote.dir;
	const { ref, refType } = request;
	if (refType === 'commit') return fetchCommit(context, remote, assertCommitId(ref), depth, call);
	if (ref === undefined) {
		await fetchRefspecs(context, remote, ['HEAD'], depth, 'fetching the default branch', call);
		return { commit: await requireCommit(context, dir, 'FETCH_HEAD', 'the default branch', call) };
	}
	assertRefName(ref);
	const kinds: RefType[] = refType === undefined ? ['branch', 'tag'] : [refType];
	if (refType === undefined && /^[0-9a-fA-F]{7,64}$/.test(ref)) kinds.push('commit');
	for (const kind of kinds) {
		try {
			if (kind === 'commit')
				return await fetchCommit(context, remote, ref.toLowerCase(), depth, call);
			const local = kind === 'branch' ? `refs/remotes/origin/${ref}` : `refs/tags/${ref}`;
			const source = kind === 'branch' ? `refs/heads/${ref}` : `refs/tags/${ref}`;
			const what = `fetching ${kind} ${sanitizeText(ref)}`;
			await fetchRefspecs(context, remote, [`+${source}:${local}`], depth, what, call);
			return { commit: await requireCommit(context, dir, local, `${kind} ${ref}`, call) };
		} catch (error) {
			if (!hasGitCode(error, 'GIT_REF_NOT_FOUND') || kinds.length === 1) throw error;
		}
	}
	throw gitError(
		'GIT_REF_NOT_FOUND',
		`${remote.shown} has no ${kinds.join(' or ')} ${sanitizeText(ref)}.`,
	);
}

async function fetchCommit(
	context: GitContext,
	remote: Remote,
	commitId: string,
	depth: number,
	call: CallOptions,
): Promise<{ commit: string }> {
	// A commit id names fixed content: one already here needs no network.
	const present = await resolveCommit(context, remote.dir, commitId, call);
	if (present !== undefined) return { commit: present };
	const what = `fetching commit ${commitId}`;
	let fetched = false;
	if (isFullCommitId(commitId)) {
		try {
			await fetchRefspecs(context, remote, [commitId], depth, what, call);
			fetched = true;
		} catch (error) {
			if (!hasGitCode(error, 'GIT_REF_NOT_FOUND')) throw error;
		}
	}
	if (!fetched) {
		// The server will not send it by id (or it is abbreviated): fetch every branch and tag.
		const everything = ['+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'];
		await fetchRefspecs(context, remote, everything, 0, what, call);
	}
	return { commit: await requireCommit(context, remote.dir, commitId, `commit ${commitId}`, call) };
}

async function fetchRefspecs(
	context: GitContext,
	remote: Remote,
	refspecs: readonly string[],
	depth: number,
	what: string,
	call: CallOptions,
): Promise<void> {
	const history =
		depth === 0
			? (await isShallow(context, remote.dir, call))
				? ['--unshallow']
				: []
			: depthArgs(depth);
	// A local path becomes the exact repository it names (D11, `local-repository.ts`); resolved
	// only here, when git is about to read it, so a fetch that needs no remote reads none.
	const url = await addressForGit(context, remote.url, call);
	await execGitChecked(
		context,
		{
			repo: remote.dir,
			args: [
				'fetch',
				'--quiet',
				'--no-tags',
				'--no-recurse-submodules',
				...history,
				'--',
				url,
				...refspecs,
			],
			action: `${what} from ${remote.shown}`,
			network: true,
			remote: url,
		},
		call,
	);
}

async function isShallow(context: GitContext, dir: string, call: CallOptions): Promise<boolean> {
	const result = await execGitChecked(
		context,
		{
			repo: dir,
			args: ['rev-parse', '--is-shallow-repository'],
			action: `reading ${sanitizeText(dir)}`,
			network: false,
		},
		call,
	);
	return outputText(result) === 'true';
}

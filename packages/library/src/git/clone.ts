/**
 * Cloning a plugin at one branch, tag or commit into an empty directory, fetching as little
 * history as possible.
 *
 * - Branch (or no ref: the default branch): `git clone --depth N --branch B --single-branch`.
 * - Tag: `--branch` prefers a branch of the same name, which would silently swap a fixed
 *   release for a moving branch, so tags are fetched by their full name into a new repository.
 * - Commit: fetched by id with the same depth. Servers that refuse to send an unadvertised
 *   commit get a full fetch instead, after which the commit must be present.
 */
import { sanitizeText } from '../core/sanitize.ts';
import {
	assertCommitId,
	assertDepth,
	assertRefName,
	assertUrlAllowed,
	isFullCommitId,
	resolvePath,
	resolveUrlForGit,
} from './arguments.ts';
import { gitFailureError } from './classify.ts';
import { clearDestination, prepareDestination } from './destination.ts';
import { gitError } from './errors.ts';
import {
	type CallOptions,
	execGit,
	execGitChecked,
	type GitContext,
	hasGitCode,
	resolveCommit,
	runFollowingRedirects,
} from './exec.ts';
import { addressForGit } from './local-repository.ts';

export type RefType = 'branch' | 'tag' | 'commit';

export interface CloneRequest {
	url: string;
	/** Branch, tag or commit id. Absent: the remote's default branch. */
	ref?: string;
	/** Absent with a ref: a branch or tag name, or failing those, a commit id. */
	refType?: RefType;
	/** Must not exist, or be an empty directory. */
	dest: string;
	/** Commits of history to fetch; 0 fetches everything. Default 1. */
	depth?: number;
}

export interface CloneResult {
	/** The checked-out commit. */
	commit: string;
	/** The branch checked out, when the clone followed one (the default branch included). */
	branch?: string;
	/** Where the code really came from, when redirects were followed (D27). */
	fetchedFrom?: string;
}

interface Plan {
	/** What git is given: local paths made absolute. */
	url: string;
	/** Sanitised, for messages. */
	shown: string;
	dest: string;
	depth: number;
}

export async function cloneRepository(
	context: GitContext,
	request: CloneRequest,
	call: CallOptions = {},
): Promise<CloneResult> {
	const allowed = assertUrlAllowed(request.url, context.allowInsecureTransport);
	const dest = resolvePath(request.dest, context.cwd);
	const depth = assertDepth(request.depth ?? 1);
	const ref = request.ref;
	// Validate everything before the network or the destination is touched.
	const commitId = request.refType === 'commit' ? assertCommitId(ref) : undefined;
	if (ref !== undefined && commitId === undefined) assertRefName(ref);
	const created = await prepareDestination(dest);
	try {
		// D27: git stops at a redirect; only then is it followed, each target checked.
		return await runFollowingRedirects(context, allowed, call, async (remote) => {
			const given = resolveUrlForGit(remote.url, context.cwd, context.home);
			const plan: Plan = {
				// A local path becomes the exact repository it names, so git cannot read a
				// neighbour (`<path>.git`) in its place (D11).
				url: await addressForGit(context, remote.url, call),
				shown: sanitizeText(remote.url, { maxLength: 200 }),
				dest,
				depth,
			};
			try {
				const cloned = await cloneAt(context, plan, request, commitId, call);
				// The clone's origin keeps the address as given; each fetch from it is made exact
				// again the same way.
				if (plan.url !== given) await setOrigin(context, plan, given, call);
				return remote.fetchedFrom === undefined
					? cloned
					: { ...cloned, fetchedFrom: remote.fetchedFrom };
			} catch (error) {
				// Empty again, for a clone from where the redirect leads.
				await clearDestination(dest, false);
				throw error;
			}
		});
	} catch (error) {
		await clearDestination(dest, created);
		throw error;
	}
}

function cloneAt(
	context: GitContext,
	plan: Plan,
	request: CloneRequest,
	commitId: string | undefined,
	call: CallOptions,
): Promise<CloneResult> {
	const ref = request.ref;
	if (commitId !== undefined) return cloneCommit(context, plan, commitId, call);
	if (ref === undefined) return cloneBranch(context, plan, undefined, call);
	if (request.refType === 'tag') return cloneTag(context, plan, ref, call);
	if (request.refType === 'branch') return cloneBranch(context, plan, ref, call);
	return cloneNamedRef(context, plan, ref, call);
}

/** A name of unknown type: a branch, else a tag, else (if it looks like one) a commit id. */
async function cloneNamedRef(
	context: GitContext,
	plan: Plan,
	ref: string,
	call: CallOptions,
): Promise<CloneResult> {
	const attempts: ((name: string) => Promise<CloneResult>)[] = [
		(name) => cloneBranch(context, plan, name, call),
		(name) => cloneTag(context, plan, name, call),
	];
	if (/^[0-9a-fA-F]{7,64}$/.test(ref)) {
		attempts.push((name) => cloneCommit(context, plan, name.toLowerCase(), call));
	}
	for (const attempt of attempts) {
		try {
			return await attempt(ref);
		} catch (error) {
			if (!hasGitCode(error, 'GIT_REF_NOT_FOUND')) throw error;
			await clearDestination(plan.dest, false);
		}
	}
	const kinds = attempts.length > 2 ? 'branch, tag or commit' : 'branch or tag';
	throw gitError('GIT_REF_NOT_FOUND', `${plan.shown} has no ${kinds} ${sanitizeText(ref)}.`);
}

async function cloneBranch(
	context: GitContext,
	plan: Plan,
	branch: string | undefined,
	call: CallOptions,
): Promise<CloneResult> {
	const action =
		branch === undefined
			? `cloning ${plan.shown}`
			: `cloning branch ${sanitizeText(branch)} of ${plan.shown}`;
	await execGitChecked(
		context,
		{
			args: [
				'clone',
				'--quiet',
				'--no-local',
				'--no-recurse-submodules',
				'--single-branch',
				...depthArgs(plan.depth),
				...(branch === undefined ? [] : ['--branch', branch]),
				'--',
				plan.url,
				plan.dest,
			],
			action,
			network: true,
			remote: plan.url,
		},
		call,
	);
	const { commit, checkedOut } = await readHead(context, plan, action, call);
	// `--branch` falls back to a tag of that name; a branch was asked for.
	if (branch !== undefined && checkedOut !== `refs/heads/${branch}`) {
		throw gitError('GIT_REF_NOT_FOUND', `${plan.shown} has no branch ${sanitizeText(branch)}.`);
	}
	const name = checkedOut.startsWith('refs/heads/')
		? checkedOut.slice('refs/heads/'.length)
		: undefined;
	return { commit, ...(name === undefined ? {} : { branch: name }) };
}

/**
 * The commit checked out and the ref HEAD names (`HEAD` itself when detached), in one git
 * process: every process spawned is a few milliseconds of every install.
 */
async function readHead(
	context: GitContext,
	plan: Plan,
	action: string,
	call: CallOptions,
): Promise<{ commit: string; checkedOut: string }> {
	const result = await execGit(
		context,
		{
			repo: plan.dest,
			args: ['rev-parse', 'HEAD^{commit}', '--symbolic-full-name', 'HEAD'],
			action,
			network: false,
		},
		call,
	);
	const [commit = '', checkedOut = ''] = result.stdout.toString('utf8').trim().split('\n');
	if (result.exitCode === 0 && /^[0-9a-f]{40}(?:[0-9a-f]{24})?$/.test(commit)) {
		return { commit, checkedOut: checkedOut.trim() };
	}
	// An empty repository: HEAD names a branch that has no commit yet.
	if (/unknown revision|ambiguous argument|bad revision/i.test(result.stderr)) {
		throw gitError('GIT_REF_NOT_FOUND', `${plan.shown} has no commits on that ref.`);
	}
	throw gitFailureError(action, result);
}

async function cloneTag(
	context: GitContext,
	plan: Plan,
	tag: string,
	call: CallOptions,
): Promise<CloneResult> {
	await initRepository(context, plan, call);
	const refspec = `+refs/tags/${tag}:refs/tags/${tag}`;
	await fetchInto(context, plan, [refspec], plan.depth, `fetching tag ${sanitizeText(tag)}`, call);
	const commit = await resolveCommit(context, plan.dest, `refs/tags/${tag}`, call);
	if (commit === undefined) {
		throw gitError('GIT_REF_NOT_FOUND', `${plan.shown} has no tag ${sanitizeText(tag)}.`);
	}
	return checkoutDetached(context, plan, commit, call);
}

async function cloneCommit(
	context: GitContext,
	plan: Plan,
	commitId: string,
	call: CallOptions,
): Promise<CloneResult> {
	await initRepository(context, plan, call);
	const action = `fetching commit ${commitId}`;
	let fetched = false;
	if (isFullCommitId(commitId)) {
		try {
			await fetchInto(context, plan, [commitId], plan.depth, action, call);
			fetched = true;
		} catch (error) {
			// Refused (or unknown): a full fetch settles which.
			if (!hasGitCode(error, 'GIT_REF_NOT_FOUND')) throw error;
		}
	}
	if (!fetched) {
		const everything = ['+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'];
		await fetchInto(context, plan, everything, 0, action, call);
	}
	const commit = await resolveCommit(context, plan.dest, commitId, call);
	if (commit === undefined) {
		throw gitError('GIT_REF_NOT_FOUND', `${plan.shown} has no commit ${commitId}.`);
	}
	return checkoutDetached(context, plan, commit, call);
}

async function setOrigin(
	context: GitContext,
	plan: Plan,
	url: string,
	call: CallOptions,
): Promise<void> {
	await execGitChecked(
		context,
		{
			repo: plan.dest,
			args: ['remote', 'set-url', '--', 'origin', url],
			action: `recording the origin of ${plan.shown}`,
			network: false,
		},
		call,
	);
}

async function initRepository(context: GitContext, plan: Plan, call: CallOptions): Promise<void> {
	const action = `preparing a clone of ${plan.shown}`;
	await execGitChecked(
		context,
		{ args: ['init', '--quiet', '--', plan.dest], action, network: false },
		call,
	);
	await execGitChecked(
		context,
		{ repo: plan.dest, args: ['remote', 'add', '--', 'origin', plan.url], action, network: false },
		call,
	);
}

async function fetchInto(
	context: GitContext,
	plan: Plan,
	refspecs: readonly string[],
	depth: number,
	what: string,
	call: CallOptions,
): Promise<void> {
	await execGitChecked(
		context,
		{
			repo: plan.dest,
			args: [
				'fetch',
				'--quiet',
				'--no-tags',
				'--no-recurse-submodules',
				...depthArgs(depth),
				'--',
				plan.url,
				...refspecs,
			],
			action: `${what} from ${plan.shown}`,
			network: true,
			remote: plan.url,
		},
		call,
	);
}

async function checkoutDetached(
	context: GitContext,
	plan: Plan,
	commit: string,
	call: CallOptions,
): Promise<CloneResult> {
	await execGitChecked(
		context,
		{
			repo: plan.dest,
			args: ['checkout', '--quiet', '--detach', commit, '--'],
			action: `checking out ${commit}`,
			network: false,
		},
		call,
	);
	return { commit: await headCommit(context, plan, call) };
}

async function headCommit(context: GitContext, plan: Plan, call: CallOptions): Promise<string> {
	const commit = await resolveCommit(context, plan.dest, 'HEAD', call);
	if (commit === undefined) {
		throw gitError('GIT_REF_NOT_FOUND', `${plan.shown} has no commits on that ref.`);
	}
	return commit;
}

export function depthArgs(depth: number): string[] {
	return depth === 0 ? [] : ['--depth', String(depth)];
}

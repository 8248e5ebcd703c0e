/**
 * A snapshot of every branch and tag of a remote in one fetch, and reading one file at a commit
 * of it without a checkout. `registry validate` reads MANIFEST.toml at every ref and version
 * tag of a plugin: one fetch of the tips (shallow) serves all of them, where a clone per ref
 * would cost one network round trip each.
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
import { depthArgs } from './clone.ts';
import { prepareDestination } from './destination.ts';
import { gitError } from './errors.ts';
import { type CallOptions, execGitChecked, type GitContext, resolveRemote } from './exec.ts';

export interface SnapshotRequest {
	url: string;
	/** Must not exist, or be an empty directory. */
	dest: string;
	/** Commits of history per ref; 0 fetches everything. Default 1. */
	depth?: number;
	/**
	 * Only these branches and tags (both lists given): what the caller will read, so that a
	 * repository with thousands of refs costs no more than the few it needs. Default: all.
	 */
	only?: { branches: readonly string[]; tags: readonly string[]; commits?: readonly string[] };
	/**
	 * A bare repository (no working tree, nothing ever checked out): for a cache that is only
	 * read through git, such as `registry hunt`'s. Read it with `bare: true` requests.
	 */
	bare?: boolean;
}

/** The branches fetch into `refs/remotes/origin/*`, tags into `refs/tags/*`. */
const ALL_REFS = ['+refs/heads/*:refs/remotes/origin/*', '+refs/tags/*:refs/tags/*'] as const;

/** Most refs one snapshot names; a longer list would not fit a command line anyway. */
export const MAX_SNAPSHOT_REFS = 1000;

function refspecsOf(only: SnapshotRequest['only']): string[] {
	if (only === undefined) return [...ALL_REFS];
	const commits = only.commits ?? [];
	if (only.branches.length + only.tags.length + commits.length > MAX_SNAPSHOT_REFS) {
		throw gitError('GIT_INVALID_ARGUMENT', `A snapshot names at most ${MAX_SNAPSHOT_REFS} refs.`);
	}
	return [
		...only.branches.map((b) => `+refs/heads/${assertRefName(b)}:refs/remotes/origin/${b}`),
		...only.tags.map((t) => `+refs/tags/${assertRefName(t)}:refs/tags/${t}`),
		// A pinned commit no ref points at any more: asked for by id (a server may refuse).
		...commits.map((c) => {
			if (!isFullCommitId(c.toLowerCase())) {
				throw gitError('GIT_INVALID_ARGUMENT', 'A snapshot fetches commits by full id only.');
			}
			const id = assertCommitId(c);
			return `+${id}:refs/vouch/commits/${id}`;
		}),
	];
}

/** Fetches the tips of every branch and tag of `url` into a new repository at `dest`. */
export async function fetchSnapshot(
	context: GitContext,
	request: SnapshotRequest,
	call: CallOptions = {},
): Promise<{ fetchedFrom?: string }> {
	const allowed = assertUrlAllowed(request.url, context.allowInsecureTransport);
	const dest = resolvePath(request.dest, context.cwd);
	const depth = assertDepth(request.depth ?? 1);
	const refspecs = refspecsOf(request.only);
	// D27: redirects are followed and checked before git talks to the remote.
	const remote = await resolveRemote(context, allowed, call);
	const url = resolveUrlForGit(remote.url, context.cwd, context.home);
	const shown = sanitizeText(remote.url, { maxLength: 200 });
	await prepareDestination(dest);
	await execGitChecked(
		context,
		{
			args: ['init', '--quiet', ...(request.bare === true ? ['--bare'] : []), '--', dest],
			action: `preparing a copy of ${shown}`,
			network: false,
		},
		call,
	);
	if (refspecs.length === 0) return remote.hops.length === 0 ? {} : { fetchedFrom: remote.url };
	await execGitChecked(
		context,
		{
			repo: dest,
			bare: request.bare === true,
			args: [
				'fetch',
				'--quiet',
				'--no-tags',
				'--no-recurse-submodules',
				...depthArgs(depth),
				'--',
				url,
				...refspecs,
			],
			action: `fetching the branches and tags of ${shown}`,
			network: true,
			remote: url,
		},
		call,
	);
	return remote.hops.length === 0 ? {} : { fetchedFrom: remote.url };
}

export interface ReadFileAtRequest {
	/** A working copy (such as a snapshot). */
	dir: string;
	commit: string;
	/** A path at the top of the tree, such as `MANIFEST.toml`. */
	path: string;
	/** Larger files are refused before they are read. */
	maxBytes: number;
}

export type FileAtCommit =
	| { kind: 'file'; bytes: Buffer }
	| { kind: 'missing' }
	/** A directory, a symlink or a submodule: nothing a reader should follow. */
	| { kind: 'not-a-file' }
	| { kind: 'too-large'; size: number };

const TOP_LEVEL_NAME = /^[^/\\\0]{1,255}$/;

/** The content of one top-level file at `commit`, never following a symlink. */
export async function readFileAtCommit(
	context: GitContext,
	request: ReadFileAtRequest,
	call: CallOptions = {},
): Promise<FileAtCommit> {
	const dir = resolvePath(request.dir, context.cwd);
	const commit = assertCommitId(request.commit);
	if (!TOP_LEVEL_NAME.test(request.path) || request.path === '.' || request.path === '..') {
		throw gitError('GIT_INVALID_ARGUMENT', 'Only a file at the top of the tree can be read.');
	}
	const listing = await execGitChecked(
		context,
		{
			repo: dir,
			args: ['ls-tree', '-z', '--long', '--full-tree', commit, '--', request.path],
			action: `listing ${sanitizeText(request.path)} at ${commit}`,
			network: false,
			maxStdoutBytes: 64 * 1024,
		},
		call,
	);
	const entry = listing.stdout.toString('utf8').split('\0')[0] ?? '';
	if (entry === '') return { kind: 'missing' };
	// `<mode> <type> <object> <size>\t<name>`; size is `-` for trees and submodules.
	const match = /^(\d{6}) (\w+) ([0-9a-f]{40,64}) +(-|\d+)\t/.exec(entry);
	if (match === null) {
		throw gitError('GIT_FAILED', `Unexpected listing of ${sanitizeText(request.path)}.`);
	}
	const [, mode, type, object, sizeText] = match;
	if (type !== 'blob' || mode === '120000' || object === undefined) return { kind: 'not-a-file' };
	const size = Number(sizeText);
	if (size > request.maxBytes) return { kind: 'too-large', size };
	const blob = await execGitChecked(
		context,
		{
			repo: dir,
			args: ['cat-file', 'blob', object],
			action: `reading ${sanitizeText(request.path)} at ${commit}`,
			network: false,
			maxStdoutBytes: request.maxBytes + 1,
		},
		call,
	);
	return { kind: 'file', bytes: blob.stdout };
}

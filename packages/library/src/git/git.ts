/**
 * `createGit()`: the one way Vouch runs git. Every method validates its inputs before git
 * starts, runs git with the hardened environment and configuration (see `environment.ts`),
 * under a time limit and output bounds, and turns failures into typed errors.
 */
import { sanitizeText } from '../core/sanitize.ts';
import { assertUrlAllowed } from './arguments.ts';
import { type CloneRequest, type CloneResult, cloneRepository } from './clone.ts';
import { type CommitRequest, commitPaths, type PushRequest, pushHead } from './commit.ts';
import { gitEnvironment } from './environment.ts';
import { gitError } from './errors.ts';
import {
	type CallOptions,
	execGitChecked,
	type GitContext,
	outputText,
	runFollowingRedirects,
} from './exec.ts';
import { type FetchRequest, fetchRef } from './fetch.ts';
import { type GrepHit, type GrepRequest, grepObjects } from './grep.ts';
import { type AncestryRequest, commitSubject, isAncestor } from './history.ts';
import { addressForGit } from './local-repository.ts';
import { parseLsRemote, type RemoteRefs } from './ls-remote.ts';
import { DEFAULT_REDIRECT_PROBE_TIMEOUT_MS, MAX_REDIRECT_HOPS } from './redirects.ts';
import { ProcessGroups } from './run.ts';
import {
	type FileAtCommit,
	fetchSnapshot,
	type ReadFileAtRequest,
	readFileAtCommit,
	type SnapshotRequest,
} from './snapshot.ts';
import {
	type ExportTreeRequest,
	exportTree,
	type ListTreeRequest,
	listTree,
	type TreeEntry,
} from './tree.ts';
import { type VerifyTagRequest, type VerifyTagResult, verifyTagSignature } from './verify-tag.ts';
import {
	type CheckoutRequest,
	changedFiles,
	checkoutCommit,
	listTrackedFiles,
	readOriginAddress,
	readRemoteUrl,
	readRepositoryDir,
	revParse,
	writeRemoteUrl,
} from './working-copy.ts';

export const DEFAULT_NETWORK_TIMEOUT_MS = 120_000;
export const DEFAULT_LOCAL_TIMEOUT_MS = 30_000;
export const DEFAULT_MAX_STDOUT_BYTES = 32 * 1024 * 1024;
export const DEFAULT_MAX_STDERR_BYTES = 64 * 1024;

export interface GitOptions {
	/** The git executable. Default `git` (looked up on the PATH of `env`). */
	gitBinary?: string;
	/** The environment git starts from (see `gitEnvironment` for what changes). Default `process.env`. */
	env?: Readonly<Record<string, string | undefined>>;
	/** Base for relative paths and local repository addresses. Default `process.cwd()`. */
	cwd?: string;
	/** Time limit of every git process, local or network. Overrides the two below. */
	timeoutMs?: number;
	/** Time limit of a git process that talks to a remote. Default 120 s. */
	networkTimeoutMs?: number;
	/** Time limit of a git process that works locally. Default 30 s. */
	localTimeoutMs?: number;
	/** Allow `http://` and `git://` (D11, `--allow-insecure-transport`). Default false. */
	allowInsecureTransport?: boolean;
	/** Most bytes of output accepted from one git process. Default 32 MiB. */
	maxStdoutBytes?: number;
	/** Most bytes of error output accepted from one git process. Default 64 KiB. */
	maxStderrBytes?: number;
	/** What the redirect probe (D27) requests with. Default: the global `fetch`. */
	fetch?: typeof fetch;
	/** Time limit of the redirect probe, all hops together. Default 20 s. */
	redirectProbeTimeoutMs?: number;
}

export interface Git {
	/** git's version, such as `2.39.5`. */
	version(call?: CallOptions): Promise<string>;
	/**
	 * The remote's default branch, branches and tags, without cloning. `fetchedFrom` is set
	 * when redirects were followed (see `CallOptions.redirectGuard`).
	 */
	lsRemote(url: string, call?: CallOptions): Promise<RemoteRefs & { fetchedFrom?: string }>;
	/** Clones one branch, tag or commit into an empty or new directory. */
	clone(request: CloneRequest, call?: CallOptions): Promise<CloneResult>;
	/** Fetches one ref into an existing clone; returns its commit without checking it out. */
	fetch(
		request: FetchRequest,
		call?: CallOptions,
	): Promise<{ commit: string; fetchedFrom?: string }>;
	/** Every branch and tag tip of a remote, fetched in one go into a new repository. */
	snapshot(request: SnapshotRequest, call?: CallOptions): Promise<{ fetchedFrom?: string }>;
	/** One top-level file at a commit of a working copy, without checking it out. */
	readFileAt(request: ReadFileAtRequest, call?: CallOptions): Promise<FileAtCommit>;
	/** Every file (blob) of a commit's tree, with its id and size, without a checkout. */
	listTree(request: ListTreeRequest, call?: CallOptions): Promise<TreeEntry[]>;
	/** Searches blobs for a string or pattern (`-I`, bounded lines per blob), without a checkout. */
	grep(request: GrepRequest, call?: CallOptions): Promise<GrepHit[]>;
	/** Writes a commit's files from a bare repository into a new directory (symlinks as files). */
	exportTree(request: ExportTreeRequest, call?: CallOptions): Promise<void>;
	/** Moves a clone to a commit (detached, or on a branch); returns the new HEAD commit. */
	checkout(request: CheckoutRequest, call?: CallOptions): Promise<{ commit: string }>;
	/** The commit a revision names in a clone (annotated tags peeled). */
	revParse(dir: string, rev: string, call?: CallOptions): Promise<string>;
	/** Whether the clone has uncommitted changes, untracked files included. */
	isDirty(dir: string, call?: CallOptions): Promise<boolean>;
	/** The changed and untracked paths behind `isDirty`. */
	changedFiles(dir: string, call?: CallOptions): Promise<string[]>;
	/** Paths of the files git tracks in the clone, relative, `/`-separated. */
	listTrackedFiles(dir: string, call?: CallOptions): Promise<string[]>;
	/** The origin address stored in the clone, if any. */
	remoteUrl(dir: string, call?: CallOptions): Promise<string | undefined>;
	/** The origin address as git fetches from it (`url.<base>.insteadOf` applied), if any. */
	originFetchUrl(dir: string, call?: CallOptions): Promise<string | undefined>;
	/** The repository a clone of the working copy reads (its `.git` followed), if any. */
	repositoryDir(dir: string, call?: CallOptions): Promise<string | undefined>;
	/** Stores a new origin address (checked against the transport policy first). */
	setRemoteUrl(dir: string, url: string, call?: CallOptions): Promise<void>;
	/** Checks that a tag in the clone is SSH-signed by a key of an allowed-signers file. */
	verifyTag(request: VerifyTagRequest, call?: CallOptions): Promise<VerifyTagResult>;
	/** Whether a commit is another or one of its ancestors (false when the clone lacks it). */
	isAncestor(request: AncestryRequest, call?: CallOptions): Promise<boolean>;
	/** A commit's subject line, cut to a bounded width (untrusted text). */
	commitSubject(dir: string, commit: string, call?: CallOptions): Promise<string>;
	/** Stages paths of a working copy and commits them; no commit when nothing changed. */
	commit(request: CommitRequest, call?: CallOptions): Promise<{ commit?: string }>;
	/** Pushes HEAD to a branch of a remote (fast-forward only). */
	push(request: PushRequest, call?: CallOptions): Promise<void>;
}

function positive(value: number | undefined, fallback: number, name: string): number {
	if (value === undefined) return fallback;
	if (!Number.isFinite(value) || value <= 0) {
		throw gitError('GIT_INVALID_ARGUMENT', `${name} must be a positive number.`);
	}
	return value;
}

export function createGit(options: GitOptions = {}): Git {
	const base = options.env ?? process.env;
	const allowInsecureTransport = options.allowInsecureTransport === true;
	const context: GitContext = {
		gitBinary: options.gitBinary ?? 'git',
		env: gitEnvironment(base, { allowInsecureTransport }),
		cwd: options.cwd ?? process.cwd(),
		home: base.HOME,
		allowInsecureTransport,
		networkTimeoutMs: positive(
			options.timeoutMs ?? options.networkTimeoutMs,
			DEFAULT_NETWORK_TIMEOUT_MS,
			'networkTimeoutMs',
		),
		localTimeoutMs: positive(
			options.timeoutMs ?? options.localTimeoutMs,
			DEFAULT_LOCAL_TIMEOUT_MS,
			'localTimeoutMs',
		),
		maxStdoutBytes: positive(options.maxStdoutBytes, DEFAULT_MAX_STDOUT_BYTES, 'maxStdoutBytes'),
		maxStderrBytes: positive(options.maxStderrBytes, DEFAULT_MAX_STDERR_BYTES, 'maxStderrBytes'),
		groups: new ProcessGroups(),
		redirects: {
			fetch: options.fetch ?? globalThis.fetch,
			timeoutMs: positive(
				options.redirectProbeTimeoutMs,
				DEFAULT_REDIRECT_PROBE_TIMEOUT_MS,
				'redirectProbeTimeoutMs',
			),
			maxHops: MAX_REDIRECT_HOPS,
		},
	};

	return {
		async version(call) {
			const result = await execGitChecked(
				context,
				{ args: ['version'], action: 'reading its version', network: false },
				call,
			);
			const text = outputText(result);
			const match = /^git version (\d+(?:\.\d+)+)/.exec(text);
			if (match?.[1] === undefined) {
				throw gitError(
					'GIT_FAILED',
					`Unexpected version text: ${sanitizeText(text, { maxLength: 100 })}`,
				);
			}
			return match[1];
		},

		async lsRemote(url, call) {
			const allowed = assertUrlAllowed(url, allowInsecureTransport);
			// D27: git stops at a redirect; only then is it followed, each target checked.
			return runFollowingRedirects(context, allowed, call, async (remote) => {
				// A local path becomes the exact repository it names (D11, `local-repository.ts`).
				const gitUrl = await addressForGit(context, remote.url, call);
				const result = await execGitChecked(
					context,
					{
						args: ['ls-remote', '--symref', '--', gitUrl],
						action: `listing the refs of ${sanitizeText(remote.url, { maxLength: 200 })}`,
						network: true,
						remote: gitUrl,
					},
					call,
				);
				const refs = parseLsRemote(result.stdout.toString('utf8'));
				return remote.fetchedFrom === undefined
					? refs
					: { ...refs, fetchedFrom: remote.fetchedFrom };
			});
		},

		clone: (request, call) => cloneRepository(context, request, call),
		fetch: (request, call) => fetchRef(context, request, call),
		snapshot: (request, call) => fetchSnapshot(context, request, call),
		readFileAt: (request, call) => readFileAtCommit(context, request, call),
		listTree: (request, call) => listTree(context, request, call),
		grep: (request, call) => grepObjects(context, request, call),
		exportTree: (request, call) => exportTree(context, request, call),
		checkout: (request, call) => checkoutCommit(context, request, call),
		revParse: (dir, rev, call) => revParse(context, dir, rev, call),
		async isDirty(dir, call) {
			return (await changedFiles(context, dir, call)).length > 0;
		},
		changedFiles: (dir, call) => changedFiles(context, dir, call),
		listTrackedFiles: (dir, call) => listTrackedFiles(context, dir, call),
		remoteUrl: (dir, call) => readRemoteUrl(context, dir, call),
		originFetchUrl: (dir, call) => readOriginAddress(context, dir, call),
		repositoryDir: (dir, call) => readRepositoryDir(context, dir, call),
		setRemoteUrl: (dir, url, call) => writeRemoteUrl(context, dir, url, call),
		verifyTag: (request, call) => verifyTagSignature(context, request, call),
		isAncestor: (request, call) => isAncestor(context, request, call),
		commitSubject: (dir, commit, call) => commitSubject(context, dir, commit, call),
		commit: (request, call) => commitPaths(context, request, call),
		push: (request, call) => pushHead(context, request, call),
	};
}

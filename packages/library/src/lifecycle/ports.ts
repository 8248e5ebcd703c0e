/**
 * What the lifecycle needs from git, stated narrowly so the orchestration can be read (and
 * tested) without the process plumbing. `src/git` provides the real implementation.
 */

export type RefType = 'branch' | 'tag' | 'commit';

export interface RemoteListing {
	/** What the remote's HEAD points at. */
	head?: { target?: string; commit: string };
	branches: ReadonlyMap<string, string>;
	/** Tag name → commit (peeled for annotated tags). */
	tags: ReadonlyMap<string, string>;
}

/** An HTTP redirect git met at a repository address (D27). */
export interface RedirectHop {
	from: string;
	to: string;
}

/** Called before a redirect is followed; throws to refuse it (see `redirect-guard.ts`). */
export type RedirectCheck = (hop: RedirectHop) => void | Promise<void>;

export interface RemoteOptions {
	/** Without it, git refuses every redirect. */
	redirectGuard?: RedirectCheck;
}

export interface CloneRequest extends RemoteOptions {
	url: string;
	/** Absent: the remote's default branch. */
	ref?: string;
	refType?: RefType;
	/** Must not exist yet (or be empty). */
	dest: string;
}

/** What the lifecycle asks of git; `verifyTag` serves author signatures (D19b). */
export interface GitPort extends TagVerifierPort {
	/** `fetchedFrom`: where the refs really came from, when a redirect was followed. */
	lsRemote(url: string, options?: RemoteOptions): Promise<RemoteListing & { fetchedFrom?: string }>;
	/** `branch`: the branch checked out, when the clone followed one. */
	clone(request: CloneRequest): Promise<{ commit: string; branch?: string; fetchedFrom?: string }>;
	/** The `origin` address stored in a local clone, if any. */
	remoteUrl(dir: string): Promise<string | undefined>;
	/** The same as git fetches from it, `url.<base>.insteadOf` rewrites applied (D27). */
	originFetchUrl(dir: string): Promise<string | undefined>;
	/**
	 * The repository a clone of the working copy at `dir` reads (its `.git` followed through a
	 * link or gitfile); undefined when there is none (D11).
	 */
	repositoryDir(dir: string): Promise<string | undefined>;
}

/** A tag to check in a clone, against an ssh-keygen allowed-signers file. */
export interface TagVerifyRequest {
	dir: string;
	tag: string;
	allowedSignersFile: string;
}

export interface TagVerifyResult {
	verified: true;
	/** The commit the tag points at. */
	commit: string;
	/** The allowed-signers principal whose key signed. */
	principal?: string;
	/** `SHA256:...` of the signing key. */
	keyFingerprint?: string;
}

/**
 * Author signatures (D19b): throws a typed git error unless the tag is SSH-signed by a key of
 * the file. Apart from GitPort so that only the code paths that check signatures need it.
 */
export interface TagVerifierPort {
	verifyTag(request: TagVerifyRequest): Promise<TagVerifyResult>;
}

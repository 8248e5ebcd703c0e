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

export interface CloneRequest {
	url: string;
	/** Absent: the remote's default branch. */
	ref?: string;
	refType?: RefType;
	/** Must not exist yet (or be empty). */
	dest: string;
}

/** What the lifecycle asks of git; `verifyTag` serves author signatures (D19b). */
export interface GitPort extends TagVerifierPort {
	lsRemote(url: string): Promise<RemoteListing>;
	/** `branch`: the branch checked out, when the clone followed one. */
	clone(request: CloneRequest): Promise<{ commit: string; branch?: string }>;
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

/**
 * What `registry validate` needs from a plugin repository, as a port: the registry layer does
 * not run git or read manifests itself (layering), so the caller wires a real implementation
 * (`lifecycle/registry-probe.ts`) and tests may wire the same one against local repositories.
 */

export interface RemoteListing {
	/** Branch name → commit. */
	branches: ReadonlyMap<string, string>;
	/** Tag name → commit (annotated tags peeled). */
	tags: ReadonlyMap<string, string>;
}

export type ManifestAtCommit =
	| { kind: 'valid'; uuid: string }
	| { kind: 'missing' }
	/** `problem`: sanitised, short. */
	| { kind: 'invalid'; problem: string };

/** The branches and tags a check will read: the one fetch brings only these. */
export interface WantedRefs {
	branches: string[];
	tags: string[];
}

/**
 * One repository, listed once (`listing`) and fetched once (`fetch`, before any read); every
 * read below uses that one fetch.
 */
export interface OpenedRepository {
	listing: RemoteListing;
	fetch(wanted: WantedRefs): Promise<void>;
	manifestAt(commit: string): Promise<ManifestAtCommit>;
	/** The `vouch-tree-v1` digest of the files at `commit` (what pins record). */
	treeDigestAt(commit: string): Promise<string>;
	/** Removes whatever was fetched. */
	close(): Promise<void>;
}

export interface RepositoryProbe {
	/** Lists the repository's refs; throws (a VouchError) when it cannot be reached. */
	open(gitUrl: string, signal?: AbortSignal): Promise<OpenedRepository>;
}

/**
 * Which repository files are stored in `repo_files`, and which of them never change once
 * written. Paths are relative to the repository root exactly as the library lays it out
 * (`metadata/3.snapshot.json`, `targets/<sha256>.registry.json`, `log/tile/0/000`), so a
 * service process serves the row at a URL's path with no mapping of its own.
 *
 * Immutable files are what clients may cache for ever and what a publish must never
 * overwrite: TUF's consistent-snapshot names (a version or a hash in the name) and full log
 * tiles (C2SP tlog-tiles: a full tile never changes). Everything else (`timestamp.json`,
 * `root.json`, the log checkpoint, partial tiles) is replaced by later publishes.
 */

/** Files a publish leaves in its working directory that clients never read. */
const PRIVATE_FILES = new Set(['pending-root.json']);

/** Consistent-snapshot metadata: `metadata/<version>.<role>.json`. */
const VERSIONED_METADATA = /^metadata\/[1-9][0-9]*\.(root|targets|snapshot)\.json$/;
/** A target stored under its hash, in front of its own name: `targets/[<dirs>/]<sha256>.<name>`. */
const HASHED_TARGET = /^targets\/([^/]+\/)*[0-9a-f]{64}\.[^/]+$/;
/** A full tile or entry bundle (a partial one has `.p/<width>` in its path). */
const FULL_TILE = /^log\/tile\/(entries|[0-9]+)\/(x[0-9]{3}\/)*[0-9]{3}$/;

/** Whether the file belongs in the served repository at all. */
export function isPublishedPath(path: string): boolean {
	return !PRIVATE_FILES.has(path) && !path.split('/').some((part) => part === '' || part === '..');
}

export function isImmutablePath(path: string): boolean {
	return VERSIONED_METADATA.test(path) || HASHED_TARGET.test(path) || FULL_TILE.test(path);
}

/** Targets are never read by a publish, so the working copy does not download them. */
export function isTargetPath(path: string): boolean {
	return path.startsWith('targets/');
}

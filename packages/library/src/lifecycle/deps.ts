/** What install, update and switch-ref all need: the world they act on, passed in (no singletons). */
import type { ManifestResult } from '../manifest/index.ts';
import type { ScanOptions } from '../scan/scan-plugin.ts';
import type { ScanReport } from '../scan/types.ts';
import type { GitPort } from './ports.ts';
import type { LifecycleReporter, Prompter } from './prompter.ts';
import type { RegistrySnapshot } from './snapshot.ts';
import type { PluginFiles, PluginStore, TreeDigest, TreeFiles } from './store/index.ts';

export interface PluginWorkDeps {
	hostApiVersions: string[];
	categories: readonly string[];
	snapshot: RegistrySnapshot;
	git: GitPort;
	store: PluginStore;
	files: PluginFiles;
	/** `files`: reads shared with the scan (see `store/tree-files.ts`). */
	digest(dir: string, files?: TreeFiles): Promise<TreeDigest>;
	/**
	 * Static analysis of fetched code (D21); never imports or runs it. `options.reader` hands
	 * it the bytes the digest read, so what it judges is exactly what was digested.
	 */
	scan(dir: string, options?: FetchedScanOptions): Promise<ScanReport>;
	/**
	 * Readies the scanner while the code is still being fetched (loading the parser, compiling
	 * rules), so that this cost overlaps the download. Never fails: the scan itself reports.
	 */
	prepareScan?(): void;
	/** Paths with uncommitted changes in a git working copy, untracked files included. */
	changedFiles(dir: string): Promise<string[]>;
	readManifest(dir: string, options: { categories: readonly string[] }): Promise<ManifestResult>;
	prompter: Prompter;
	reporter: LifecycleReporter;
	/** The clock: blacklist freshness, timestamps in the local state. */
	now: () => Date;
	/** Base for relative paths: a local plugin directory. */
	cwd: string;
	/** Expansion of `~`. */
	home: string;
	/**
	 * The path with every symlink resolved; the path itself when it does not exist. A local
	 * source or origin is known by it (D11), so a symlink cannot give a repository a second name.
	 */
	realPath(path: string): Promise<string>;
	/** The profile's hosts with case-insensitive repository paths (D2). */
	caseInsensitivePathHosts?: readonly string[];
}

/** What install passes on to the scanner: the shared reads, the manifest already read, a stop. */
export type FetchedScanOptions = Pick<ScanOptions, 'reader' | 'capabilities' | 'signal'>;

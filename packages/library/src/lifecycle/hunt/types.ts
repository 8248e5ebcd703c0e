/** What `registry hunt` reports, and what it needs. */
import type { Git } from '../../git/git.ts';

export interface HuntHit {
	/** Relative, `/`-separated, sanitised. */
	path: string;
	/** 1-based; 0 when only the file is known (lines too long to list, or a whole-file finding). */
	line: number;
	/** The matching line around the match, sanitised and bounded. */
	excerpt: string;
}

export interface HuntVersion {
	/** The names this commit was offered under (tags, refs, `pin <ref>`). */
	names: string[];
	commit: string;
	hits: HuntHit[];
	/** More hits were found than are listed. */
	hitsTruncated: boolean;
	/** Why this version could not be searched, if it could not. */
	error?: { code: string; message: string };
}

export interface PluginHunt {
	id: string;
	/** Sanitised, credentials removed. */
	gitUrl: string;
	/** `failed`: the repository could not be listed or fetched; nothing of it was searched. */
	status: 'searched' | 'failed';
	error?: { code: string; message: string };
	/** Every version searched, hits or not. */
	versions: HuntVersion[];
	/** Versions past the per-plugin bound, not searched. */
	versionsOmitted: number;
	/** Registry refs and pins the repository does not have. */
	missing: string[];
	/** Distinct files searched (a file shared by several versions counts once). */
	filesSearched: number;
	/** Files too large to search, or past the per-version bound. */
	filesSkipped: number;
}

export type HuntEvent =
	| { kind: 'plugin-started'; id: string; index: number; total: number }
	| { kind: 'plugin-fetched'; id: string; versions: number }
	| { kind: 'plugin-finished'; id: string; done: number; total: number; hits: number };

export interface HuntLimits {
	/** Bytes one plugin's fetch may take on disk. */
	maxRepositoryBytes: number;
	/** Time limit of each git operation, ms. */
	gitTimeoutMs: number;
	/** Time limit of one plugin's whole search (fetch, listing, search, scans), ms. */
	pluginTimeoutMs: number;
	/** Larger files are not searched. */
	maxFileBytes: number;
	/** Files listed per version. */
	maxFilesPerVersion: number;
	/** Hits listed per version. */
	maxHitsPerVersion: number;
	/** Bytes a `rule:` scan extracts per version. */
	maxExtractBytes: number;
}

export const DEFAULT_HUNT_LIMITS: HuntLimits = {
	maxRepositoryBytes: 256 * 1024 * 1024,
	gitTimeoutMs: 300_000,
	pluginTimeoutMs: 30 * 60_000,
	maxFileBytes: 16 * 1024 * 1024,
	maxFilesPerVersion: 20_000,
	maxHitsPerVersion: 50,
	maxExtractBytes: 64 * 1024 * 1024,
};

/** One finding of the rule a `rule:` hunt runs. */
export interface RuleMatch {
	file?: string;
	line?: number;
	snippet?: string;
}

export interface HuntDeps {
	git: Pick<Git, 'lsRemote' | 'snapshot' | 'listTree' | 'grep' | 'exportTree'>;
	/** A fresh private directory, and its removal. */
	makeTempDir(): Promise<string>;
	removeDir(path: string): Promise<void>;
	/** Runs one scanner rule over a directory (needed for `rule:` indicators only). */
	scanRule?(dir: string, ruleId: string, signal?: AbortSignal): Promise<RuleMatch[]>;
	onEvent?(event: HuntEvent): void;
	signal?: AbortSignal;
}

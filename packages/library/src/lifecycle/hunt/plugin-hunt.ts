/**
 * One plugin of a hunt: list its repository, fetch every published version's tip into a bare
 * cache (bounded in time and size), and search each version's files for the indicator without
 * checking anything out. Files are searched by blob, so a file that forty tags share is read
 * once; a `rule:` indicator instead exports each version's files and runs the scanner on them.
 * Failures are reported on the plugin (or the version) and never stop the hunt.
 */
import { join } from 'node:path';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import type { CallOptions } from '../../git/exec.ts';
import type { RegistryPlugin } from '../../registry/model.ts';
import { huntError } from './errors.ts';
import type { Indicator } from './indicator.ts';
import { withSizeBound } from './size-watch.ts';
import type { HuntDeps, HuntHit, HuntLimits, HuntVersion, PluginHunt } from './types.ts';
import { planVersions, type VersionPlan } from './versions.ts';

/** Lines listed per file: enough to show where, the per-version bound does the rest. */
const HITS_PER_FILE = 5;
const EXCERPT_CHARS = 160;
/** Characters kept before the match, so a long line still shows what matched. */
const EXCERPT_LEAD = 50;

export interface PluginHuntInput {
	plugin: RegistryPlugin;
	indicator: Indicator;
	/** An empty directory of this hunt where the plugin's bare cache is made. */
	cacheDir: string;
	limits: HuntLimits;
}

export async function huntPlugin(input: PluginHuntInput, deps: HuntDeps): Promise<PluginHunt> {
	const { plugin, limits } = input;
	const result: PluginHunt = {
		id: sanitizeText(plugin.id, { maxLength: 200 }),
		gitUrl: sanitizeText(plugin.gitUrl, { maxLength: 300 }),
		status: 'searched',
		versions: [],
		versionsOmitted: 0,
		missing: [],
		filesSearched: 0,
		filesSkipped: 0,
	};
	const call: CallOptions = {
		timeoutMs: limits.gitTimeoutMs,
		...(deps.signal === undefined ? {} : { signal: deps.signal }),
	};
	try {
		const listing = await deps.git.lsRemote(plugin.gitUrl, call);
		const plan = planVersions(plugin, listing);
		result.versionsOmitted = plan.omitted;
		result.missing = plan.missing;
		result.versions = plan.versions.map((v) => ({
			names: v.names,
			commit: v.commit,
			hits: [],
			hitsTruncated: false,
		}));
		const unfetched = await fetchVersions(input, deps, plan, call);
		for (const version of result.versions) {
			if (unfetched.has(version.commit)) {
				version.error = {
					code: 'GIT_REF_NOT_FOUND',
					message: 'The server would not send this pinned commit; it was not searched.',
				};
			}
		}
		deps.onEvent?.({ kind: 'plugin-fetched', id: result.id, versions: result.versions.length });
		const searchable = result.versions.filter((v) => v.error === undefined);
		if (input.indicator.kind === 'rule') {
			await scanVersions(input, deps, searchable, result, call);
		} else {
			await grepVersions(input, deps, searchable, result, call);
		}
	} catch (error) {
		result.status = 'failed';
		result.error = describeError(error);
	}
	return result;
}

/** The commits that could not be fetched (pins asked for by id that the server refused). */
async function fetchVersions(
	input: PluginHuntInput,
	deps: HuntDeps,
	plan: VersionPlan,
	call: CallOptions,
): Promise<Set<string>> {
	const dest = input.cacheDir;
	const attempt = (commits: string[]) =>
		withSizeBound(dest, input.limits.maxRepositoryBytes, deps.signal, (signal) =>
			deps.git.snapshot(
				{
					url: input.plugin.gitUrl,
					dest,
					bare: true,
					depth: 1,
					only: { branches: plan.wanted.branches, tags: plan.wanted.tags, commits },
				},
				{ ...call, signal },
			),
		);
	let outcome = await attempt(plan.wanted.commits);
	let unfetched = new Set<string>();
	if (outcome.error !== undefined && !outcome.exceeded && plan.wanted.commits.length > 0) {
		// Many servers refuse a commit by id; the versions the refs name are still worth searching.
		await deps.removeDir(dest);
		unfetched = new Set(plan.wanted.commits);
		outcome = await attempt([]);
	}
	if (outcome.exceeded) {
		throw huntError(
			'HUNT_REPOSITORY_TOO_LARGE',
			`The repository's published versions take more than ${Math.round(input.limits.maxRepositoryBytes / 1024 / 1024)} MiB.`,
		);
	}
	if (outcome.error !== undefined) throw outcome.error;
	return unfetched;
}

/** One version's files in the bare cache, bounded by the hunt's file limit. */
function filesOf(deps: HuntDeps, input: PluginHuntInput, version: HuntVersion, call: CallOptions) {
	return deps.git.listTree(
		{
			dir: input.cacheDir,
			bare: true,
			commit: version.commit,
			maxEntries: input.limits.maxFilesPerVersion,
		},
		call,
	);
}

interface Owner {
	version: HuntVersion;
	path: string;
}

async function grepVersions(
	input: PluginHuntInput,
	deps: HuntDeps,
	versions: HuntVersion[],
	result: PluginHunt,
	call: CallOptions,
): Promise<void> {
	const { indicator, limits } = input;
	if (indicator.kind === 'rule') return;
	// Every version's files by blob: the search reads each distinct content once.
	const owners = new Map<string, Owner[]>();
	const skipped = new Set<string>();
	for (const version of versions) {
		try {
			const entries = await filesOf(deps, input, version, call);
			for (const entry of entries) {
				if (entry.size > limits.maxFileBytes) {
					skipped.add(entry.object);
					continue;
				}
				const list = owners.get(entry.object) ?? [];
				list.push({ version, path: entry.path });
				owners.set(entry.object, list);
			}
		} catch (error) {
			version.error = describeError(error);
		}
	}
	result.filesSearched = owners.size;
	result.filesSkipped = skipped.size;
	if (owners.size === 0) return;
	const hits = await deps.git.grep(
		{
			dir: input.cacheDir,
			bare: true,
			pattern: indicator.kind === 'fixed' ? indicator.text : indicator.pattern,
			mode: indicator.kind === 'fixed' ? 'fixed' : 'regex',
			objects: [...owners.keys()],
			maxPerObject: HITS_PER_FILE,
		},
		call,
	);
	for (const hit of hits) {
		const excerpt = excerptOf(hit.text, indicator.kind === 'fixed' ? indicator.text : undefined);
		for (const owner of owners.get(hit.object) ?? []) {
			addHit(owner.version, { path: safePath(owner.path), line: hit.line, excerpt }, limits);
		}
	}
	for (const version of versions) version.hits.sort(byPlace);
}

async function scanVersions(
	input: PluginHuntInput,
	deps: HuntDeps,
	versions: HuntVersion[],
	result: PluginHunt,
	call: CallOptions,
): Promise<void> {
	const { indicator, limits } = input;
	if (indicator.kind !== 'rule') return;
	if (deps.scanRule === undefined) throw new Error('a rule hunt needs the scanner');
	const blobs = new Set<string>();
	for (const version of versions) {
		try {
			const entries = await filesOf(deps, input, version, call);
			const bytes = entries.reduce((sum, entry) => sum + entry.size, 0);
			if (bytes > limits.maxExtractBytes) {
				throw huntError('HUNT_TREE_TOO_LARGE', `This version's files take ${bytes} bytes.`);
			}
			for (const entry of entries) blobs.add(entry.object);
			const parent = await deps.makeTempDir();
			try {
				const files = join(parent, 'files');
				await deps.git.exportTree(
					{ dir: input.cacheDir, commit: version.commit, dest: files },
					call,
				);
				const matches = await deps.scanRule(files, indicator.ruleId, deps.signal);
				for (const match of matches) {
					addHit(
						version,
						{
							path: safePath(match.file ?? ''),
							line: match.line ?? 0,
							excerpt: excerptOf(match.snippet ?? ''),
						},
						limits,
					);
				}
			} finally {
				await deps.removeDir(parent);
			}
			version.hits.sort(byPlace);
		} catch (error) {
			version.error = describeError(error);
		}
	}
	result.filesSearched = blobs.size;
}

function addHit(version: HuntVersion, hit: HuntHit, limits: HuntLimits): void {
	if (version.hits.length >= limits.maxHitsPerVersion) {
		version.hitsTruncated = true;
		return;
	}
	version.hits.push(hit);
}

function byPlace(a: HuntHit, b: HuntHit): number {
	return a.path < b.path ? -1 : a.path > b.path ? 1 : a.line - b.line;
}

/** The line around the match: a minified line still shows what matched. */
export function excerptOf(line: string, needle?: string): string {
	const at = needle === undefined ? -1 : line.indexOf(needle);
	const start = at > EXCERPT_LEAD ? at - EXCERPT_LEAD : 0;
	const window = line.slice(start, start + EXCERPT_CHARS * 2);
	const shown = sanitizeText(window, { maxLength: EXCERPT_CHARS }).trim();
	return start > 0 ? `…${shown}` : shown;
}

function safePath(path: string): string {
	return sanitizeText(path, { maxLength: 300 });
}

export function describeError(error: unknown): { code: string; message: string } {
	if (isVouchError(error)) {
		return { code: error.code, message: sanitizeText(error.message, { maxLength: 300 }) };
	}
	const message = error instanceof Error ? error.message : String(error);
	return { code: 'HUNT_FAILED', message: sanitizeText(message, { maxLength: 300 }) };
}

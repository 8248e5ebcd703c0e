/**
 * The network checks of one registry entry against its repository: every ref resolves and its
 * MANIFEST.toml validates with the entry's UUID (D6: otherwise trust would never bind), the
 * versioning scheme matches at least one tag (else clients only ever get the default ref), and
 * every reviewed-release pin (D19b) still matches what the repository serves: the same commit
 * for its ref, and the same tree digest for that commit.
 */
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { parseVersioningScheme, sortTagsNewestFirst } from '../../core/versions.ts';
import type { RegistryPlugin } from '../model.ts';
import type { PluginCheckResult, ValidateIssue } from './issues.ts';
import type { OpenedRepository, RepositoryProbe, WantedRefs } from './repository-port.ts';

/** Version tags read per plugin, newest first: bounds the work a registry entry can cause. */
export const MAX_TAGS_CHECKED = 50;

type Sink = (issue: Omit<ValidateIssue, 'plugin'>) => void;

export async function checkPluginRepository(
	plugin: RegistryPlugin,
	probe: RepositoryProbe,
	signal?: AbortSignal,
): Promise<PluginCheckResult> {
	const id = sanitizeText(plugin.id);
	const result: PluginCheckResult = { errors: [], warnings: [] };
	const error: Sink = (issue) => result.errors.push({ ...issue, plugin: id });
	const warning: Sink = (issue) => result.warnings.push({ ...issue, plugin: id });
	let repo: OpenedRepository;
	try {
		repo = await probe.open(plugin.gitUrl, signal);
	} catch (cause) {
		error({
			code: 'REPOSITORY_UNREACHABLE',
			message: `${sanitizeText(plugin.gitUrl)} could not be listed: ${describe(cause)}`,
		});
		return result;
	}
	try {
		const tags = schemeTags(plugin, repo);
		// One fetch of exactly what the checks below read; a repository's other refs cost nothing.
		const wanted: WantedRefs = { branches: [], tags: [] };
		const want = (name: string) => {
			const found = resolveRef(repo, name);
			if (found !== undefined) (found.kind === 'branch' ? wanted.branches : wanted.tags).push(name);
		};
		for (const ref of plugin.refs) want(ref.name);
		for (const tag of tags?.checked ?? []) want(tag);
		for (const pin of plugin.releases) {
			if (resolveRef(repo, pin.ref)?.commit === pin.commit.toLowerCase()) want(pin.ref);
		}
		try {
			await repo.fetch({
				branches: [...new Set(wanted.branches)],
				tags: [...new Set(wanted.tags)],
			});
		} catch (cause) {
			error({
				code: 'REPOSITORY_UNREACHABLE',
				message: `${sanitizeText(plugin.gitUrl)} could not be fetched: ${describe(cause)}`,
			});
			return result;
		}
		await checkRefs(plugin, repo, error);
		await checkSchemeTags(plugin, repo, tags, error, warning);
		await checkPins(plugin, repo, error);
	} catch (cause) {
		error({ code: 'CHECK_FAILED', message: `The checks stopped: ${describe(cause)}` });
	} finally {
		await repo.close().catch(() => {});
	}
	return result;
}

interface SchemeTags {
	/** Newest first, at most MAX_TAGS_CHECKED. */
	checked: string[];
	matching: number;
}

/** The version tags of the entry's scheme; undefined without a (usable) scheme. */
function schemeTags(plugin: RegistryPlugin, repo: OpenedRepository): SchemeTags | undefined {
	if (plugin.versioningScheme === undefined) return undefined;
	let scheme: ReturnType<typeof parseVersioningScheme>;
	try {
		scheme = parseVersioningScheme(plugin.versioningScheme);
	} catch {
		return undefined; // lint reports the scheme itself (VERSIONING_SCHEME_INVALID)
	}
	const tags = sortTagsNewestFirst([...repo.listing.tags.keys()], scheme, {
		includePreRelease: true,
	});
	return { checked: tags.slice(0, MAX_TAGS_CHECKED), matching: tags.length };
}

/** A branch first, as git resolves a bare name, then a tag. */
function resolveRef(
	repo: OpenedRepository,
	name: string,
): { kind: 'branch' | 'tag'; commit: string } | undefined {
	const branch = repo.listing.branches.get(name);
	if (branch !== undefined) return { kind: 'branch', commit: branch };
	const tag = repo.listing.tags.get(name);
	return tag === undefined ? undefined : { kind: 'tag', commit: tag };
}

async function checkRefs(plugin: RegistryPlugin, repo: OpenedRepository, error: Sink) {
	for (const ref of plugin.refs) {
		const shown = sanitizeText(ref.name);
		const commit = resolveRef(repo, ref.name)?.commit;
		if (commit === undefined) {
			error({
				code: 'REF_NOT_FOUND',
				message: `Ref "${shown}" is neither a branch nor a tag of the repository.`,
				ref: shown,
			});
			continue;
		}
		await checkManifest(plugin, repo, ref.name, commit, error, error);
	}
}

async function checkSchemeTags(
	plugin: RegistryPlugin,
	repo: OpenedRepository,
	tags: SchemeTags | undefined,
	error: Sink,
	warning: Sink,
) {
	if (tags === undefined || plugin.versioningScheme === undefined) return;
	if (tags.matching === 0) {
		error({
			code: 'NO_TAG_MATCHES_SCHEME',
			message: `versioning_scheme "${sanitizeText(plugin.versioningScheme, { maxLength: 80 })}" matches none of the repository's ${repo.listing.tags.size} tag(s); clients would only ever get the listed refs.`,
		});
		return;
	}
	for (const [index, tag] of tags.checked.entries()) {
		const commit = repo.listing.tags.get(tag) as string;
		// The newest tag is what clients install (D15): its problems are errors. An older release
		// cannot be changed any more, so a broken manifest there is a warning; a foreign UUID is
		// an error wherever it is, since `--ref` can still pick that tag.
		await checkManifest(plugin, repo, tag, commit, error, index === 0 ? error : warning);
	}
	if (tags.matching > tags.checked.length) {
		warning({
			code: 'TAGS_NOT_ALL_CHECKED',
			message: `Only the newest ${tags.checked.length} of ${tags.matching} version tags were read.`,
		});
	}
}

async function checkManifest(
	plugin: RegistryPlugin,
	repo: OpenedRepository,
	refName: string,
	commit: string,
	uuidSink: Sink,
	problemSink: Sink,
) {
	const ref = sanitizeText(refName);
	const manifest = await repo.manifestAt(commit);
	if (manifest.kind === 'missing') {
		problemSink({ code: 'MANIFEST_MISSING', message: `No MANIFEST.toml at "${ref}".`, ref });
	} else if (manifest.kind === 'invalid') {
		problemSink({
			code: 'MANIFEST_INVALID',
			message: `MANIFEST.toml at "${ref}" is invalid: ${sanitizeText(manifest.problem, { maxLength: 300 })}`,
			ref,
		});
	} else if (manifest.uuid !== plugin.uuid) {
		if (plugin.redirectFromUuid.includes(manifest.uuid)) {
			problemSink({
				code: 'MANIFEST_OLD_UUID',
				message: `MANIFEST.toml at "${ref}" has the old UUID ${manifest.uuid} (listed in redirect_from_uuid).`,
				ref,
			});
			return;
		}
		uuidSink({
			code: 'MANIFEST_UUID_MISMATCH',
			message: `MANIFEST.toml at "${ref}" has UUID ${sanitizeText(manifest.uuid)}, not the entry's ${plugin.uuid}: the registry's trust would not apply to it.`,
			ref,
		});
	}
}

async function checkPins(plugin: RegistryPlugin, repo: OpenedRepository, error: Sink) {
	for (const pin of plugin.releases) {
		const ref = sanitizeText(pin.ref);
		const current = resolveRef(repo, pin.ref)?.commit;
		if (current === undefined) {
			error({
				code: 'PIN_REF_NOT_FOUND',
				message: `Pinned ref "${ref}" is not in the repository any more.`,
				ref,
			});
			continue;
		}
		if (current !== pin.commit.toLowerCase()) {
			error({
				code: 'PIN_COMMIT_MISMATCH',
				message: `Pinned ref "${ref}" now points at ${current}, not the pinned ${sanitizeText(pin.commit)}: the ref was moved after review.`,
				ref,
			});
			continue;
		}
		const tree = await repo.treeDigestAt(current);
		if (tree !== pin.tree) {
			error({
				code: 'PIN_TREE_MISMATCH',
				message: `The files at pinned commit ${current} digest to ${tree}, not the pinned ${sanitizeText(pin.tree)}.`,
				ref,
			});
		}
	}
}

function describe(cause: unknown): string {
	if (isVouchError(cause))
		return `${sanitizeText(cause.message, { maxLength: 300 })} [${cause.code}]`;
	return sanitizeText(cause instanceof Error ? cause.message : String(cause), { maxLength: 300 });
}

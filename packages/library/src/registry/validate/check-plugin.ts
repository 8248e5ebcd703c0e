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
import type { OpenedRepository, RepositoryProbe } from './repository-port.ts';

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
			message: `${sanitizeText(plugin.gitUrl)} could not be listed and fetched: ${describe(cause)}`,
		});
		return result;
	}
	try {
		await checkRefs(plugin, repo, error);
		await checkSchemeTags(plugin, repo, error, warning);
		await checkPins(plugin, repo, error);
	} catch (cause) {
		error({ code: 'CHECK_FAILED', message: `The checks stopped: ${describe(cause)}` });
	} finally {
		await repo.close().catch(() => {});
	}
	return result;
}

function resolveRef(repo: OpenedRepository, name: string): string | undefined {
	return repo.listing.branches.get(name) ?? repo.listing.tags.get(name);
}

async function checkRefs(plugin: RegistryPlugin, repo: OpenedRepository, error: Sink) {
	for (const ref of plugin.refs) {
		const shown = sanitizeText(ref.name);
		const commit = resolveRef(repo, ref.name);
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
	error: Sink,
	warning: Sink,
) {
	if (plugin.versioningScheme === undefined) return;
	let scheme: ReturnType<typeof parseVersioningScheme>;
	try {
		scheme = parseVersioningScheme(plugin.versioningScheme);
	} catch {
		return; // lint reports the scheme itself (VERSIONING_SCHEME_INVALID)
	}
	const tags = sortTagsNewestFirst([...repo.listing.tags.keys()], scheme, {
		includePreRelease: true,
	});
	if (tags.length === 0) {
		error({
			code: 'NO_TAG_MATCHES_SCHEME',
			message: `versioning_scheme "${sanitizeText(plugin.versioningScheme, { maxLength: 80 })}" matches none of the repository's ${repo.listing.tags.size} tag(s); clients would only ever get the listed refs.`,
		});
		return;
	}
	const checked = tags.slice(0, MAX_TAGS_CHECKED);
	for (const [index, tag] of checked.entries()) {
		const commit = repo.listing.tags.get(tag) as string;
		// The newest tag is what clients install (D15): its problems are errors. An older release
		// cannot be changed any more, so a broken manifest there is a warning; a foreign UUID is
		// an error wherever it is, since `--ref` can still pick that tag.
		await checkManifest(plugin, repo, tag, commit, error, index === 0 ? error : warning);
	}
	if (tags.length > checked.length) {
		warning({
			code: 'TAGS_NOT_ALL_CHECKED',
			message: `Only the newest ${checked.length} of ${tags.length} version tags were read.`,
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
		const current = resolveRef(repo, pin.ref);
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

/**
 * `vouch registry review`: the verdict on one plugin a pull request adds or changes. Identity
 * first (`registry/review/identity.ts`: what the registry alone says), then every ref's code
 * and manifest (`ref-review.ts`), then the author keys. The plugin is either an entry of the
 * pull request's registry file, or a candidate URL not in it yet, for which the entry is built
 * the way a maintainer would add it: id derived from the repository name, UUID and name from
 * the manifest of its first ref.
 */
import { join } from 'node:path';
import { type CanonicalUrlContext, canonicalUrl } from '../../core/canonical-url.ts';
import { isVouchError } from '../../core/errors.ts';
import { sanitizeText } from '../../core/sanitize.ts';
import { parseVersioningScheme, sortTagsNewestFirst } from '../../core/versions.ts';
import type { Manifest } from '../../manifest/model.ts';
import type { Registry, RegistryPlugin, TrustLevel } from '../../registry/model.ts';
import { deriveRegistryId } from '../../registry/registry-id.ts';
import { FindingSink, levelOf } from '../../registry/review/findings.ts';
import { reviewIdentity } from '../../registry/review/identity.ts';
import type { PluginReview } from '../../registry/review/verdict.ts';
import type { RemoteListing } from '../ports.ts';
import { type RefReviewDeps, reviewRefs } from './ref-review.ts';
import { reviewSigners } from './signers.ts';

export type ReviewSubject =
	/** An entry of `registry`: by id, or what `--changed` found added or changed. */
	| { kind: 'entry'; plugin: RegistryPlugin; as: 'entry' | 'added' | 'changed' }
	/** A repository the registry does not list yet. */
	| { kind: 'candidate'; url: string };

export interface PluginReviewRequest {
	/** The registry as the pull request leaves it. */
	registry: Registry;
	subject: ReviewSubject;
	/** The trust level asked for; default the entry's own, `community` for a candidate. */
	trust?: TrustLevel;
	/** The refs to review; default the entry's refs, or a candidate's default branch. */
	refs?: readonly string[];
	/** The host's categories, for lint. */
	categories?: readonly string[];
	/** The registry is a local file, whose entries may name local repositories (D11). */
	registryIsLocal: boolean;
	urlContext: CanonicalUrlContext;
	/** The registry file's directory: scan reports go under it. None are stored when absent. */
	reportsDir?: string;
	/** When the review runs: a candidate entry's `added_at`/`updated_at`. */
	now: Date;
}

export async function reviewPlugin(
	request: PluginReviewRequest,
	deps: RefReviewDeps,
): Promise<PluginReview> {
	const sink = new FindingSink();
	const url =
		request.subject.kind === 'entry' ? request.subject.plugin.gitUrl : request.subject.url;
	let listing: RemoteListing;
	try {
		listing = await deps.git.lsRemote(url);
	} catch (error) {
		if (!isVouchError(error)) throw error;
		listing = { branches: new Map(), tags: new Map() };
		sink.add(
			'FETCH_FAILED',
			'error',
			`Could not list the repository's refs: ${sanitizeText(error.message, { maxLength: 300 })}`,
		);
	}
	const built =
		request.subject.kind === 'entry'
			? { entry: request.subject.plugin }
			: await candidateEntry(request, request.subject.url, listing, deps, sink);
	if (built.entry === undefined) return unreviewable(request, url, sink);
	const entry = built.entry;
	const trust = request.trust ?? entry.trustLevel;
	const registry: Registry =
		request.subject.kind === 'entry'
			? request.registry
			: { ...request.registry, plugins: [...request.registry.plugins, entry] };
	reviewIdentity(
		{
			subject: entry,
			registry,
			trust,
			...(request.categories === undefined ? {} : { categories: request.categories }),
			registryIsLocal: request.registryIsLocal,
			urlContext: request.urlContext,
		},
		sink,
	);
	const refs = request.refs ?? defaultRefs(entry, listing);
	const reviewedRefs = await reviewRefs(
		entry,
		refs,
		listing,
		deps,
		request.reportsDir === undefined ? {} : { reportsDir: request.reportsDir },
		sink,
	);
	reviewSigners(entry, refs, listing, sink);
	const findings = sink.list();
	return {
		id: sanitizeText(entry.id, { maxLength: 100 }),
		name: sanitizeText(entry.name, { maxLength: 200 }),
		description: sanitizeText(entry.description, { maxLength: 500 }),
		gitUrl: sanitizeText(entry.gitUrl, { maxLength: 500 }),
		uuid: sanitizeText(entry.uuid, { maxLength: 60 }),
		trust,
		subject: request.subject.kind === 'entry' ? request.subject.as : 'candidate',
		refs: reviewedRefs,
		findings,
		level: levelOf(findings),
	};
}

/**
 * What clients install: the entry's refs and, with a versioning scheme, its newest version tag
 * (D15) and newest pre-release. A tag need not be on any listed branch, so reviewing only the
 * refs would pass clean code on `main` while clients install whatever the newest tag holds.
 */
function defaultRefs(entry: RegistryPlugin, listing: RemoteListing): string[] {
	const refs = entry.refs.map((ref) => ref.name);
	if (entry.versioningScheme === undefined) return refs;
	let scheme: ReturnType<typeof parseVersioningScheme>;
	try {
		scheme = parseVersioningScheme(entry.versioningScheme);
	} catch {
		return refs; // lint reports the scheme (VERSIONING_SCHEME_INVALID)
	}
	const tags = [...listing.tags.keys()];
	for (const includePreRelease of [false, true]) {
		const newest = sortTagsNewestFirst(tags, scheme, { includePreRelease })[0];
		if (newest !== undefined && !refs.includes(newest)) refs.push(newest);
	}
	return refs;
}

/** The default branch's name, from the listing's HEAD. */
function defaultBranch(listing: RemoteListing): string | undefined {
	const target = listing.head?.target;
	if (target?.startsWith('refs/heads/')) return target.slice('refs/heads/'.length);
	return listing.branches.has('main') ? 'main' : [...listing.branches.keys()][0];
}

/** The entry a maintainer would add for `url`, or undefined when its manifest cannot be read. */
async function candidateEntry(
	request: PluginReviewRequest,
	url: string,
	listing: RemoteListing,
	deps: RefReviewDeps,
	sink: FindingSink,
): Promise<{ entry?: RegistryPlugin }> {
	const first = request.refs?.[0] ?? defaultBranch(listing);
	if (first === undefined) {
		sink.add('REF_NOT_FOUND', 'error', 'The repository has no branch to review.');
		return {};
	}
	const manifest = await peekManifest(url, first, deps, sink);
	if (manifest === undefined) return {};
	let id: string;
	try {
		id = deriveRegistryId(url);
	} catch (error) {
		if (!isVouchError(error)) throw error;
		id = '';
	}
	const now = request.now.toISOString().replace(/\.\d{3}Z$/, 'Z');
	return {
		entry: {
			id,
			uuid: manifest.uuid,
			name: manifest.name,
			description: manifest.description,
			nameI18n: manifest.nameI18n,
			descriptionI18n: manifest.descriptionI18n,
			gitUrl: url,
			canonicalGitUrl: canonicalUrl(url, request.urlContext),
			refs: (request.refs ?? [first]).map((name) => ({ name })),
			categories: manifest.categories,
			trustLevel:
				request.trust === undefined || request.trust === 'unregistered'
					? 'community'
					: request.trust,
			authors: manifest.authors,
			maintainers: manifest.maintainers,
			addedAt: now,
			updatedAt: now,
			redirectFrom: [],
			canonicalRedirectFrom: [],
			redirectFromUuid: [],
			releases: [],
			signers: [],
		},
	};
}

/** The manifest at `ref`, read from a throw-away clone; failures become findings. */
async function peekManifest(
	url: string,
	ref: string,
	deps: RefReviewDeps,
	sink: FindingSink,
): Promise<Manifest | undefined> {
	const parent = await deps.makeTempDir();
	try {
		const dest = join(parent, 'checkout');
		await deps.git.clone({ url, ref, dest });
		const result = await deps.readManifest(dest);
		if (result.manifest === undefined) {
			for (const issue of result.errors.slice(0, 25)) {
				sink.add('MANIFEST_INVALID', 'error', `MANIFEST.toml: ${issue.message}`, ref);
			}
		}
		return result.manifest;
	} catch (error) {
		if (!isVouchError(error)) throw error;
		const missing = error.code === 'MANIFEST_NOT_FOUND';
		sink.add(
			missing ? 'MANIFEST_MISSING' : 'FETCH_FAILED',
			'error',
			missing
				? 'The repository has no MANIFEST.toml.'
				: `Could not read the plugin: ${sanitizeText(error.message, { maxLength: 300 })}`,
			ref,
		);
		return undefined;
	} finally {
		await deps.removeDir(parent);
	}
}

function unreviewable(request: PluginReviewRequest, url: string, sink: FindingSink): PluginReview {
	const findings = sink.list();
	let id = '';
	try {
		id = deriveRegistryId(url);
	} catch {
		// No id: the URL names no repository; the findings say why nothing more was reviewed.
	}
	return {
		id,
		name: '',
		description: '',
		gitUrl: sanitizeText(url, { maxLength: 500 }),
		uuid: '',
		trust: request.trust ?? 'community',
		subject: 'candidate',
		refs: [],
		findings,
		level: levelOf(findings),
	};
}

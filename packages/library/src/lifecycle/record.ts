/**
 * The metadata kept for an installed plugin. URLs are stored without credentials (D2); the
 * original URL and UUID keep the earliest values across redirects (spec item 50).
 */
import { redactUrlCredentials } from '../core/sanitize.ts';
import { CAPABILITIES, type Manifest } from '../manifest/index.ts';
import type { TrustResult } from '../registry/trust.ts';
import type { AuthorSignatureCheck } from './author-signature.ts';
import type { FetchedPlugin } from './fetch-candidate.ts';
import type { ReleaseCheck } from './release-check.ts';
import type { InstallSource } from './source.ts';
import type { CapabilityConsent, InstalledPlugin, TreeDigest } from './store/index.ts';

export interface RecordInput {
	manifest: Manifest;
	source: InstallSource;
	fetched: FetchedPlugin;
	directory: string;
	digest: TreeDigest;
	trust: TrustResult;
	previous: InstalledPlugin | undefined;
	release: ReleaseCheck;
	author: AuthorSignatureCheck;
	scan: InstalledPlugin['scan'];
	now: Date;
	/** A local clone's `origin` address (D27). */
	origin?: string | undefined;
	/** The same as git fetched from it, when a `url.<base>.insteadOf` rewrite changed it. */
	fetchedOrigin?: string | undefined;
	/** The registry id that names the plugin (see `installed.ts`). */
	registryId?: string | undefined;
}

export function buildRecord(input: RecordInput): InstalledPlugin {
	const { manifest, source, fetched, previous } = input;
	const now = input.now.toISOString();
	const local = source.kind === 'local';
	return {
		uuid: manifest.uuid,
		name: manifest.name,
		directory: input.directory,
		source: {
			kind: source.kind,
			url: storedUrl(source.url),
			canonicalUrl: source.canonical,
			...(fetched.fetchedFrom === undefined ? {} : { fetchedUrl: storedUrl(fetched.fetchedFrom) }),
			refType: local ? 'local' : (fetched.candidate.refType ?? 'branch'),
			...(fetched.candidate.ref === undefined ? {} : { ref: fetched.candidate.ref }),
			...(local ? {} : { commit: fetched.commit }),
		},
		...(previous?.originalUrl === undefined ? {} : { originalUrl: previous.originalUrl }),
		...(previous?.originalUuid === undefined ? {} : { originalUuid: previous.originalUuid }),
		...(input.registryId === undefined ? {} : { registryId: input.registryId }),
		...(input.origin === undefined ? {} : { originUrl: storedUrl(input.origin) }),
		...(input.fetchedOrigin === undefined
			? {}
			: { originFetchUrl: storedUrl(input.fetchedOrigin) }),
		trustAtInstall: input.trust.level,
		...(manifest.version === undefined ? {} : { version: manifest.version }),
		apiVersions: [...manifest.api],
		capabilities: acceptedCapabilities(manifest),
		files: input.digest.files,
		treeDigest: input.digest.treeDigest,
		...releaseField(input.release),
		...authorField(input.author),
		...(input.scan === undefined ? {} : { scan: input.scan }),
		state: 'active',
		installedAt: previous?.installedAt ?? now,
		updatedAt: now,
	};
}

/** The release check as stored: nothing when none applied. */
export function releaseField(release: ReleaseCheck): Pick<InstalledPlugin, 'release'> {
	return release.state === 'not-required' ? {} : { release };
}

/** The author signature as stored: nothing when none was required. */
export function authorField(
	author: AuthorSignatureCheck,
): Pick<InstalledPlugin, 'authorSignature'> {
	if (author.state !== 'verified') return {};
	return {
		authorSignature: {
			tag: author.tag,
			...(author.keyFingerprint === undefined ? {} : { keyFingerprint: author.keyFingerprint }),
			signedRegistry: author.signedRegistry,
		},
	};
}

/** What the user agreed to: the declared grants, or "undeclared". */
export function acceptedCapabilities(manifest: Manifest): CapabilityConsent {
	const declared = manifest.capabilities;
	if (declared.status === 'undeclared') return { status: 'undeclared' };
	// In the canonical order, whatever order the manifest used.
	return {
		status: 'declared',
		granted: CAPABILITIES.filter((capability) => declared.granted.includes(capability)),
	};
}

/** The URL as given, minus any credentials: they are never written to disk (D2). */
export function storedUrl(url: string): string {
	return redactUrlCredentials(url).replace(/\/\/\*+@/, '//');
}

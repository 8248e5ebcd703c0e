/**
 * What Vouch remembers about installed plugins, per host profile. The schema is strict and
 * bounded: the file is ours, so anything unexpected means it was damaged or edited, and the
 * store then refuses to touch it rather than guess (nothing lost).
 */
import { z } from 'zod';

export type RefType = 'branch' | 'tag' | 'commit' | 'local';

const text = (max: number) => z.string().max(max);
const timestamp = z.string().max(40);
const trustLevel = z.enum(['official', 'trusted', 'community', 'unregistered']);

const capabilityConsentSchema = z.union([
	z.strictObject({ status: z.literal('undeclared') }),
	z.strictObject({ status: z.literal('declared'), granted: z.array(text(40)).max(32) }),
]);

export const installedPluginSchema = z.strictObject({
	uuid: text(36),
	name: text(400),
	/** A directory name under the plugins directory, or the absolute path of a local plugin. */
	directory: text(4096),
	source: z.strictObject({
		kind: z.enum(['git', 'local']),
		/** As given, without credentials (D2). */
		url: text(4096),
		canonicalUrl: text(4096),
		/** Where git really fetched from, when an HTTP redirect was followed (D27). */
		fetchedUrl: text(4096).optional(),
		ref: text(1024).optional(),
		refType: z.enum(['branch', 'tag', 'commit', 'local']),
		commit: text(64).optional(),
	}),
	originalUrl: text(4096).optional(),
	originalUuid: text(36).optional(),
	/** The registry id: of the entry installed from, or of the entry a local copy copies. */
	registryId: text(200).optional(),
	/** A local clone's `origin` address when it was installed, without credentials (D27). */
	originUrl: text(4096).optional(),
	/** That origin as git fetched from it, when a `url.<base>.insteadOf` rewrite changed it. */
	originFetchUrl: text(4096).optional(),
	trustAtInstall: trustLevel,
	version: text(200).optional(),
	apiVersions: z.array(text(40)).max(64),
	capabilities: capabilityConsentSchema,
	files: z.record(text(4096), text(80)),
	treeDigest: text(80),
	/** D19b: the pin the release matched, or that an unsigned registry could not verify it. */
	release: z
		.union([
			z.strictObject({ state: z.literal('verified'), ref: text(1024) }),
			z.strictObject({ state: z.literal('unsigned-registry') }),
		])
		.optional(),
	/** D19b: the release tag was signed by one of the authors' keys the registry lists. */
	authorSignature: z
		.strictObject({
			tag: text(1024),
			keyFingerprint: text(200).optional(),
			/** False: the key list came from an unsigned registry. */
			signedRegistry: z.boolean(),
		})
		.optional(),
	/** D21: a summary of the static scan at install or the last update. */
	scan: z
		.strictObject({
			scannedAt: timestamp,
			scannerVersion: text(40).optional(),
			/** The scan failed outright; nothing is known about the code. */
			failed: z.literal(true).optional(),
			high: z.int().min(0),
			medium: z.int().min(0),
			low: z.int().min(0),
			info: z.int().min(0),
			undeclared: z.array(text(40)).max(32),
			skipped: z.int().min(0),
		})
		.optional(),
	state: z.enum(['active', 'quarantined']),
	/** Where a quarantined plugin's files are kept. */
	quarantinePath: text(4096).optional(),
	disabledReason: z
		.strictObject({
			kind: z.enum(['blacklist', 'integrity', 'api', 'user', 'crash_loop']),
			reason: text(2000),
			at: timestamp,
		})
		.optional(),
	/**
	 * A soft blacklist entry the user chose to run the plugin despite, after seeing its reason
	 * (D4): `key` names the entry (`softBlockKey`), so the startup check lets this entry pass
	 * and still disables the plugin for any other entry, or when the entry changes.
	 */
	acceptedSoftBlock: z.strictObject({ key: text(80), at: timestamp }).optional(),
	installedAt: timestamp,
	updatedAt: timestamp,
});

export const storeStateSchema = z.strictObject({
	version: z.literal(1),
	plugins: z.record(text(36), installedPluginSchema),
	enabled: z.array(text(36)).max(100_000),
});

export type InstalledPlugin = z.infer<typeof installedPluginSchema>;
export type CapabilityConsent = InstalledPlugin['capabilities'];
export type StoreState = z.infer<typeof storeStateSchema>;

export function emptyState(): StoreState {
	return { version: 1, plugins: {}, enabled: [] };
}

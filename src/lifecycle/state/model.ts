/**
 * What Vouch remembers about the plugins of one host profile. One `StoreState` per profile,
 * kept in `<dataDir>/state.json` and changed only through `PluginStore.transaction`.
 */

/** `local`: a directory without git, registered where it is (never copied). */
export type RefType = 'branch' | 'tag' | 'commit' | 'local';

/** What the user agreed to at install: the declared capabilities, or that none were declared (D20). */
export type CapabilityConsent = { status: 'undeclared' } | { status: 'declared'; granted: string[] };

export type TrustAtInstall = 'official' | 'trusted' | 'community' | 'unregistered';

export interface PluginSource {
	kind: 'git' | 'local';
	/** The URL as given, credentials removed: they are never stored (D2). */
	url: string;
	canonicalUrl: string;
	ref?: string;
	refType: RefType;
	/** Full commit id; absent for local directories. */
	commit?: string;
}

export interface DisabledReason {
	kind: 'blacklist' | 'integrity' | 'api' | 'user';
	reason: string;
	/** ISO 8601 UTC. */
	at: string;
}

export interface InstalledPlugin {
	/** Lowercase; the key of `StoreState.plugins`. */
	uuid: string;
	/** From the manifest, sanitised. */
	name: string;
	/**
	 * The directory NAME under the plugins directory (one plain segment, never a path), or for
	 * a local plugin without git the absolute path it is registered at.
	 */
	directory: string;
	source: PluginSource;
	/** Earliest originals across redirects (spec item 50). */
	originalUrl?: string;
	originalUuid?: string;
	registryId?: string;
	trustAtInstall: TrustAtInstall;
	/** Manifest version. */
	version?: string;
	apiVersions: string[];
	capabilities: CapabilityConsent;
	/** Relative POSIX path → `sha256:<hex>`, or `symlink:<sha256 of the link target>`. */
	files: Record<string, string>;
	/** `sha256:<hex>` over the sorted (path, digest) list. */
	treeDigest: string;
	state: 'active' | 'quarantined';
	/** Where the files are while quarantined: a directory name under `<dataDir>/quarantine`. */
	quarantine?: { directory: string; at: string };
	disabledReason?: DisabledReason;
	/** ISO 8601 UTC. */
	installedAt: string;
	updatedAt: string;
}

export interface RegistryMemo {
	source: string;
	signed: boolean;
	fetchedAt: string;
	expiresAt?: string;
}

export interface StoreState {
	version: 1;
	plugins: Record<string, InstalledPlugin>;
	/** UUIDs of the enabled plugins; each one is a key of `plugins`. */
	enabled: string[];
	/** What the lifecycle remembers about the registry and blacklist it last verified. */
	registry?: RegistryMemo;
}

export const STATE_VERSION = 1;

export function emptyState(): StoreState {
	return { version: STATE_VERSION, plugins: {}, enabled: [] };
}
